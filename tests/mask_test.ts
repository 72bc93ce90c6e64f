/** Missing data: a weight mask honoured by the solvers that support it (issue 7). */
import assert from "node:assert/strict";
import { createRng, Matrix, nmf, type SolverName, SOLVERS } from "../mod.ts";
import { nonNegativeFinite, planted } from "./fixtures.ts";

const maskedSolvers = (Object.keys(SOLVERS) as SolverName[]).filter((s) =>
  SOLVERS[s]!.supportsMask
);

function randomMask(m: number, n: number, seed: number, missing = 0.2): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(m, n, () => (rng.uniform() < missing ? 0 : 1));
}

Deno.test("garbage in masked cells (NaN, negative, huge) does not influence the fit at all", () => {
  const { V } = planted(15, 12, 3, 4);
  const M = randomMask(15, 12, 5);
  const garbage = V.map((v, i, j) => (M.get(i, j) === 1 ? v : [NaN, -7, 1e200][(i + j) % 3]!));
  const clean = V.map((v, i, j) => (M.get(i, j) === 1 ? v : 0));
  for (const solver of maskedSolvers) {
    for (const beta of solver === "mu" ? [2, 1, 0.5] : [2]) {
      const opts = {
        rank: 3,
        solver,
        beta,
        mask: M,
        init: "random" as const,
        seed: 2,
        maxIter: 50,
      };
      const a = nmf(garbage, opts), b = nmf(clean, opts);
      assert.deepEqual(a.W.data, b.W.data, `${solver} β=${beta}`);
      assert.deepEqual(a.H.data, b.H.data, `${solver} β=${beta}`);
      assert.ok(nonNegativeFinite(a.W) && nonNegativeFinite(a.H));
    }
  }
});

Deno.test("a masked fit completes held-out entries of a low-rank matrix", () => {
  const { V } = planted(30, 25, 3, 8);
  const M = randomMask(30, 25, 9, 0.25);
  for (const solver of maskedSolvers) {
    const r = nmf(V, { rank: 3, solver, mask: M, maxIter: 3000, tol: 0, traceEvery: 100 });
    const WH = r.W.multiply(r.H);
    let err = 0, norm = 0;
    for (let i = 0; i < V.size; i++) {
      if (M.data[i] === 0) {
        err += (WH.data[i]! - V.data[i]!) ** 2;
        norm += V.data[i]! ** 2;
      }
    }
    assert.ok(r.relativeError < 1e-3, `${solver}: observed error ${r.relativeError}`);
    assert.ok(Math.sqrt(err / norm) < 1e-2, `${solver}: held-out error ${Math.sqrt(err / norm)}`);
  }
});

Deno.test("with a mask, loss and relative error count the observed entries only", () => {
  const V = Matrix.fromRows([[1, 2], [3, 4]]);
  const M = Matrix.fromRows([[1, 0], [1, 1]]);
  const init = { W: Matrix.fromRows([[1], [1]]), H: Matrix.fromRows([[1, 1]]) };
  const r = nmf(V, { rank: 1, mask: M, init, maxIter: 0 });
  // observed residuals: 1−1 = 0, 3−1 = 2, 4−1 = 3 → ½(4 + 9) = 6.5; ‖V_obs‖² = 1 + 9 + 16
  assert.equal(r.trace[0]!.loss, 6.5);
  assert.ok(Math.abs(r.trace[0]!.relativeError - Math.sqrt(13 / 26)) < 1e-15);
});

Deno.test("mask errors: wrong shape, values outside [0, 1], a solver without mask support", () => {
  const V = Matrix.fromRows([[1, 2], [3, 4]]);
  assert.throws(() => nmf(V, { rank: 1, mask: Matrix.zeros(3, 2) }), {
    name: "TypeError",
    message: /mask must have the shape of V \(2×2\), got 3×2/,
  });
  assert.throws(() => nmf(V, { rank: 1, mask: Matrix.fromRows([[1, 2], [0, 1]]) }), {
    name: "RangeError",
    message: /mask entries must be in \[0, 1\], got mask\[0\]\[1\] = 2/,
  });
  assert.throws(() => nmf(V, { rank: 1, mask: Matrix.fromRows([[1, NaN], [0, 1]]) }), {
    name: "RangeError",
    message: /mask\[0\]\[1\] = NaN/,
  });
  assert.throws(() => nmf(V, { rank: 1, mask: [[1]] as never }), {
    name: "TypeError",
    message: /mask must be a Matrix/,
  });
  const without = (Object.keys(SOLVERS) as SolverName[]).find((s) => !SOLVERS[s]!.supportsMask);
  if (without !== undefined) {
    assert.throws(() => nmf(V, { rank: 1, solver: without, mask: Matrix.filled(2, 2, 1) }), {
      name: "RangeError",
      message: new RegExp(`solver "${without}" does not support a mask`),
    });
  }
});

Deno.test("masked fits never increase the masked loss (mu for several betas, hals)", () => {
  const { V } = planted(20, 16, 3, 11);
  const noisy = V.map((v, i, j) => v * (1 + 0.1 * Math.sin(7 * i + 3 * j)));
  const M = randomMask(20, 16, 12, 0.3);
  for (const solver of maskedSolvers) {
    for (const beta of solver === "mu" ? [2, 1, 0.5] : [2]) {
      const r = nmf(noisy, {
        rank: 4,
        solver,
        beta,
        mask: M,
        init: "random",
        seed: 1,
        maxIter: 80,
        tol: 0,
      });
      for (let t = 1; t < r.trace.length; t++) {
        const prev = r.trace[t - 1]!.loss, cur = r.trace[t]!.loss;
        assert.ok(cur <= prev * (1 + 1e-12), `${solver} β=${beta}: ${prev} → ${cur} at ${t}`);
      }
    }
  }
});
