/**
 * Cholesky factorization G = LLᵀ of a symmetric positive semi-definite matrix, or of one of its
 * principal sub-matrices G[S, S] (S an index list), and the triangular solves that use it.
 *
 * The Gram matrices of NMF (WᵀW, HHᵀ) are only semi-definite: a dead component or two parallel
 * columns make them singular. Instead of failing, a pivot that is not clearly positive (at most
 * `dropTolerance` times its diagonal entry) is *dropped*: its column of L is set to 0, which is
 * the Cholesky factor of G with that variable fixed at 0. The solve then returns 0 for it. For a
 * consistent system (right-hand side in the range of G, as AᵀB always is for G = AᵀA) the
 * result is still an exact least-squares solution.
 *
 * @module
 */

import { formatValue, Matrix } from "./matrix.ts";

/** Options of {@linkcode choleskyInto}. */
export interface CholeskyOptions {
  /** Indices (rows and columns of G) of the principal sub-matrix to factor. @default all of G */
  index?: ArrayLike<number>;
  /** How many entries of `index` to use. @default index.length (or G.rows without index) */
  size?: number;
  /** Added to every diagonal entry before factoring (a ridge). @default 0 */
  shift?: number;
  /** A pivot ≤ dropTolerance · (its diagonal entry) is dropped (treated as 0). @default 1e-12 */
  dropTolerance?: number;
}

/**
 * Factor G[S, S] + shift·I = LLᵀ into the leading p×p block of `L` (lower triangle; the upper
 * triangle is not touched). Returns the number of dropped pivots; a dropped pivot j has
 * `L[j][j] = 0`.
 *
 * @example
 * ```ts
 * import { choleskyInto, choleskySolveInto, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const G = Matrix.fromRows([[4, 2], [2, 3]]);
 * const L = Matrix.zeros(2, 2);
 * assert.equal(choleskyInto(L, G), 0);
 * const x = Float64Array.of(6, 5);          // G x = [6, 5]  ⇒  x = [1, 1]
 * choleskySolveInto(x, L);
 * assert.ok(Math.abs(x[0]! - 1) < 1e-15 && Math.abs(x[1]! - 1) < 1e-15);
 * ```
 */
export function choleskyInto(L: Matrix, G: Matrix, options: CholeskyOptions = {}): number {
  if (!(G instanceof Matrix) || G.rows !== G.cols) {
    throw new TypeError(`choleskyInto: G must be a square Matrix, got ${formatValue(G)}`);
  }
  const index = options.index;
  const p = options.size ?? (index === undefined ? G.rows : index.length);
  if (!(L instanceof Matrix) || L.rows < p || L.cols < p) {
    throw new TypeError(
      `choleskyInto: L must be a Matrix of at least ${p}×${p}, got ${formatValue(L)}`,
    );
  }
  const shift = options.shift ?? 0;
  const tol = options.dropTolerance ?? 1e-12;
  const s = L.cols, l = L.data, g = G.data, n = G.cols;
  let dropped = 0;
  for (let j = 0; j < p; j++) {
    const gj = index === undefined ? j : (index[j] as number);
    const diag = (g[gj * n + gj] as number) + shift;
    let d = diag;
    const lj = j * s;
    for (let q = 0; q < j; q++) {
      const v = l[lj + q] as number;
      d -= v * v;
    }
    if (!(diag > 0) || !(d > tol * diag)) {
      l[lj + j] = 0;
      for (let r = j + 1; r < p; r++) l[r * s + j] = 0;
      dropped++;
      continue;
    }
    const root = Math.sqrt(d);
    l[lj + j] = root;
    for (let r = j + 1; r < p; r++) {
      const gr = index === undefined ? r : (index[r] as number);
      const lr = r * s;
      let v = g[gr * n + gj] as number;
      for (let q = 0; q < j; q++) v -= (l[lr + q] as number) * (l[lj + q] as number);
      l[lr + j] = v / root;
    }
  }
  return dropped;
}

/** Options of {@linkcode choleskySolveInto}. */
export interface CholeskySolveOptions {
  /** Size p of the factor in the leading block of L. @default x.length */
  size?: number;
}

/**
 * Solve LLᵀx = b in place: `x` holds b on entry and the solution on exit (first p entries).
 * Components of dropped pivots (L[j][j] = 0) come out as 0.
 */
export function choleskySolveInto(
  x: Float64Array,
  L: Matrix,
  options: CholeskySolveOptions = {},
): Float64Array {
  const p = options.size ?? x.length;
  const s = L.cols, l = L.data;
  for (let j = 0; j < p; j++) {
    const d = l[j * s + j] as number;
    if (d === 0) {
      x[j] = 0;
      continue;
    }
    let v = x[j] as number;
    for (let q = 0; q < j; q++) v -= (l[j * s + q] as number) * (x[q] as number);
    x[j] = v / d;
  }
  for (let j = p - 1; j >= 0; j--) {
    const d = l[j * s + j] as number;
    if (d === 0) {
      x[j] = 0;
      continue;
    }
    let v = x[j] as number;
    for (let r = j + 1; r < p; r++) v -= (l[r * s + j] as number) * (x[r] as number);
    x[j] = v / d;
  }
  return x;
}
