/** nmf on a sparse (CSR) V: the same iterates as on the dense V, without densifying it. */
import assert from "node:assert/strict";
import { createRng, CsrMatrix, Matrix, nmf, type SolverName, SOLVERS } from "../mod.ts";

function sparseData(m: number, n: number, density: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(m, n, () => (rng.uniform() < density ? 1 + 5 * rng.uniform() : 0));
}

function maxRelativeGap(a: Float64Array, b: Float64Array): number {
  let gap = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return gap / scale;
}

Deno.test("every solver that accepts a CsrMatrix follows the dense iterates to 1e-10", () => {
  const dense = sparseData(25, 18, 0.3, 1);
  const sparse = CsrMatrix.fromDense(dense);
  const solvers = (Object.keys(SOLVERS) as SolverName[]).filter((s) => SOLVERS[s]!.supportsSparse);
  assert.ok(solvers.includes("mu") && solvers.includes("hals"));
  for (const solver of solvers) {
    for (const beta of solver === "mu" ? [2, 1, 1.5, 0.5, 3] : [2]) {
      const opts = { rank: 3, solver, beta, init: "random" as const, seed: 4, maxIter: 25, tol: 0 };
      const a = nmf(dense, opts), b = nmf(sparse, opts);
      assert.ok(
        maxRelativeGap(b.W.data, a.W.data) < 1e-10,
        `${solver} β=${beta}: W ${maxRelativeGap(b.W.data, a.W.data)}`,
      );
      assert.ok(maxRelativeGap(b.H.data, a.H.data) < 1e-10, `${solver} β=${beta}: H`);
      for (let t = 0; t < a.trace.length; t++) {
        const x = a.trace[t]!, y = b.trace[t]!;
        assert.ok(Math.abs(x.loss - y.loss) <= 1e-9 * x.loss, `${solver} β=${beta}: loss at ${t}`);
        assert.ok(Math.abs(x.relativeError - y.relativeError) <= 1e-9, `${solver} β=${beta}`);
        assert.ok(
          Math.abs(x.kkt - y.kkt) <= 1e-7 * Math.max(1, x.kkt),
          `${solver} β=${beta}: kkt at ${t}: ${x.kkt} vs ${y.kkt}`,
        );
      }
    }
  }
});

Deno.test("sparse V: negative values, Itakura-Saito with implicit zeros and masks are rejected", () => {
  const V = CsrMatrix.fromDense(Matrix.fromRows([[0, 2], [3, 0]]));
  assert.throws(() => nmf(V, { rank: 1, beta: "itakura-saito" }), {
    name: "RangeError",
    message: /sparse V with 2 zero entries/,
  });
  assert.throws(() => nmf(V, { rank: 1, mask: Matrix.filled(2, 2, 1) }), {
    name: "TypeError",
    message: /mask needs a dense V/,
  });
  const negative = CsrMatrix.fromDense(Matrix.fromRows([[0, 2], [-3, 0]]));
  assert.throws(() => nmf(negative, { rank: 1 }), {
    name: "RangeError",
    message: /negative entry V\[1\]\[0\] = -3/,
  });
});
