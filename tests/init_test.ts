import assert from "node:assert/strict";
import { INIT_NAMES, initialize, Matrix } from "../mod.ts";
import { nonNegativeFinite, randomPositive } from "./fixtures.ts";

Deno.test("every initialization gives non-negative factors of the right shape", () => {
  const V = randomPositive(12, 9, 3);
  for (const method of INIT_NAMES) {
    const { W, H } = initialize(V, 3, { method, seed: 2 });
    assert.deepEqual([W.rows, W.cols, H.rows, H.cols], [12, 3, 3, 9], method);
    assert.ok(nonNegativeFinite(W) && nonNegativeFinite(H), method);
  }
});

Deno.test("same seed gives bit-identical initial factors; another seed changes random ones", () => {
  const V = randomPositive(10, 8, 4);
  for (const method of INIT_NAMES) {
    const a = initialize(V, 3, { method, seed: 9 }), b = initialize(V, 3, { method, seed: 9 });
    assert.deepEqual(a.W.data, b.W.data, method);
    assert.deepEqual(a.H.data, b.H.data, method);
  }
  for (const method of ["random", "random-acol", "nndsvdar"] as const) {
    const a = initialize(V, 3, { method, seed: 1 }), b = initialize(V, 3, { method, seed: 2 });
    assert.notDeepEqual(Array.from(a.H.data), Array.from(b.H.data), method);
  }
});

Deno.test("random init has the scale √(mean(V)/k) so that mean(WH) ≈ mean(V)", () => {
  const V = Matrix.filled(200, 150, 4);
  const { W, H } = initialize(V, 5, { method: "random", seed: 1 });
  const meanWH = W.multiply(H).sum() / V.size;
  // E|N(0,1)|² = 2/π, times k · (mean/k) = mean · 2/π
  assert.ok(Math.abs(meanWH / (4 * 2 / Math.PI) - 1) < 0.05, `${meanWH}`);
});

Deno.test("nndsvd has exact zeros, nndsvda fills them with mean(V), nndsvdar with small values", () => {
  const V = randomPositive(20, 15, 8);
  const plain = initialize(V, 4, { method: "nndsvd" });
  const zeros = [...plain.W.data, ...plain.H.data].filter((v) => v === 0).length;
  assert.ok(zeros > 0, "NNDSVD of a rank-4 problem has zeros");
  const filled = initialize(V, 4, { method: "nndsvda" });
  const mean = V.sum() / V.size;
  assert.equal([...filled.W.data, ...filled.H.data].filter((v) => v === 0).length, 0);
  assert.equal(
    [...filled.W.data].filter((v) => v === mean).length > 0 ||
      [...filled.H.data].filter((v) => v === mean).length > 0,
    true,
  );
  const small = initialize(V, 4, { method: "nndsvdar", seed: 1 });
  for (let i = 0; i < plain.W.size; i++) {
    if (plain.W.data[i] === 0) assert.ok(small.W.data[i]! < mean, "fills are below mean/100·|N|");
  }
});

Deno.test("nndsvd of an exactly rank-1 non-negative matrix is exact", () => {
  const u = Matrix.fromRows([[1], [2], [3]]), v = Matrix.fromRows([[4, 5]]);
  const V = u.multiply(v);
  const { W, H } = initialize(V, 1, { method: "nndsvd" });
  const R = W.multiply(H);
  for (let i = 0; i < V.size; i++) assert.ok(Math.abs(R.data[i]! - V.data[i]!) < 1e-12);
});

Deno.test("initialize rejects bad method, rank, options and data with named errors", () => {
  const V = randomPositive(4, 3);
  assert.throws(() => initialize(V, 2, { method: "svd" as never }), {
    name: "RangeError",
    message: /method must be one of "random", .*got "svd"/,
  });
  assert.throws(() => initialize(V, 0), { name: "RangeError", message: /rank .* got 0/ });
  assert.throws(() => initialize(V, 1.5), { name: "TypeError", message: /rank .* got 1.5/ });
  assert.throws(() => initialize(V, 4, { method: "nndsvd" }), {
    name: "RangeError",
    message: /rank must be at most min\(rows, cols\) = 3 .* got 4/,
  });
  assert.throws(() => initialize(V, 2, { seeds: 1 } as never), {
    name: "TypeError",
    message: /unknown option "seeds"/,
  });
  assert.throws(() => initialize(Matrix.fromRows([[1, -1]]), 1), {
    name: "RangeError",
    message: /V\[0\]\[1\] = -1/,
  });
  assert.throws(() => initialize("V" as never, 1), {
    name: "TypeError",
    message: /V must be a Matrix/,
  });
});
