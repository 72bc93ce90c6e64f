import assert from "node:assert/strict";
import { createRng, initialize, Matrix, nmf, spa, spaColumns } from "../mod.ts";

/** V = W0 [I, H'] with the columns permuted; H' columns lie strictly inside the simplex. */
function separable(m: number, k: number, extra: number, seed: number) {
  const rng = createRng(seed);
  const W0 = Matrix.generate(m, k, () => rng.uniform());
  const n = k + extra;
  const Hs = Matrix.zeros(k, n);
  for (let a = 0; a < k; a++) Hs.set(a, a, 1);
  for (let j = k; j < n; j++) {
    const w = Array.from({ length: k }, () => 0.05 + rng.uniform());
    const total = w.reduce((s, v) => s + v, 0) / (0.3 + 0.65 * rng.uniform()); // sum in (0.3, 0.95)
    w.forEach((v, a) => Hs.set(a, j, v / total));
  }
  // random permutation of the columns
  const perm = Array.from({ length: n }, (_, j) => j);
  for (let j = n - 1; j > 0; j--) {
    const t = rng.int(j + 1);
    [perm[j], perm[t]] = [perm[t]!, perm[j]!];
  }
  const H = Matrix.generate(k, n, (a, j) => Hs.get(a, perm[j]!));
  const pure = perm.flatMap((p, j) => (p < k ? [j] : [])).sort((a, b) => a - b);
  return { V: W0.multiply(H), pure, W0, H };
}

Deno.test("spa() recovers the planted extreme columns exactly on noiseless separable data", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const { V, pure } = separable(12, 4, 40, seed);
    const { columns, relativeError, H } = spa(V, { rank: 4 });
    assert.deepEqual([...columns].sort((a, b) => a - b), pure, `seed ${seed}`);
    assert.ok(relativeError < 1e-10, `seed ${seed}: ${relativeError}`);
    assert.ok(H.min() >= 0);
  }
});

Deno.test("spa() with normalize recovers extreme rays when columns are conic combinations", () => {
  const { V, pure } = separable(10, 3, 30, 7);
  // Scale every column by a different positive factor: the hull is no longer convex-separable,
  // but the rays are; L1 normalization undoes the scaling.
  const rng = createRng(8);
  const scales = Array.from({ length: V.cols }, () => 0.2 + 5 * rng.uniform());
  const Vs = V.map((v, _i, j) => v * scales[j]!);
  const { columns } = spa(Vs, { rank: 3, normalize: true });
  assert.deepEqual([...columns].sort((a, b) => a - b), pure);
});

Deno.test("init 'spa' starts nmf at the exact separable factorization", () => {
  const { V } = separable(8, 3, 15, 11);
  const { W, H } = initialize(V, 3, { method: "spa" });
  assert.ok(W.multiply(H).map((v, i, j) => Math.abs(v - V.get(i, j))).max() < 1e-10);
  const r = nmf(V, { rank: 3, init: "spa", solver: "mu", maxIter: 5, warn: () => {} });
  assert.equal(r.options.init, "spa");
  assert.ok(r.relativeError < 1e-8);
});

Deno.test("spaColumns() never picks a column twice, even beyond the rank of V", () => {
  const V = Matrix.fromRows([[1, 2, 3], [1, 2, 3]]); // rank 1
  const cols = spaColumns(V, 3);
  assert.equal(new Set(cols).size, 3);
  assert.equal(cols[0], 2);
});

Deno.test("spa() rejects a rank above the number of columns and unknown options", () => {
  const V = Matrix.fromRows([[1, 2], [3, 4]]);
  assert.throws(() => spa(V, { rank: 3 }), RangeError);
  assert.throws(() => spa(V, { rank: 1, normalise: true } as never), /unknown option/);
  assert.throws(() => initialize(V, 3, { method: "spa" }), /at most the number of columns/);
});
