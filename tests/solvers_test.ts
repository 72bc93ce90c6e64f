import assert from "node:assert/strict";
import fc from "fast-check";
import {
  createRng,
  Matrix,
  nmf,
  type NmfOptions,
  portableBackend,
  runSolver,
  type SolverName,
} from "../mod.ts";
import { mu } from "../solvers/mu.ts";

/** V = W*H* with W* (m×k), H* (k×n) uniform in [0.1, 1.1). */
function planted(seed: number, m = 30, n = 20, k = 3): Matrix {
  const rng = createRng(seed);
  const W = Matrix.generate(m, k, () => rng.uniform() + 0.1);
  const H = Matrix.generate(k, n, () => rng.uniform() + 0.1);
  return W.multiply(H);
}

function uniformMatrix(seed: number, m: number, n: number): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(m, n, () => rng.uniform());
}

const sumOf = (M: Matrix) => M.sum();
const zerosOf = (M: Matrix) => M.data.filter((v) => v === 0).length;
const squaresOf = (M: Matrix) => M.data.reduce((s, v) => s + v * v, 0);

const FROBENIUS_SOLVERS: SolverName[] = ["hals", "anls-bpp", "als", "pgd", "gd"];

for (const solver of ["hals", "anls-bpp", "als", "pgd"] as const) {
  Deno.test(`${solver} recovers an exactly factorizable 30×20 rank-3 matrix to 1e-8 relative error`, () => {
    for (const seed of [1, 2, 3]) {
      const V = planted(seed);
      const r = nmf(V, { rank: 3, solver, init: "random", seed, maxIter: 1000, tol: 0 });
      assert.ok(r.relativeError < 1e-8, `seed ${seed}: relative error ${r.relativeError}`);
    }
  });
}

Deno.test("gd with its default step reduces the error of a planted problem but does not reach 1e-6", () => {
  // Measured: from nndsvda, 1000 fixed steps take the relative error of planted(1) from 0.81 to
  // 1.1e-3 (hals, anls-bpp reach 1e-15).
  const V = planted(1);
  const r = nmf(V, { rank: 3, solver: "gd", init: "nndsvda", maxIter: 1000, tol: 0 });
  const first = r.trace[0]!.relativeError;
  assert.ok(r.relativeError < first / 10, `from ${first} to ${r.relativeError}`);
  assert.ok(r.relativeError > 1e-6);
});

for (const solver of ["hals", "anls-bpp", "pgd"] as const) {
  Deno.test(`${solver} never increases the loss (20 seeded random problems, with and without penalties)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 4, max: 14 }),
        fc.integer({ min: 4, max: 14 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (seed, m, n, k, penalized) => {
          const V = uniformMatrix(seed, m, n);
          const penalties = penalized ? { l1W: 0.05, l1H: 0.1, l2W: 0.2, l2H: 0.05 } : {};
          const r = nmf(V, {
            rank: k,
            solver,
            init: "random",
            seed,
            maxIter: 40,
            tol: 0,
            ...penalties,
          });
          const loss0 = r.trace[0]!.loss;
          for (let t = 1; t < r.trace.length; t++) {
            const before = r.trace[t - 1]!.loss, after = r.trace[t]!.loss;
            assert.ok(after <= before + 1e-12 * loss0, `iteration ${t}: ${before} -> ${after}`);
          }
        },
      ),
      { numRuns: 20, seed: 42 },
    );
  });
}

Deno.test("every solver keeps W, H ≥ 0 at every iteration (gd with its default projection)", () => {
  for (const solver of FROBENIUS_SOLVERS) {
    for (const seed of [0, 1, 2, 3]) {
      const V = uniformMatrix(100 + seed, 9, 11);
      const penalties = seed % 2 === 1 ? { l1W: 0.1, l2H: 0.3 } : {};
      let checked = 0;
      nmf(V, {
        rank: 3,
        solver,
        init: seed < 2 ? "random" : "nndsvd",
        seed,
        maxIter: 30,
        tol: 0,
        ...penalties,
        onIteration: ({ W, H }) => {
          assert.ok(W.min() >= 0 && H.min() >= 0, `${solver} seed ${seed}`);
          checked++;
        },
      });
      assert.equal(checked, 30);
    }
  }
});

Deno.test("an L1 penalty gives sparser factors with a smaller sum, for every Frobenius solver", () => {
  const V = uniformMatrix(7, 20, 15);
  for (const solver of FROBENIUS_SOLVERS) {
    const base: NmfOptions = { rank: 4, solver, init: "nndsvda", maxIter: 200, tol: 0 };
    const plain = nmf(V, base);
    const sparse = nmf(V, { ...base, l1W: 0.5, l1H: 0.5 });
    const sum = (r: typeof plain) => sumOf(r.W) + sumOf(r.H);
    const zeros = (r: typeof plain) => zerosOf(r.W) + zerosOf(r.H);
    assert.ok(sum(sparse) < sum(plain), `${solver}: sum ${sum(sparse)} vs ${sum(plain)}`);
    assert.ok(zeros(sparse) > zeros(plain), `${solver}: zeros ${zeros(sparse)} vs ${zeros(plain)}`);
    // the reported loss includes the penalty, so it exceeds the divergence alone
    assert.ok(sparse.loss > 0.5 * (sparse.relativeError * V.frobeniusNorm()) ** 2);
  }
});

Deno.test("an L2 penalty gives factors with a smaller squared norm, for every Frobenius solver", () => {
  const V = uniformMatrix(8, 20, 15);
  for (const solver of FROBENIUS_SOLVERS) {
    const base: NmfOptions = { rank: 4, solver, init: "nndsvda", maxIter: 200, tol: 0 };
    const plain = nmf(V, base);
    const ridge = nmf(V, { ...base, l2W: 2, l2H: 2 });
    const sq = (r: typeof plain) => squaresOf(r.W) + squaresOf(r.H);
    assert.ok(sq(ridge) < sq(plain), `${solver}: ${sq(ridge)} vs ${sq(plain)}`);
  }
});

Deno.test("gd with project:false goes negative where the unconstrained optimum is negative", () => {
  // The best rank-2 approximation of this matrix (by the SVD) has negative entries, and its loss
  // ½σ₃² = ½(2 − √2)² ≈ 0.1716 is below what any non-negative pair reaches (≈ 0.1945).
  const V = Matrix.fromRows([[2, 1, 0], [1, 2, 1], [0, 1, 2]]);
  const free = nmf(V, {
    rank: 2,
    solver: "gd",
    init: "nndsvda",
    maxIter: 3000,
    tol: 0,
    project: false,
  });
  const last = free.trace[free.trace.length - 1]!;
  assert.ok(last.negatives > 0);
  assert.ok(Math.min(free.W.min(), free.H.min()) < 0);
  assert.ok(Math.abs(free.loss - 0.5 * (2 - Math.SQRT2) ** 2) < 1e-6, `loss ${free.loss}`);
  const projected = nmf(V, { rank: 2, solver: "gd", init: "nndsvda", maxIter: 3000, tol: 0 });
  assert.equal(projected.trace[projected.trace.length - 1]!.negatives, 0);
  const best = nmf(V, { rank: 2, solver: "hals", init: "nndsvda", maxIter: 500, tol: 0 });
  assert.ok(free.loss < best.loss - 0.01);
  assert.ok(projected.loss >= best.loss - 1e-9);
});

Deno.test("gd with a huge step stops with stopReason 'diverged' instead of throwing or hanging", () => {
  const V = uniformMatrix(3, 30, 20);
  for (const project of [false, true]) {
    const r = nmf(V, {
      rank: 3,
      solver: "gd",
      init: "random",
      maxIter: 1000,
      tol: 0,
      stepSize: 1,
      project,
    });
    assert.equal(r.stopReason, "diverged", `project ${project}`);
    assert.equal(r.converged, false);
    assert.ok(r.iterations < 1000);
    assert.ok(!(r.loss < Infinity));
  }
});

Deno.test("als can increase the loss: clipping the least-squares solution is not a projection of the minimizer", () => {
  // Measured on this problem: the loss falls to ≈ 5.2305 by iteration 20, then climbs to ≈ 5.2375.
  const V = uniformMatrix(7, 20, 15);
  const r = nmf(V, { rank: 4, solver: "als", init: "nndsvda", maxIter: 300, tol: 0 });
  let increases = 0;
  for (let t = 1; t < r.trace.length; t++) {
    if (r.trace[t]!.loss > r.trace[t - 1]!.loss * (1 + 1e-9)) increases++;
  }
  assert.ok(increases > 0);
  const exact = nmf(V, { rank: 4, solver: "anls-bpp", init: "nndsvda", maxIter: 300, tol: 0 });
  assert.ok(exact.loss < r.loss);
});

Deno.test("als keeps the scales of W and H balanced (no drift of a component to 0 and ∞)", () => {
  const V = uniformMatrix(7, 20, 15);
  const r = nmf(V, { rank: 4, solver: "als", init: "nndsvda", maxIter: 300, tol: 0 });
  assert.ok(r.W.max() < 10 && r.H.max() < 10, `${r.W.max()} ${r.H.max()}`);
});

Deno.test("every solver survives a dead component and a rank above the data's rank without NaN", () => {
  const V = planted(4, 12, 10, 2);
  const rng = createRng(9);
  const W = Matrix.generate(12, 4, (_, a) => (a === 1 ? 0 : rng.uniform()));
  const H = Matrix.generate(4, 10, () => rng.uniform());
  for (const solver of FROBENIUS_SOLVERS) {
    for (const penalties of [{}, { l1W: 0.1, l1H: 0.1 }]) {
      const r = nmf(V, { rank: 4, solver, init: { W, H }, maxIter: 50, tol: 0, ...penalties });
      for (const M of [r.W, r.H]) {
        for (const v of M.data) assert.ok(Number.isFinite(v) && v >= 0, `${solver}: ${v}`);
      }
      assert.ok(r.loss <= r.trace[0]!.loss, `${solver}: ${r.trace[0]!.loss} -> ${r.loss}`);
    }
  }
  assert.equal(W.get(0, 1), 0); // custom init factors are copied, never mutated
});

Deno.test("hals and anls-bpp agree on the optimum of a small problem from the same start", () => {
  const V = uniformMatrix(21, 12, 9);
  const a = nmf(V, { rank: 2, solver: "hals", init: "nndsvd", maxIter: 500, tol: 0 });
  const b = nmf(V, { rank: 2, solver: "anls-bpp", init: "nndsvd", maxIter: 500, tol: 0 });
  assert.ok(Math.abs(a.loss - b.loss) < 1e-9 * a.loss, `${a.loss} vs ${b.loss}`);
  assert.ok(a.trace[a.trace.length - 1]!.kkt < 1e-6);
  assert.ok(b.trace[b.trace.length - 1]!.kkt < 1e-6);
});

Deno.test("innerMaxIter changes how far hals and pgd go per outer iteration", () => {
  const V = planted(5);
  for (const solver of ["hals", "pgd"] as const) {
    const one = nmf(V, {
      rank: 3,
      solver,
      init: "random",
      seed: 5,
      maxIter: 20,
      tol: 0,
      innerMaxIter: 1,
    });
    const many = nmf(V, { rank: 3, solver, init: "random", seed: 5, maxIter: 20, tol: 0 });
    assert.ok(many.loss < one.loss, `${solver}: ${many.loss} vs ${one.loss}`);
  }
});

Deno.test("the aliases cd, bpp and pg run hals, anls-bpp and pgd", () => {
  const V = planted(6, 10, 8, 2);
  for (const [alias, name] of [["cd", "hals"], ["bpp", "anls-bpp"], ["pg", "pgd"]] as const) {
    const a = nmf(V, { rank: 2, solver: alias, maxIter: 10 });
    const b = nmf(V, { rank: 2, solver: name, maxIter: 10 });
    assert.equal(a.solver, name);
    assert.deepEqual(Array.from(a.W.data), Array.from(b.W.data));
  }
});

Deno.test("the Frobenius-only solvers reject other betas, naming the solver", () => {
  const V = planted(6, 6, 5, 2);
  for (const solver of FROBENIUS_SOLVERS) {
    assert.throws(
      () => nmf(V, { rank: 2, solver, beta: "kullback-leibler" }),
      (e: unknown) => e instanceof RangeError && e.message.includes(`"${solver}"`),
    );
  }
});

Deno.test("multiplicativeUpdateInto() matches the plain formula entry by entry, and its edge cases", async () => {
  const { multiplicativeUpdateInto, MU_EPSILON } = await import("../solvers/mu.ts");
  const tiny = 2.2250738585072014e-308;
  // The plain formula, as the doc comment states it.
  const reference = (x: number, a: number, b: number, l1: number, l2: number, gamma: number) => {
    if (x === 0) return 0;
    let d = b + l1 + l2 * x;
    if (d === 0) d = MU_EPSILON;
    const next = x * Math.pow(a / d, gamma);
    return next < tiny ? 0 : next;
  };
  const rng = createRng(7);
  for (const gamma of [1, 0.5, 2 / 3]) {
    for (const [l1, l2] of [[0, 0], [0.3, 0.1]] as const) {
      const X = Matrix.generate(5, 13, () => (rng.uniform() < 0.2 ? 0 : rng.uniform()));
      const num = Matrix.generate(5, 13, () => rng.uniform());
      const den = Matrix.generate(5, 13, () => (rng.uniform() < 0.1 ? 0 : rng.uniform()));
      const expected = X.data.map((x, i) =>
        reference(x, num.data[i] as number, den.data[i] as number, l1, l2, gamma)
      );
      multiplicativeUpdateInto(X, num, den, l1, l2, gamma);
      assert.deepEqual([...X.data], [...expected], `gamma ${gamma}, l1 ${l1}, l2 ${l2}`);
    }
  }
  for (const gamma of [1, 0.5]) {
    // 0 stays 0 where the ratio overflows (0·∞); a zero denominator becomes MU_EPSILON;
    // a result below the smallest normal double is flushed; NaN and ∞ pass through.
    const X = Matrix.fromRows([[0, 0, 1, 1e-300, Number.NaN, 2]]);
    const num = Matrix.fromRows([[1e300, 1, 1, 1e-20, 1, Infinity]]);
    const den = Matrix.fromRows([[1e-300, 0, 0, 1, 1, 1]]);
    multiplicativeUpdateInto(X, num, den, 0, 0, gamma);
    assert.deepEqual([...X.data], [0, 0, Math.pow(1 / MU_EPSILON, gamma), 0, Number.NaN, Infinity]);
    assert.ok(Object.is(X.data[0], 0) && Object.is(X.data[1], 0));
  }
});

Deno.test("the driver tells a step whether anything but the solver touched W and H since its last", () => {
  const rng = createRng(4);
  const V = Matrix.generate(12, 9, () => rng.uniform());
  const seen: (boolean | undefined)[] = [];
  const spy = {
    ...mu,
    step(state: Parameters<typeof mu.step>[0]) {
      seen.push(state.untouched);
      mu.step(state);
    },
  };
  const run = (onIteration?: () => void) => {
    seen.length = 0;
    runSolver(spy, {
      V,
      W: Matrix.generate(12, 3, () => rng.uniform() + 0.1),
      H: Matrix.generate(3, 9, () => rng.uniform() + 0.1),
      beta: 2,
      penalties: { l1W: 0, l1H: 0, l2W: 0, l2H: 0 },
      backend: portableBackend,
      settings: {},
    }, { maxIter: 4, tol: 0, maxSeconds: Infinity, traceEvery: 2, onIteration });
    return [...seen];
  };
  assert.deepEqual(run(), [false, true, true, true]);
  assert.deepEqual(run(() => {}), [false, false, false, false]);
});
