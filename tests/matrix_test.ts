import assert from "node:assert/strict";
import { createRng, Matrix, scaledNorm } from "../mod.ts";

Deno.test("Matrix.fromRows stores rows row-major in one Float64Array", () => {
  const M = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
  assert.equal(M.rows, 2);
  assert.equal(M.cols, 3);
  assert.ok(M.data instanceof Float64Array);
  assert.deepEqual(Array.from(M.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(M.get(1, 2), 6);
});

Deno.test("Matrix.from wraps a Float64Array without copying and copies plain arrays", () => {
  const buffer = new Float64Array([1, 2, 3, 4]);
  const M = Matrix.from(buffer, 2, 2);
  assert.equal(M.data, buffer);
  const P = Matrix.from([1, 2, 3, 4], 2, 2);
  assert.notEqual(P.data, buffer);
  assert.deepEqual(P.toRows(), [[1, 2], [3, 4]]);
});

Deno.test("Matrix.zeros, identity, transpose, multiply agree with hand computation", () => {
  assert.deepEqual(Matrix.zeros(2, 1).toRows(), [[0], [0]]);
  assert.deepEqual(Matrix.identity(2).toRows(), [[1, 0], [0, 1]]);
  const A = Matrix.fromRows([[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(A.transpose().toRows(), [[1, 3, 5], [2, 4, 6]]);
  assert.deepEqual(A.transpose().multiply(A).toRows(), [[35, 44], [44, 56]]);
});

Deno.test("Matrix rejects ragged rows, non-numbers and wrong lengths with TypeError naming the place", () => {
  assert.throws(() => Matrix.fromRows([[1, 2], [3]]), {
    name: "TypeError",
    message: /rows\[1\] has length 1, expected 2/,
  });
  assert.throws(
    () => Matrix.fromRows([[1, "x" as unknown as number]]),
    { name: "TypeError", message: /rows\[0\]\[1\] must be a number, got "x"/ },
  );
  assert.throws(() => Matrix.from([1, 2, 3], 2, 2), {
    name: "TypeError",
    message: /length 3, expected rows × cols = 2 × 2 = 4/,
  });
  assert.throws(() => Matrix.zeros(-1, 2), { name: "RangeError", message: /rows .* got -1/ });
  assert.throws(() => Matrix.zeros(1.5, 2), { name: "TypeError", message: /rows .* got 1.5/ });
  assert.throws(() => Matrix.fromRows(null as unknown as number[][]), { name: "TypeError" });
  assert.throws(() => Matrix.identity(2).multiply(Matrix.zeros(3, 1)), {
    name: "TypeError",
    message: /2×2 and 3×1 do not conform/,
  });
});

Deno.test("scaledNorm neither underflows at 1e-300 nor overflows at 1e300", () => {
  assert.ok(Math.abs(scaledNorm([3e-300, 4e-300]) / 5e-300 - 1) < 1e-15);
  assert.ok(Math.abs(scaledNorm([3e300, 4e300]) / 5e300 - 1) < 1e-15);
  assert.equal(scaledNorm([]), 0);
});

Deno.test("multiply matches a naive triple loop on random shapes", () => {
  const rng = createRng(3);
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 2], [7, 1, 4], [10, 6, 9]] as const) {
    const A = Matrix.generate(m, k, () => rng.normal());
    const B = Matrix.generate(k, n, () => rng.normal());
    const C = A.multiply(B);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A.get(i, p) * B.get(p, j);
        assert.ok(Math.abs(C.get(i, j) - s) < 1e-12);
      }
    }
  }
});
