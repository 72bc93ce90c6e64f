/**
 * Reliability (issue 5): monotonicity on many random problems, determinism across processes,
 * time budgets, and fuzzing of every solver × beta it supports. README's Reliability section
 * quotes the counts below.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng, Matrix, nmf, type NmfOptions, type SolverName, SOLVERS } from "../mod.ts";
import { nonNegativeFinite, randomPositive, runDenoScript } from "./fixtures.ts";

const quiet = { warn: () => {} };
const solverNames = Object.keys(SOLVERS) as SolverName[];

function assertMonotone(trace: { loss: number }[], what: string): void {
  // 1e-12 relative, plus 1e-13 of the initial loss where the loss has fallen to round-off level
  const floor = 1e-13 * trace[0]!.loss;
  for (let t = 1; t < trace.length; t++) {
    const prev = trace[t - 1]!.loss, cur = trace[t]!.loss;
    assert.ok(cur <= prev * (1 + 1e-12) + floor, `${what}: ${prev} → ${cur} at ${t}`);
  }
}

for (const beta of [0, 0.5, 1, 1.5, 2, 2.5]) {
  Deno.test(`mu never increases the loss on 100 random problems (beta ${beta})`, () => {
    for (let p = 0; p < 100; p++) {
      const rng = createRng(1000 * beta + p);
      const m = 2 + rng.int(14), n = 2 + rng.int(14), k = 1 + rng.int(Math.min(m, n));
      const V = randomPositive(m, n, 7 * p + 1);
      const r = nmf(V, { rank: k, beta, init: "random", seed: p, maxIter: 40, tol: 0 });
      assertMonotone(r.trace, `beta ${beta}, problem ${p}`);
    }
  });
}

for (const solver of ["hals", "anls-bpp"] as const) {
  Deno.test(`${solver} never increases the Frobenius loss on 100 random problems`, () => {
    for (let p = 0; p < 100; p++) {
      const rng = createRng(p + 77);
      const m = 2 + rng.int(14), n = 2 + rng.int(14), k = 1 + rng.int(Math.min(m, n));
      const V = randomPositive(m, n, 3 * p + 2);
      const r = nmf(V, { rank: k, solver, init: "random", seed: p, maxIter: 30, tol: 0 });
      assertMonotone(r.trace, `${solver}, problem ${p}`);
    }
  });
}

Deno.test("same seed ⇒ bit-identical W, H and trace losses across processes", async () => {
  const script = `
    import { createRng, Matrix, nmf } from "MOD";
    const rng = createRng(5);
    const V = Matrix.generate(30, 20, () => rng.uniform());
    const out = [];
    for (const solver of ["mu", "hals", "anls-bpp", "als", "pgd", "gd"]) {
      const r = nmf(V, { rank: 4, solver, init: "random", seed: 11, maxIter: 25, tol: 0, backend: "portable" });
      out.push([...r.W.data, ...r.H.data, ...r.trace.map((t) => t.loss)]);
    }
    const bytes = new Uint8Array(new Float64Array(out.flat()).buffer);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    console.log(Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join(""));
  `;
  const run = async () => {
    const out = await runDenoScript(script, ["--allow-read", "--allow-env"]);
    assert.ok(out.success, out.stderr);
    return out.stdout.trim();
  };
  const [a, b] = [await run(), await run()];
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, b);
});

Deno.test("a different seed gives a different random initialization on every solver", () => {
  const V = randomPositive(12, 10, 3);
  for (const solver of solverNames) {
    const a = nmf(V, { rank: 3, solver, init: "random", seed: 1, maxIter: 0 });
    const b = nmf(V, { rank: 3, solver, init: "random", seed: 2, maxIter: 0 });
    assert.notDeepEqual(Array.from(a.W.data), Array.from(b.W.data), solver);
  }
});

Deno.test("maxSeconds stops every solver within 10% of the budget", () => {
  const V = randomPositive(120, 90, 4);
  const budget = 0.4;
  for (const solver of solverNames) {
    const t0 = performance.now();
    const r = nmf(V, {
      rank: 8,
      solver,
      init: "random",
      maxIter: 1e9,
      tol: 0,
      maxSeconds: budget,
      traceEvery: 50,
      ...quiet,
    });
    const elapsed = (performance.now() - t0) / 1000;
    assert.ok(
      r.stopReason === "maxSeconds" || r.stopReason === "diverged",
      `${solver}: ${r.stopReason}`,
    );
    assert.ok(
      elapsed <= 1.1 * budget,
      `${solver} took ${elapsed.toFixed(3)} s for a ${budget} s budget`,
    );
  }
});

Deno.test("onIteration returning false stops every solver at once; tol = 0 runs to maxIter", () => {
  const V = randomPositive(15, 12, 6);
  for (const solver of solverNames) {
    const r = nmf(V, {
      rank: 3,
      solver,
      maxIter: 50,
      onIteration: (i) => i.iteration < 3,
      ...quiet,
    });
    assert.equal(r.iterations, 3, solver);
    assert.equal(r.stopReason, "callback", solver);
    const s = nmf(V, { rank: 3, solver, maxIter: 17, tol: 0, ...quiet });
    assert.ok(s.iterations <= 17, solver);
    if (s.stopReason !== "diverged") assert.equal(s.iterations, 17, `${solver}: ${s.stopReason}`);
  }
});

/** Every solver × every beta it supports (mu: a spread of betas). */
const COMBINATIONS: Array<[SolverName, number]> = solverNames.flatMap((solver) =>
  solver === "mu"
    ? [0, 0.5, 1, 1.5, 2, 3].map((beta): [SolverName, number] => [solver, beta])
    : [[solver, 2] as [SolverName, number]]
);

for (const [solver, beta] of COMBINATIONS) {
  Deno.test(`fuzz: ${solver} (beta ${beta}) keeps shapes, W, H ≥ 0, no NaN/Infinity, finite loss`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        // scales whose loss (∝ scale^β, up to β = 3) is a finite double
        fc.constantFrom(1e-200, 1e-8, 1, 1e8, 1e80),
        fc.integer({ min: 0, max: 1e6 }),
        (m, n, kWanted, sparsity, scale, seed) => {
          const rng = createRng(seed);
          const V = Matrix.generate(
            m,
            n,
            () => (rng.uniform() < sparsity ? 0 : scale * rng.uniform()),
          );
          if (beta <= 0) {
            for (let i = 0; i < V.size; i++) if (V.data[i] === 0) V.data[i] = scale * 1e-3;
          }
          const rank = Math.min(kWanted, m, n);
          const opts: NmfOptions = {
            rank,
            solver,
            beta,
            init: "random",
            seed,
            maxIter: 15,
            ...quiet,
          };
          const r = nmf(V, opts);
          assert.deepEqual([r.W.rows, r.W.cols, r.H.rows, r.H.cols], [m, rank, rank, n]);
          if (r.stopReason === "diverged") return; // gd with its fixed step may; it says so
          assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H));
          assert.ok(Number.isFinite(r.loss) && r.loss >= 0, `loss ${r.loss}`);
          assert.ok(r.trace.every((t) => Number.isFinite(t.loss)));
        },
      ),
      { numRuns: 60 },
    );
  });
}
