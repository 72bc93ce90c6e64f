/**
 * Truncated singular value decomposition, A ≈ U diag(S) Vt, for the SVD-based initializations
 * (NNDSVD and its variants) and for PCA comparisons.
 *
 * - Small problems: one-sided Jacobi (Hestenes 1958) on the whole matrix — rotate pairs of
 *   columns until all are orthogonal; their norms are then the singular values. Accurate to a
 *   few ulps of the largest singular value.
 * - Large problems: randomized range finding with power iterations (Halko, Martinsson & Tropp
 *   2011): Q = orth((AAᵀ)^q A Ω), then the small matrix QᵀA is decomposed exactly by Jacobi.
 *
 * @module
 */

import { gemmInto } from "./kernels.ts";
import { formatValue, Matrix } from "./matrix.ts";
import { createRng } from "./rng.ts";

/** A truncated SVD: `U` is m×r, `S` has r values in decreasing order, `Vt` is r×n. */
export interface Svd {
  U: Matrix;
  S: Float64Array;
  Vt: Matrix;
}

/** Options of {@linkcode svd}. */
export interface SvdOptions {
  /** Number of singular triplets to return. @default min(rows, cols) */
  rank?: number;
  /** Seed of the random test matrix (randomized path only). @default 0 */
  seed?: number;
  /** Force the method; `auto` uses Jacobi when min(m, n) ≤ 150 or rank is most of it. @default "auto" */
  method?: "auto" | "jacobi" | "randomized";
  /** Power iterations of the randomized method. @default 6 */
  powerIterations?: number;
  /** Extra columns sampled by the randomized method. @default 10 */
  oversample?: number;
}

/**
 * One-sided Jacobi on the rows of `B` (p×q): rotates pairs of rows until they are orthogonal,
 * applying the same rotations to the rows of `R` (p×p, starts as identity).
 */
function jacobiRowsInPlace(B: Float64Array, p: number, q: number, R: Float64Array): void {
  const eps = 1e-15;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let i = 0; i < p - 1; i++) {
      for (let j = i + 1; j < p; j++) {
        let alpha = 0, beta = 0, gamma = 0;
        const bi = i * q, bj = j * q;
        for (let t = 0; t < q; t++) {
          const x = B[bi + t] as number, y = B[bj + t] as number;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let u = 0; u < q; u++) {
          const x = B[bi + u] as number, y = B[bj + u] as number;
          B[bi + u] = c * x - s * y;
          B[bj + u] = s * x + c * y;
        }
        const ri = i * p, rj = j * p;
        for (let u = 0; u < p; u++) {
          const x = R[ri + u] as number, y = R[rj + u] as number;
          R[ri + u] = c * x - s * y;
          R[rj + u] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
}

/** Full thin SVD of A (m×n, m ≥ n) by one-sided Jacobi on its columns. */
function jacobiTall(A: Matrix): Svd {
  const m = A.rows, n = A.cols;
  const B = A.transpose().data; // rows of B = columns of A
  const R = Matrix.identity(n).data; // rows of R = columns of V
  jacobiRowsInPlace(B, n, m, R);
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let scale = 0;
    for (let t = 0; t < m; t++) scale = Math.max(scale, Math.abs(B[j * m + t] as number));
    let s = 0;
    if (scale > 0) {
      for (let t = 0; t < m; t++) {
        const v = (B[j * m + t] as number) / scale;
        s += v * v;
      }
    }
    norms[j] = scale * Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) =>
    (norms[b] as number) - (norms[a] as number) || a - b
  );
  const U = Matrix.zeros(m, n), S = new Float64Array(n), Vt = Matrix.zeros(n, n);
  order.forEach((j, r) => {
    const sigma = norms[j] as number;
    S[r] = sigma;
    for (let t = 0; t < m; t++) {
      U.data[t * n + r] = sigma > 0 ? (B[j * m + t] as number) / sigma : (t === r ? 1 : 0);
    }
    for (let t = 0; t < n; t++) Vt.data[r * n + t] = R[j * n + t] as number;
  });
  return { U, S, Vt };
}

function jacobiSvd(A: Matrix): Svd {
  if (A.rows >= A.cols) return jacobiTall(A);
  const { U, S, Vt } = jacobiTall(A.transpose());
  return { U: Vt.transpose(), S, Vt: U.transpose() };
}

/** Orthonormalize the columns of Y (m×l) in place by modified Gram–Schmidt, twice. */
function orthonormalizeColumns(Y: Matrix): void {
  const m = Y.rows, l = Y.cols, y = Y.data;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < l; j++) {
      for (let i = 0; i < j; i++) {
        let d = 0;
        for (let t = 0; t < m; t++) d += (y[t * l + i] as number) * (y[t * l + j] as number);
        for (let t = 0; t < m; t++) {
          y[t * l + j] = (y[t * l + j] as number) - d * (y[t * l + i] as number);
        }
      }
      let norm = 0;
      for (let t = 0; t < m; t++) norm += (y[t * l + j] as number) ** 2;
      norm = Math.sqrt(norm);
      for (let t = 0; t < m; t++) y[t * l + j] = norm > 0 ? (y[t * l + j] as number) / norm : 0;
    }
  }
}

function truncate(full: Svd, r: number): Svd {
  const m = full.U.rows, n = full.Vt.cols, p = full.S.length;
  const U = Matrix.zeros(m, r), Vt = Matrix.zeros(r, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < r; j++) U.data[i * r + j] = full.U.data[i * p + j] as number;
  }
  Vt.data.set(full.Vt.data.subarray(0, r * n));
  return { U, S: full.S.slice(0, r), Vt };
}

/**
 * The leading `rank` singular triplets of A.
 *
 * @example
 * ```ts
 * import { Matrix, svd } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const A = Matrix.fromRows([[3, 0], [0, 4], [0, 0]]);
 * const { S } = svd(A);
 * assert.ok(Math.abs(S[0]! - 4) < 1e-12 && Math.abs(S[1]! - 3) < 1e-12);
 * ```
 */
export function svd(A: Matrix, options: SvdOptions = {}): Svd {
  if (!(A instanceof Matrix)) throw new TypeError(`svd: A must be a Matrix, got ${formatValue(A)}`);
  const m = A.rows, n = A.cols, p = Math.min(m, n);
  const r = options.rank ?? p;
  if (!Number.isInteger(r) || r < 1 || r > p) {
    throw new RangeError(`svd: rank must be an integer in [1, ${p}], got ${formatValue(r)}`);
  }
  const oversample = options.oversample ?? 10;
  const method = options.method ?? "auto";
  const useJacobi = method === "jacobi" ||
    (method === "auto" && (p <= 150 || 2 * (r + oversample) >= p));
  if (useJacobi) return truncate(jacobiSvd(A), r);
  const l = Math.min(p, r + oversample);
  const q = options.powerIterations ?? 6;
  const rng = createRng(options.seed ?? 0);
  const omega = Matrix.zeros(n, l);
  for (let i = 0; i < omega.size; i++) omega.data[i] = rng.normal();
  const Y = Matrix.zeros(m, l), Z = Matrix.zeros(n, l);
  gemmInto(Y, A, omega);
  orthonormalizeColumns(Y);
  for (let it = 0; it < q; it++) {
    gemmInto(Z, A, Y, { transA: true });
    orthonormalizeColumns(Z);
    gemmInto(Y, A, Z);
    orthonormalizeColumns(Y);
  }
  const B = Matrix.zeros(l, n);
  gemmInto(B, Y, A, { transA: true }); // B = QᵀA, l×n
  const small = jacobiSvd(B); // B = Ub S Vt
  const U = Matrix.zeros(m, l);
  gemmInto(U, Y, small.U);
  return truncate({ U, S: small.S, Vt: small.Vt }, r);
}
