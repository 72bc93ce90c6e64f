import assert from "node:assert/strict";
import { createRng, Matrix, nmf, transform } from "../mod.ts";

Deno.test("transform() recovers H for data generated from the fitted W", () => {
  const rng = createRng(3);
  const V = Matrix.generate(20, 30, () => rng.uniform());
  const { W } = nmf(V, { rank: 4, maxIter: 100, seed: 1 });
  // New data from W with sparse non-negative coefficients (some exact zeros).
  const Hnew = Matrix.generate(4, 12, () => (rng.uniform() < 0.3 ? 0 : 2 * rng.uniform()));
  const X = W.multiply(Hnew);
  const H = transform(W, X);
  for (let i = 0; i < H.size; i++) assert.ok(Math.abs(H.data[i]! - Hnew.data[i]!) < 1e-8);
});

Deno.test("transform() solves the NNLS problem: KKT conditions hold on noisy data", () => {
  const rng = createRng(4);
  const W = Matrix.generate(15, 3, () => rng.uniform());
  const X = Matrix.generate(15, 10, () => rng.uniform());
  const H = transform(W, X);
  const Wt = W.transpose();
  const grad = Wt.multiply(W).multiply(H).map((v, a, j) => v - Wt.multiply(X).get(a, j));
  for (let i = 0; i < H.size; i++) {
    const h = H.data[i]!, g = grad.data[i]!;
    assert.ok(h >= 0);
    assert.ok(g >= -1e-10, "gradient ≥ 0");
    if (h > 1e-12) assert.ok(Math.abs(g) < 1e-10, "gradient 0 where h > 0");
  }
});

Deno.test("transform() with l1H shrinks the coefficients", () => {
  const W = Matrix.fromRows([[1, 0], [0, 1]]);
  const X = Matrix.fromRows([[3], [0.5]]);
  assert.deepEqual(transform(W, X, { l1H: 1 }).toRows(), [[2], [0]]);
});

Deno.test("transform() rejects a basis of the wrong height or with negative entries", () => {
  const X = Matrix.fromRows([[1], [2]]);
  assert.throws(() => transform(Matrix.zeros(3, 1), X), /W must have 2 rows/);
  assert.throws(() => transform(Matrix.fromRows([[1], [-1]]), X), /non-negative/);
  assert.throws(
    () => transform(Matrix.fromRows([[1], [1]]), X, { l1h: 1 } as never),
    /unknown option/,
  );
});
