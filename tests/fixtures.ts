/** Shared fixtures with known answers for the tests. */
import { createRng, Matrix } from "../mod.ts";

/** A planted exactly factorizable problem V = W*H* with positive random factors. */
export function planted(
  m: number,
  n: number,
  k: number,
  seed = 1,
): { V: Matrix; W: Matrix; H: Matrix } {
  const rng = createRng(seed);
  const W = Matrix.generate(m, k, () => rng.uniform() + 0.05);
  const H = Matrix.generate(k, n, () => rng.uniform() + 0.05);
  return { V: W.multiply(H), W, H };
}

/** A random strictly positive matrix. */
export function randomPositive(m: number, n: number, seed = 1, floor = 0.01): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(m, n, () => rng.uniform() + floor);
}

/**
 * A 6×3 factor W whose product V = W·Wᵀ (6×6, rank 3) has a unique NMF up to scaling and
 * permutation (the kind of example studied by Laurberg et al. 2008). Proof: W holds the identity
 * in rows S = {3, 4, 5} and H = Wᵀ holds it in columns T = {3, 4, 5}. If V = W'H' is another rank-3
 * NMF then H = V_S = W'_S H' and W = V_T = W' H'_T, so V = W' (H'_T W'_S) H' and, V having rank 3,
 * H'_T W'_S = I; a product of two non-negative 3×3 matrices equal to I forces both to be
 * monomial, hence W' = W·(scaling·permutation).
 */
export const LAURBERG_W = Matrix.fromRows([
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
  [0, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
]);

/** Relative Frobenius distance ‖A − B‖ / ‖B‖. */
export function relativeDistance(A: Matrix, B: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.size; i++) s += ((A.data[i] as number) - (B.data[i] as number)) ** 2;
  return Math.sqrt(s) / B.frobeniusNorm();
}

/** Whether every entry is finite and ≥ 0. */
export function nonNegativeFinite(M: Matrix): boolean {
  return M.data.every((v) => Number.isFinite(v) && v >= 0);
}
