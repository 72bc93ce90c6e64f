import assert from "node:assert/strict";
import { createRng, Matrix, svd } from "../mod.ts";

function reconstruct(U: Matrix, S: Float64Array, Vt: Matrix): Matrix {
  const US = U.map((v, _i, j) => v * S[j]!);
  return US.multiply(Vt);
}

Deno.test("svd (Jacobi) reconstructs small matrices to 1e-10 and has orthonormal factors", () => {
  const rng = createRng(11);
  for (const [m, n] of [[1, 1], [5, 3], [3, 5], [12, 12], [40, 7]] as const) {
    const A = Matrix.generate(m, n, () => rng.normal());
    const { U, S, Vt } = svd(A);
    const R = reconstruct(U, S, Vt);
    let err = 0;
    for (let i = 0; i < A.size; i++) err = Math.max(err, Math.abs(R.data[i]! - A.data[i]!));
    assert.ok(err < 1e-10 * (S[0] ?? 1), `${m}×${n}: ${err}`);
    const UtU = U.transpose().multiply(U);
    const VVt = Vt.multiply(Vt.transpose());
    for (let i = 0; i < S.length; i++) {
      for (let j = 0; j < S.length; j++) {
        assert.ok(Math.abs(UtU.get(i, j) - (i === j ? 1 : 0)) < 1e-10);
        assert.ok(Math.abs(VVt.get(i, j) - (i === j ? 1 : 0)) < 1e-10);
      }
      if (i > 0) assert.ok(S[i - 1]! >= S[i]!);
    }
  }
});

Deno.test("svd singular values of a diagonal matrix are its sorted absolute diagonal", () => {
  const A = Matrix.fromRows([[2, 0, 0], [0, -5, 0], [0, 0, 1]]);
  assert.deepEqual(Array.from(svd(A).S).map((s) => Math.round(s * 1e12) / 1e12), [5, 2, 1]);
});

Deno.test("randomized svd matches Jacobi on a large low-rank-plus-noise matrix", () => {
  const rng = createRng(5);
  const m = 400, n = 300, r = 5;
  const L = Matrix.generate(m, r, () => rng.normal()).multiply(
    Matrix.generate(r, n, () => rng.normal()),
  );
  const A = L.map((v) => v + 1e-3 * rng.normal());
  const exact = svd(A, { rank: r, method: "jacobi" });
  const fast = svd(A, { rank: r, method: "randomized", seed: 1 });
  for (let i = 0; i < r; i++) {
    assert.ok(Math.abs(exact.S[i]! - fast.S[i]!) < 1e-8 * exact.S[0]!, `σ${i}`);
  }
});

Deno.test("svd rejects a rank outside [1, min(m, n)]", () => {
  assert.throws(() => svd(Matrix.zeros(3, 2), { rank: 3 }), {
    name: "RangeError",
    message: /rank must be an integer in \[1, 2\], got 3/,
  });
});
