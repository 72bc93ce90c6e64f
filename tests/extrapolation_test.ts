import assert from "node:assert/strict";
import {
  betaDivergence,
  createRng,
  CsrMatrix,
  fusedPassStats,
  loadBlas,
  Matrix,
  nmf,
  type NmfOptions,
  portableBackend,
  SOLVERS as REGISTRY,
} from "../mod.ts";
import type { HalsState } from "../solvers/hals.ts";
import { loadDataset } from "../data/datasets.ts";

/** W*H* (uniform factors, rank k) plus uniform noise of the given size. */
function noisy(seed: number, m = 80, n = 60, k = 6, noise = 0.2): Matrix {
  const rng = createRng(seed);
  const W = Matrix.generate(m, k, () => rng.uniform());
  const H = Matrix.generate(k, n, () => rng.uniform());
  return W.multiply(H).map((v) => v + noise * rng.uniform());
}

const SOLVERS = ["hals", "anls-bpp"] as const;

for (const solver of SOLVERS) {
  Deno.test(`${solver} with extrapolate reaches the plain run's final loss in far fewer iterations`, () => {
    // Measured (seeds 1–10, 80×60, rank 6, 300 iterations): the extrapolated run reaches the
    // plain run's final loss after 34–200 iterations with hals (median 55), 22–73 with anls-bpp.
    const iterations: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const V = noisy(seed);
      const options: NmfOptions = { rank: 6, solver, init: "nndsvda", maxIter: 300, tol: 0 };
      const plain = nmf(V, options);
      const fast = nmf(V, { ...options, extrapolate: true });
      const reached = fast.trace.find((e) => e.loss <= plain.loss);
      assert.ok(reached !== undefined, `seed ${seed}: ${fast.loss} never reached ${plain.loss}`);
      assert.ok(
        reached.iteration <= 200,
        `seed ${seed}: reached at iteration ${reached.iteration}`,
      );
      iterations.push(reached.iteration);
    }
    iterations.sort((a, b) => a - b);
    const median = (iterations[2]! + iterations[3]!) / 2;
    assert.ok(median <= 100, `median ${median} of ${iterations.join(", ")}`);
  });

  Deno.test(`${solver} with extrapolate: the trace never increases and is the loss of the returned factors`, () => {
    const V = noisy(7);
    const penalties = { l1W: 0.01, l1H: 0.02, l2W: 0.03, l2H: 0.04 };
    const r = nmf(V, {
      rank: 6,
      solver,
      init: "nndsvda",
      maxIter: 120,
      tol: 0,
      extrapolate: true,
      ...penalties,
    });
    for (let i = 1; i < r.trace.length; i++) {
      // (exactly, on this noisy data; up to rounding of order ε·‖V‖² in general)
      assert.ok(
        r.trace[i]!.loss <= r.trace[i - 1]!.loss,
        `iteration ${i}: ${r.trace[i]!.loss} after ${r.trace[i - 1]!.loss}`,
      );
    }
    const sum = (M: Matrix) => M.sum();
    const squares = (M: Matrix) => M.data.reduce((s, v) => s + v * v, 0);
    const expected = betaDivergence(V, r.W, r.H, 2) + penalties.l1W * sum(r.W) +
      penalties.l1H * sum(r.H) + 0.5 * penalties.l2W * squares(r.W) +
      0.5 * penalties.l2H * squares(r.H);
    assert.ok(Math.abs(r.loss - expected) <= 1e-10 * expected, `${r.loss} vs ${expected}`);
    assert.equal(r.options.extrapolate, true);
  });

  Deno.test(`${solver} with extrapolate recovers an exactly factorizable matrix to 1e-8`, () => {
    const rng = createRng(3);
    const V = Matrix.generate(30, 3, () => rng.uniform() + 0.1)
      .multiply(Matrix.generate(3, 20, () => rng.uniform() + 0.1));
    const r = nmf(V, {
      rank: 3,
      solver,
      init: "random",
      seed: 3,
      maxIter: 1000,
      tol: 0,
      extrapolate: true,
    });
    assert.ok(r.relativeError < 1e-8, `relative error ${r.relativeError}`);
  });

  Deno.test(`${solver} with extrapolate gives the same factors for a CSR V as for the dense one`, () => {
    const V = noisy(8).map((v) => (v < 0.9 ? 0 : v));
    const options: NmfOptions = {
      rank: 4,
      solver,
      init: "nndsvda",
      maxIter: 40,
      tol: 0,
      extrapolate: true,
      backend: "portable",
    };
    const dense = nmf(V, options), sparse = nmf(CsrMatrix.fromDense(V), options);
    for (const [a, b] of [[dense.W, sparse.W], [dense.H, sparse.H]] as const) {
      for (let i = 0; i < a.size; i++) {
        assert.ok(Math.abs(a.data[i]! - b.data[i]!) <= 1e-9 * (1 + Math.abs(a.data[i]!)));
      }
    }
  });
}

Deno.test("the extrapolation weight stays in (0, β̄], β̄ ≤ 1, and restarts shrink it", () => {
  const V = noisy(11);
  const rng = createRng(11);
  const W = Matrix.generate(80, 6, () => rng.uniform()),
    H = Matrix.generate(6, 60, () => rng.uniform());
  const hals = REGISTRY.hals!;
  const state = hals.create({
    V,
    W,
    H,
    beta: 2,
    penalties: { l1W: 0, l1H: 0, l2W: 0, l2H: 0 },
    backend: portableBackend,
    settings: { extrapolate: true },
    mask: null,
  }) as HalsState;
  const scheme = state.extrapolation!;
  let shrinks = 0, best = Infinity;
  for (let it = 0; it < 200; it++) {
    const before = scheme.beta, restarts = scheme.restarts;
    hals.step(state);
    assert.ok(scheme.beta > 0 && scheme.beta <= scheme.betaMax && scheme.betaMax <= 1);
    if (scheme.restarts > restarts) {
      assert.ok(Math.abs(scheme.beta - before / 1.5) < 1e-15, "a restart divides β by 1.5");
      shrinks++;
    }
    assert.ok(scheme.bestLoss <= best);
    best = scheme.bestLoss;
  }
  assert.ok(shrinks > 0, "expected at least one restart in 200 steps");
});

Deno.test("anls-bpp with extrapolate from a poor start keeps every component alive", () => {
  // From nndsvda on digits with W first, the first extrapolated step once zeroed whole rows of
  // H, which exact solves never revive: the run stalled at 2.5 times the plain run's loss.
  const V = loadDataset("digits").V;
  const options: NmfOptions = {
    rank: 16,
    solver: "anls-bpp",
    init: "nndsvda",
    maxIter: 40,
    tol: 0,
    updateFirst: "W",
    backend: "portable",
  };
  const plain = nmf(V, options);
  const fast = nmf(V, { ...options, extrapolate: true });
  assert.ok(fast.loss <= 1.05 * plain.loss, `${fast.loss} vs ${plain.loss}`);
  for (let a = 0; a < 16; a++) {
    let column = 0, row = 0;
    for (let i = 0; i < fast.W.rows; i++) column += fast.W.get(i, a);
    for (let j = 0; j < fast.H.cols; j++) row += fast.H.get(a, j);
    assert.ok(column > 0 && row > 0, `component ${a} is dead`);
  }
});

Deno.test("hals with extrapolate and one sweep does not use the blas fused pass", () => {
  const blas = loadBlas();
  if (typeof blas === "string") return; // no OpenBLAS here: nothing to check
  const V = noisy(9, 700, 400, 8);
  const options: NmfOptions = {
    rank: 8,
    solver: "hals",
    innerMaxIter: 1,
    maxIter: 5,
    tol: 0,
    backend: "blas",
  };
  const before = fusedPassStats().passes;
  const r = nmf(V, { ...options, extrapolate: true });
  assert.equal(fusedPassStats().passes, before);
  assert.equal(r.backend, "blas");
  const plain = nmf(V, options);
  assert.ok(fusedPassStats().passes > before, "the plain run should use the pass");
  assert.ok(r.trace.at(-1)!.loss <= r.trace[0]!.loss && plain.loss > 0);
});

Deno.test("extrapolate: bad values and combinations are rejected, naming the option", () => {
  const V = noisy(10, 12, 10, 2);
  assert.throws(
    () => nmf(V, { rank: 2, solver: "hals", extrapolate: "yes" as unknown as boolean }),
    (e: unknown) =>
      e instanceof TypeError && /extrapolate must be a boolean, got "yes"/.test(e.message),
  );
  assert.throws(
    () => nmf(V, { rank: 2, solver: "mu", extrapolate: true }),
    (e: unknown) =>
      e instanceof TypeError &&
      /option extrapolate applies only to solver "hals" or "anls-bpp"/.test(e.message),
  );
  assert.throws(
    () => nmf(V, { rank: 2, solver: "hals", extrapolate: true, mask: Matrix.filled(12, 10, 1) }),
    (e: unknown) =>
      e instanceof RangeError && /extrapolate must be false with a mask/.test(e.message),
  );
  // false is accepted by every solver that knows the option, and changes nothing
  const a = nmf(V, { rank: 2, solver: "hals", maxIter: 5, extrapolate: false });
  const b = nmf(V, { rank: 2, solver: "hals", maxIter: 5 });
  assert.deepEqual(Array.from(a.W.data), Array.from(b.W.data));
  assert.equal(a.options.extrapolate, undefined);
});
