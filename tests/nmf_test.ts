import assert from "node:assert/strict";
import fc from "fast-check";
import {
  betaDivergence,
  createRng,
  CsrMatrix,
  initialize,
  Matrix,
  nmf,
  type NmfOptions,
} from "../mod.ts";
import {
  LAURBERG_W,
  nonNegativeFinite,
  planted,
  randomPositive,
  relativeDistance,
} from "./fixtures.ts";

const quiet = { warn: () => {} };

Deno.test("nmf() follows the public API contract of the foundation issue", () => {
  const V = Matrix.fromRows([[1, 2], [3, 4]]);
  const r = nmf(V, {
    rank: 2,
    solver: "mu",
    beta: "frobenius",
    init: "nndsvda",
    seed: 1,
    maxIter: 200,
    tol: 1e-4,
  });
  assert.deepEqual([r.W.rows, r.W.cols, r.H.rows, r.H.cols], [2, 2, 2, 2]);
  assert.equal(typeof r.iterations, "number");
  assert.equal(typeof r.converged, "boolean");
  const first = r.trace[0]!;
  assert.equal(first.iteration, 0);
  for (const key of ["iteration", "loss", "relativeError", "seconds", "kkt", "negatives"]) {
    assert.ok(key in first, key);
  }
  assert.equal(r.trace.at(-1)!.iteration, r.iterations);
  // the same loss up to round-off of a different product order (‖V‖² = 30)
  assert.ok(Math.abs(r.loss - betaDivergence(V, r.W, r.H, 2)) <= 1e-12 * 30);
  assert.equal(r.backend.length > 0, true);
});

Deno.test("mu recovers an exactly factorizable matrix (relative error < 1e-6)", () => {
  const { V } = planted(20, 15, 3, 2);
  const r = nmf(V, { rank: 3, solver: "mu", maxIter: 20000, tol: 0, traceEvery: 100 });
  assert.ok(r.relativeError < 1e-6, `relative error ${r.relativeError}`);
});

Deno.test("the unique NMF of W·Wᵀ (6×3 example) is found up to scaling and permutation", () => {
  const V = LAURBERG_W.multiply(LAURBERG_W.transpose());
  let best = Infinity, bestW: Matrix | null = null;
  for (let seed = 0; seed < 5; seed++) {
    const r = nmf(V, {
      rank: 3,
      init: "random",
      seed,
      maxIter: 5000,
      tol: 0,
      traceEvery: 500,
      ...quiet,
    });
    if (r.relativeError < best) [best, bestW] = [r.relativeError, r.W];
  }
  assert.ok(best < 1e-4, `best relative error ${best}`);
  // Normalize columns to unit max and match each to a column of the truth.
  const W = bestW!;
  const columns = (M: Matrix) =>
    Array.from({ length: M.cols }, (_, j) => {
      const c = Array.from(M.column(j));
      const mx = Math.max(...c);
      return c.map((v) => v / mx);
    });
  const truth = columns(LAURBERG_W), found = columns(W);
  for (const f of found) {
    const dist = Math.min(...truth.map((t) => Math.max(...t.map((v, i) => Math.abs(v - f[i]!)))));
    assert.ok(dist < 1e-2, `column ${f} matches no true column (${dist})`);
  }
});

Deno.test("mu loss never increases, for beta in {0, 0.5, 1, 1.5, 2, 3} (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1e6 }),
      fc.constantFrom(0, 0.5, 1, 1.5, 2, 3),
      fc.integer({ min: 2, max: 12 }),
      fc.integer({ min: 2, max: 12 }),
      (seed, beta, m, n) => {
        const V = randomPositive(m, n, seed);
        const k = 1 + (seed % Math.min(m, n));
        const r = nmf(V, { rank: k, beta, init: "random", seed, maxIter: 60, tol: 0 });
        // Non-increasing up to round-off: 1e-12 relative, plus 1e-13 of the initial loss for
        // losses that have already fallen to the level where the sum's cancellation dominates.
        const floor = 1e-13 * r.trace[0]!.loss;
        for (let i = 1; i < r.trace.length; i++) {
          const prev = r.trace[i - 1]!.loss, cur = r.trace[i]!.loss;
          assert.ok(cur <= prev * (1 + 1e-12) + floor, `beta ${beta}: ${prev} -> ${cur} at ${i}`);
        }
        assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H));
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("same seed gives bit-identical W, H and trace losses; another seed differs", () => {
  const V = randomPositive(15, 12, 3);
  const opts: NmfOptions = { rank: 3, init: "random", seed: 7, maxIter: 50, beta: 1 };
  const a = nmf(V, opts), b = nmf(V, opts), c = nmf(V, { ...opts, seed: 8 });
  assert.deepEqual(a.W.data, b.W.data);
  assert.deepEqual(a.H.data, b.H.data);
  assert.deepEqual(a.trace.map((t) => t.loss), b.trace.map((t) => t.loss));
  assert.notDeepEqual(Array.from(a.W.data), Array.from(c.W.data));
});

Deno.test("custom init factors are copied, never mutated", () => {
  const V = randomPositive(6, 5, 1);
  const init = initialize(V, 2, { method: "random", seed: 3 });
  const W0 = init.W.data.slice(), H0 = init.H.data.slice();
  const r = nmf(V, { rank: 2, init, maxIter: 20 });
  assert.deepEqual(init.W.data, W0);
  assert.deepEqual(init.H.data, H0);
  assert.notEqual(r.W.data, init.W.data);
});

Deno.test("mu warns when the initial factors contain zeros, naming the fix", () => {
  const V = randomPositive(8, 6, 2);
  const messages: string[] = [];
  const r = nmf(V, { rank: 2, init: "nndsvd", maxIter: 5, warn: (m) => messages.push(m) });
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /exactly 0.*multiplicative updates can never change them.*nndsvda/s);
  assert.deepEqual(r.warnings, messages);
});

Deno.test("an entry that starts at 0 stays 0 under mu (the zero lock)", () => {
  const V = randomPositive(8, 6, 2);
  const init = initialize(V, 2, { method: "random", seed: 1 });
  init.W.set(3, 1, 0);
  init.H.set(0, 2, 0);
  const r = nmf(V, { rank: 2, init, maxIter: 100, ...quiet });
  assert.equal(r.W.get(3, 1), 0);
  assert.equal(r.H.get(0, 2), 0);
});

Deno.test("stopping rules: maxIter, tol, callback, maxSeconds and tol = 0", () => {
  const V = randomPositive(30, 20, 4);
  const a = nmf(V, { rank: 3, maxIter: 7, tol: 0 });
  assert.equal(a.iterations, 7);
  assert.equal(a.stopReason, "maxIter");
  assert.equal(a.converged, false);
  const b = nmf(V, { rank: 3, maxIter: 100000, tol: 1e-3 });
  assert.equal(b.stopReason, "tol");
  assert.ok(b.converged && b.iterations < 100000 && b.iterations % 10 === 0);
  let calls = 0;
  const c = nmf(V, { rank: 3, maxIter: 100, onIteration: () => ++calls < 5 });
  assert.equal(c.stopReason, "callback");
  assert.equal(c.iterations, 5);
  const t0 = performance.now();
  const d = nmf(V, { rank: 3, maxIter: 1e9, tol: 0, maxSeconds: 0.2, traceEvery: 1000 });
  const elapsed = (performance.now() - t0) / 1000;
  assert.equal(d.stopReason, "maxSeconds");
  assert.ok(elapsed < 0.2 * 1.5 + 0.1, `took ${elapsed}s`);
});

Deno.test("traceEvery records every k-th iteration plus the first and the last", () => {
  const V = randomPositive(10, 10, 4);
  const r = nmf(V, { rank: 2, maxIter: 25, tol: 0, traceEvery: 10 });
  assert.deepEqual(r.trace.map((t) => t.iteration), [0, 10, 20, 25]);
});

Deno.test("loss is monotone in the trace and the relative error is ‖V − WH‖/‖V‖", () => {
  const V = randomPositive(10, 8, 9);
  const r = nmf(V, { rank: 2, maxIter: 30 });
  const R = r.W.multiply(r.H);
  let s = 0;
  for (let i = 0; i < V.size; i++) s += (V.data[i]! - R.data[i]!) ** 2;
  assert.ok(Math.abs(r.relativeError - Math.sqrt(s) / V.frobeniusNorm()) < 1e-10);
});

Deno.test("penalties are added to the loss and shrink the factors", () => {
  const V = randomPositive(12, 10, 5);
  const plain = nmf(V, { rank: 3, maxIter: 200, tol: 0 });
  const sparse = nmf(V, { rank: 3, maxIter: 200, tol: 0, l1H: 0.5, l1W: 0.5 });
  assert.ok(sparse.H.sum() < plain.H.sum());
  const div = betaDivergence(V, sparse.W, sparse.H, 2);
  assert.ok(
    Math.abs(sparse.loss - (div + 0.5 * sparse.W.sum() + 0.5 * sparse.H.sum())) <
      1e-9 * sparse.loss,
  );
});

Deno.test("the all-zero matrix gives a defined result without NaN", () => {
  const V = Matrix.zeros(4, 3);
  const r = nmf(V, { rank: 2, init: "random", maxIter: 10, ...quiet });
  assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H));
  assert.equal(r.relativeError, 0);
});

Deno.test("KL with zeros in V stays finite; IS with zeros in V is rejected", () => {
  const V = randomPositive(6, 5, 3);
  V.set(1, 1, 0);
  V.set(2, 4, 0);
  const r = nmf(V, { rank: 2, beta: "kullback-leibler", maxIter: 200 });
  assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H) && Number.isFinite(r.loss));
  assert.throws(() => nmf(V, { rank: 2, beta: "itakura-saito" }), {
    name: "RangeError",
    message: /beta = 0 .* needs V > 0 everywhere, got a zero entry V\[1\]\[1\]/,
  });
});

/** [description, options or V, expected error name, message pattern] */
const BAD: Array<[string, () => unknown, string, RegExp]> = [
  [
    "V not a Matrix",
    () => nmf([[1]] as never, { rank: 1 }),
    "TypeError",
    /V must be a Matrix or CsrMatrix, got an array/,
  ],
  [
    "empty V",
    () => nmf(Matrix.zeros(0, 3), { rank: 1 }),
    "RangeError",
    /V must not be empty, got a 0×3/,
  ],
  [
    "negative entry",
    () => nmf(Matrix.fromRows([[1, 2], [3, -4]]), { rank: 1 }),
    "RangeError",
    /negative entry V\[1\]\[1\] = -4/,
  ],
  [
    "NaN entry",
    () => nmf(Matrix.fromRows([[1, NaN]]), { rank: 1 }),
    "RangeError",
    /NaN entry V\[0\]\[1\] = NaN/,
  ],
  [
    "Infinity entry",
    () => nmf(Matrix.fromRows([[Infinity, 1]]), { rank: 1 }),
    "RangeError",
    /infinite entry V\[0\]\[0\] = Infinity/,
  ],
  [
    "overflowed entry",
    () => nmf(Matrix.fromRows([[1e308 * 10, 1]]), { rank: 1 }),
    "RangeError",
    /infinite entry/,
  ],
  [
    "options missing",
    () => nmf(Matrix.identity(2), undefined as never),
    "TypeError",
    /options must be an object/,
  ],
  [
    "rank missing",
    () => nmf(Matrix.identity(2), {} as never),
    "TypeError",
    /rank must be a positive integer, got undefined/,
  ],
  [
    "rank 0",
    () => nmf(Matrix.identity(2), { rank: 0 }),
    "RangeError",
    /rank must be a positive integer, got 0/,
  ],
  ["rank negative", () => nmf(Matrix.identity(2), { rank: -2 }), "RangeError", /rank .* got -2/],
  [
    "rank fractional",
    () => nmf(Matrix.identity(2), { rank: 1.5 }),
    "RangeError",
    /rank .* got 1.5/,
  ],
  ["rank NaN", () => nmf(Matrix.identity(2), { rank: NaN }), "RangeError", /rank .* got NaN/],
  [
    "rank string",
    () => nmf(Matrix.identity(2), { rank: "2" as never }),
    "TypeError",
    /rank .* got "2"/,
  ],
  [
    "rank too large for nndsvd",
    () => nmf(Matrix.identity(2), { rank: 3 }),
    "RangeError",
    /rank must be at most min\(rows, cols\) = 2 for init "nndsvda".*got 3/,
  ],
  [
    "typo maxIters",
    () => nmf(Matrix.identity(2), { rank: 1, maxIters: 5 } as never),
    "TypeError",
    /unknown option "maxIters"; valid options are rank, solver.*maxIter/,
  ],
  [
    "unknown solver",
    () => nmf(Matrix.identity(2), { rank: 1, solver: "adam" as never }),
    "RangeError",
    /solver must be one of "mu".*got "adam"/,
  ],
  [
    "solver number",
    () => nmf(Matrix.identity(2), { rank: 1, solver: 3 as never }),
    "TypeError",
    /solver must be a solver name string, got 3/,
  ],
  [
    "unknown init",
    () => nmf(Matrix.identity(2), { rank: 1, init: "svd" as never }),
    "RangeError",
    /init must be one of "random".*got "svd"/,
  ],
  [
    "unknown beta",
    () => nmf(Matrix.identity(2), { rank: 1, beta: "gauss" as never }),
    "RangeError",
    /beta must be a number or one of/,
  ],
  [
    "beta NaN",
    () => nmf(Matrix.identity(2), { rank: 1, beta: NaN }),
    "RangeError",
    /beta must be a finite number, got NaN/,
  ],
  [
    "maxIter negative",
    () => nmf(Matrix.identity(2), { rank: 1, maxIter: -1 }),
    "RangeError",
    /maxIter must be a non-negative integer, got -1/,
  ],
  [
    "maxIter Infinity",
    () => nmf(Matrix.identity(2), { rank: 1, maxIter: Infinity }),
    "RangeError",
    /maxIter .* got Infinity/,
  ],
  [
    "tol negative",
    () => nmf(Matrix.identity(2), { rank: 1, tol: -1e-4 }),
    "RangeError",
    /tol must be a finite number ≥ 0, got -0.0001/,
  ],
  ["tol NaN", () => nmf(Matrix.identity(2), { rank: 1, tol: NaN }), "RangeError", /tol .* got NaN/],
  [
    "tol string",
    () => nmf(Matrix.identity(2), { rank: 1, tol: "1e-4" as never }),
    "TypeError",
    /tol .* got "1e-4"/,
  ],
  [
    "maxSeconds 0",
    () => nmf(Matrix.identity(2), { rank: 1, maxSeconds: 0 }),
    "RangeError",
    /maxSeconds must be a number > 0/,
  ],
  [
    "traceEvery 0",
    () => nmf(Matrix.identity(2), { rank: 1, traceEvery: 0 }),
    "RangeError",
    /traceEvery must be a positive integer, got 0/,
  ],
  [
    "l1W negative",
    () => nmf(Matrix.identity(2), { rank: 1, l1W: -1 }),
    "RangeError",
    /l1W must be a finite number ≥ 0, got -1/,
  ],
  [
    "l2H Infinity",
    () => nmf(Matrix.identity(2), { rank: 1, l2H: Infinity }),
    "RangeError",
    /l2H .* got Infinity/,
  ],
  [
    "seed NaN",
    () => nmf(Matrix.identity(2), { rank: 1, seed: NaN }),
    "RangeError",
    /seed must be a finite number, got NaN/,
  ],
  [
    "onIteration not a function",
    () => nmf(Matrix.identity(2), { rank: 1, onIteration: 1 as never }),
    "TypeError",
    /onIteration must be a function, got 1/,
  ],
  [
    "unknown backend",
    () => nmf(Matrix.identity(2), { rank: 1, backend: "gpu" as never }),
    "RangeError",
    /backend must be one of "auto", "portable", "blas", got "gpu"/,
  ],
  [
    "stepSize on mu",
    () => nmf(Matrix.identity(2), { rank: 1, stepSize: 0.1 }),
    "TypeError",
    /option stepSize applies only to solver "gd", not "mu"/,
  ],
  [
    "init W wrong shape",
    () =>
      nmf(Matrix.identity(2), { rank: 1, init: { W: Matrix.zeros(3, 1), H: Matrix.zeros(1, 2) } }),
    "TypeError",
    /init.W must be 2×1 .* got 3×1/,
  ],
  [
    "init H negative",
    () =>
      nmf(Matrix.identity(2), {
        rank: 1,
        init: { W: Matrix.filled(2, 1, 1), H: Matrix.fromRows([[1, -1]]) },
      }),
    "RangeError",
    /init.H must be non-negative and finite, got init.H\[0\]\[1\] = -1/,
  ],
  [
    "init W NaN",
    () =>
      nmf(Matrix.identity(2), {
        rank: 1,
        init: { W: Matrix.fromRows([[NaN], [1]]), H: Matrix.filled(1, 2, 1) },
      }),
    "RangeError",
    /init.W\[0\]\[0\] = NaN/,
  ],
  [
    "init not factors",
    () => nmf(Matrix.identity(2), { rank: 1, init: { W: 1 } as never }),
    "TypeError",
    /init.W must be a Matrix, got 1/,
  ],
];

for (const [what, call, name, message] of BAD) {
  Deno.test(`nmf() rejects ${what} with a ${name} naming it`, () => {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, name, error.message);
      assert.match(error.message, message);
      return true;
    });
  });
}

Deno.test("an nmf result displays itself in Jupyter as a summary with a loss sparkline", () => {
  const r = nmf(randomPositive(8, 6, 1), { rank: 2, maxIter: 20 });
  const display = (r as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]!;
  const bundle = display();
  assert.match(bundle["text/html"]!, /<svg[^>]*>.*<\/svg>/s);
  assert.match(bundle["text/html"]!, /mu/);
  assert.match(bundle["text/plain"]!, /^nmf: mu, rank 2, \d+ iterations/);
  assert.ok(!Object.keys(r).includes("Symbol(Jupyter.display)"));
  assert.equal(JSON.stringify(r).includes("Jupyter"), false);
});

Deno.test("nmf() with updateFirst 'W' is the same solver on Vᵀ with the factors transposed", () => {
  const rng = createRng(12);
  const V = Matrix.generate(23, 17, () => rng.uniform());
  const W0 = Matrix.generate(23, 4, () => rng.uniform() + 0.1);
  const H0 = Matrix.generate(4, 17, () => rng.uniform() + 0.1);
  const t = (M: Matrix) => Matrix.generate(M.cols, M.rows, (i, j) => M.get(j, i));
  const mask = Matrix.generate(23, 17, (i, j) => ((i + 2 * j) % 7 === 0 ? 0 : 1));
  const cases = [
    { solver: "hals", l1W: 0.05, l2H: 0.1 },
    { solver: "mu", l2W: 0.2, l1H: 0.01 },
    { solver: "mu", beta: 1 },
    { solver: "anls-bpp" },
    { solver: "hals", mask },
  ] as const;
  for (const c of cases) {
    const base = { rank: 4, maxIter: 30, tol: 0, backend: "portable", ...c } as const;
    const seen: number[][] = [];
    const wFirst = nmf(V, {
      ...base,
      init: { W: W0, H: H0 },
      updateFirst: "W",
      onIteration: ({ W, H }) => {
        seen.push([W.rows, W.cols, H.rows, H.cols]);
      },
    });
    const swapped = {
      ...base,
      ...("mask" in c ? { mask: t(c.mask) } : {}),
      l1W: "l1H" in c ? c.l1H : 0,
      l1H: "l1W" in c ? c.l1W : 0,
      l2W: "l2H" in c ? c.l2H : 0,
      l2H: "l2W" in c ? c.l2W : 0,
    };
    const onVt = nmf(t(V), { ...swapped, init: { W: t(H0), H: t(W0) } });
    assert.deepEqual(Array.from(wFirst.W.data), Array.from(t(onVt.H).data), c.solver);
    assert.deepEqual(Array.from(wFirst.H.data), Array.from(t(onVt.W).data), c.solver);
    assert.deepEqual(wFirst.trace.map((e) => e.loss), onVt.trace.map((e) => e.loss));
    assert.equal(wFirst.options.updateFirst, "W");
    assert.deepEqual(seen[0], [23, 4, 4, 17]);
    assert.equal(seen.length, 30);
  }
  // a sparse V is transposed as CSR
  const sparse = CsrMatrix.fromDense(V.map((v) => (v < 0.5 ? 0 : v)));
  const a = nmf(sparse, { rank: 3, solver: "hals", maxIter: 10, tol: 0, updateFirst: "W" });
  const b = nmf(sparse.toDense(), {
    rank: 3,
    solver: "hals",
    maxIter: 10,
    tol: 0,
    updateFirst: "W",
  });
  assert.ok(relativeDistance(a.W, b.W) < 1e-10);
  assert.equal(nmf(V, { rank: 2, maxIter: 2 }).options.updateFirst, undefined);
});

Deno.test("nmf() rejects an updateFirst that is not 'H' or 'W', naming the option", () => {
  const V = Matrix.filled(4, 3, 1);
  assert.throws(
    () => nmf(V, { rank: 1, updateFirst: "X" as never }),
    (e: unknown) =>
      e instanceof RangeError && /updateFirst must be "H" or "W", got "X"/.test(e.message),
  );
  assert.throws(() => nmf(V, { rank: 1, updateFirst: 1 as never }), TypeError);
});
