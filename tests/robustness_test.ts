/** Numerical edge cases (issue 5): extreme scales, degenerate data, long runs. */
import assert from "node:assert/strict";
import { createRng, Matrix, nmf, type NmfOptions, type SolverName, SOLVERS } from "../mod.ts";
import { nonNegativeFinite, randomPositive } from "./fixtures.ts";

const quiet = { warn: () => {} };

function relativeGap(A: Matrix, B: Matrix): number {
  let s = 0, t = 0;
  for (let i = 0; i < A.size; i++) {
    s += (A.data[i]! - B.data[i]!) ** 2;
    t += B.data[i]! ** 2;
  }
  return Math.sqrt(s / t);
}

Deno.test("tiny (1e-300) and huge (1e150) data give the same factors up to scale, on every solver", () => {
  const V = randomPositive(9, 7, 12);
  for (const name of Object.keys(SOLVERS)) {
    for (const beta of name === "mu" ? [2, 1, 0.5] : [2]) {
      // init "random" scales exactly with the data (W, H ∝ √mean(V)); nndsvda's fill value
      // mean(V) does not, by its published definition, so it would change the starting point.
      const opts: NmfOptions = {
        rank: 2,
        solver: name as SolverName,
        beta,
        init: "random",
        seed: 3,
        maxIter: 30,
        tol: 0,
        ...quiet,
      };
      const base = nmf(V, opts);
      for (const c of [1e-300, 1e150]) {
        const r = nmf(V.map((v) => v * c), opts);
        assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H), `${name} β=${beta} c=${c}`);
        const WH = r.W.multiply(r.H).map((v) => v / c);
        const gap = relativeGap(WH, base.W.multiply(base.H));
        assert.ok(gap < 1e-9, `${name} β=${beta} c=${c}: WH differs by ${gap}`);
        // The loss scales by c^β; where that is below the smallest double (1e-600) it is 0.
        const expected = base.loss * Math.pow(c, beta);
        if (expected > 1e-290) {
          const ratio = r.loss / expected;
          assert.ok(Math.abs(ratio - 1) < 1e-8, `${name} β=${beta} c=${c}: loss ratio ${ratio}`);
        } else {
          assert.ok(r.loss >= 0 && r.loss < 1e-290);
        }
        assert.ok(Math.abs(r.relativeError - base.relativeError) < 1e-9);
      }
    }
  }
});

Deno.test("zero rows and zero columns in V give finite factors with zero rows/columns in WH", () => {
  const V = randomPositive(8, 6, 3);
  for (let j = 0; j < 6; j++) V.set(2, j, 0);
  for (let i = 0; i < 8; i++) V.set(i, 4, 0);
  for (const name of Object.keys(SOLVERS)) {
    const r = nmf(V, { rank: 2, solver: name as SolverName, maxIter: 100, ...quiet });
    assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H), name);
    const WH = r.W.multiply(r.H);
    assert.ok(WH.get(2, 0) < 1e-3 && WH.get(0, 4) < 1e-3, name);
  }
});

Deno.test("rank-deficient V and k = min(m, n) give finite non-negative factors on every solver", () => {
  const u = randomPositive(10, 2, 1), v = randomPositive(2, 5, 2);
  const V = u.multiply(v); // rank 2, shape 10×5
  for (const name of Object.keys(SOLVERS)) {
    for (const k of [4, 5]) {
      const r = nmf(V, { rank: k, solver: name as SolverName, maxIter: 200, ...quiet });
      assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H), `${name} k=${k}`);
      // Plain ALS (projection after an unconstrained solve) may stall: only finiteness is claimed.
      if (name !== "als") assert.ok(r.relativeError < 0.05, `${name} k=${k}: ${r.relativeError}`);
    }
  }
});

Deno.test("10^4 multiplicative updates flush underflow to 0: never NaN, never denormals", () => {
  // A rank-1 matrix fitted at rank 3: the extra components decay towards 0.
  const V = Matrix.fromRows([[1, 2, 3, 4], [2, 4, 6, 8], [3, 6, 9, 12]]);
  for (const beta of [2, 1, 0.5]) {
    const r = nmf(V, {
      rank: 3,
      beta,
      init: "random",
      seed: 1,
      maxIter: 10000,
      tol: 0,
      traceEvery: 1000,
    });
    assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H), `beta ${beta}`);
    for (const x of [...r.W.data, ...r.H.data]) {
      assert.ok(x === 0 || x >= 2.2250738585072014e-308, `denormal ${x}`);
    }
  }
});

Deno.test("beta in (0, 1) with zeros in V: 2000 multiplicative updates never produce NaN", () => {
  const rng = createRng(1);
  const V = Matrix.generate(25, 18, () => (rng.uniform() < 0.3 ? 1 + 5 * rng.uniform() : 0));
  for (const beta of [0.25, 0.5, 0.75]) {
    const r = nmf(V, {
      rank: 3,
      beta,
      init: "random",
      seed: 4,
      maxIter: 2000,
      tol: 0,
      traceEvery: 100,
    });
    assert.ok(nonNegativeFinite(r.W) && nonNegativeFinite(r.H), `beta ${beta}`);
    assert.ok(r.trace.every((t) => Number.isFinite(t.loss)), `beta ${beta}`);
  }
});
