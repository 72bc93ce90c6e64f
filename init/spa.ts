/**
 * The successive projection algorithm, SPA (Araújo et al. 2001; analysed for separable NMF by
 * Gillis & Vavasis 2014, "Fast and robust recursive algorithms for separable nonnegative matrix
 * factorization", IEEE TPAMI 36(4)).
 *
 * A matrix is separable when V = W[I_k, H'] up to a permutation of columns: every column of W
 * appears among the columns of V, and the other columns are non-negative combinations of them.
 * When the coefficients of each column sum to at most 1, the columns of W are the vertices of
 * the convex hull of V's columns, and the column of largest Euclidean norm is one of them (a
 * strongly convex function is maximized at a vertex). SPA picks that column, projects every
 * column onto the orthogonal complement of it (the picked vertex collapses to 0, the others
 * stay vertices of the projected hull), and repeats k times. On noiseless separable data it
 * returns exactly the columns of W; with noise it is provably robust (Gillis & Vavasis).
 *
 * As an initialization, W = V[:, selected] and H solves the NNLS problem min ‖V − WH‖, H ≥ 0
 * (so H has exact zeros; multiplicative updates cannot move them, as with "nndsvd").
 *
 * @module
 */

import { gemmInto } from "../linalg/kernels.ts";
import { formatValue, Matrix } from "../linalg/matrix.ts";
import { nnlsInto } from "../linalg/nnls.ts";

/** Options of {@linkcode spaColumns}. */
export interface SpaOptions {
  /**
   * Scale every column of V to unit L1 norm before selecting (the conic setting: use it when the
   * coefficients of a column do not sum to at most 1). Zero columns are left as they are.
   * @default false
   */
  normalize?: boolean;
}

/**
 * The indices of `rank` columns of V selected by SPA, in the order they were picked.
 * Columns with equal residual norm go to the lowest index. When V has fewer than `rank`
 * independent columns, the later picks have zero residual and are the lowest unused indices.
 *
 * @example
 * ```ts
 * import { Matrix, spaColumns } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 0, 0.5], [0, 1, 0.5]]); // column 2 is the midpoint
 * assert.deepEqual(spaColumns(V, 2), [0, 1]);
 * ```
 */
export function spaColumns(V: Matrix, rank: number, options: SpaOptions = {}): number[] {
  if (!(V instanceof Matrix)) {
    throw new TypeError(`spaColumns: V must be a Matrix, got ${formatValue(V)}`);
  }
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1 || rank > V.cols) {
    throw new RangeError(
      `spaColumns: rank must be an integer in [1, ${V.cols}] (the number of columns of V), got ${
        formatValue(rank)
      }`,
    );
  }
  const m = V.rows, n = V.cols;
  // R holds the residual columns, stored column by column (column j at R[j·m …]).
  const R = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) R[j * m + i] = V.data[i * n + j] as number;
  }
  if (options.normalize) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += Math.abs(R[j * m + i] as number);
      if (s > 0) { for (let i = 0; i < m; i++) R[j * m + i] = (R[j * m + i] as number) / s; }
    }
  }
  const used = new Uint8Array(n);
  const chosen: number[] = [];
  const u = new Float64Array(m);
  for (let t = 0; t < rank; t++) {
    let best = -1, arg = -1;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      let s = 0;
      for (let i = 0; i < m; i++) {
        const r = R[j * m + i] as number;
        s += r * r;
      }
      if (s > best) {
        best = s;
        arg = j;
      }
    }
    used[arg] = 1;
    chosen.push(arg);
    if (best <= 0) continue;
    for (let i = 0; i < m; i++) u[i] = R[arg * m + i] as number;
    // R ← (I − uuᵀ/‖u‖²) R
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = 0; i < m; i++) d += (u[i] as number) * (R[j * m + i] as number);
      const c = d / best;
      if (c === 0) continue;
      for (let i = 0; i < m; i++) R[j * m + i] = (R[j * m + i] as number) - c * (u[i] as number);
    }
  }
  return chosen;
}

/** W = V[:, columns] and H = argmin_{H ≥ 0} ‖V − WH‖_F (by block principal pivoting). */
export function factorsFromColumns(
  V: Matrix,
  columns: readonly number[],
): { W: Matrix; H: Matrix } {
  const m = V.rows, n = V.cols, k = columns.length;
  const W = Matrix.zeros(m, k);
  columns.forEach((c, a) => {
    for (let i = 0; i < m; i++) W.data[i * k + a] = V.data[i * n + c] as number;
  });
  const G = Matrix.zeros(k, k), C = Matrix.zeros(k, n), H = Matrix.zeros(k, n);
  gemmInto(G, W, W, { transA: true });
  gemmInto(C, W, V, { transA: true });
  nnlsInto(H, G, C);
  return { W, H };
}
