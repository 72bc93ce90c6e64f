/**
 * Matrix-product kernels and the backend interface every solver calls for its heavy products
 * (WᵀV, VHᵀ, the Gram matrices WᵀW and HHᵀ, and WH when a loss needs it).
 *
 * Kernels that write into a buffer end in `Into` and take the output first. They never
 * allocate in their loops.
 *
 * @module
 */

import { Matrix } from "./matrix.ts";

/** Options of {@linkcode gemmInto}: `out ← alpha · op(A) · op(B) + beta · out`. */
export interface GemmOptions {
  /** Use Aᵀ instead of A. @default false */
  transA?: boolean;
  /** Use Bᵀ instead of B. @default false */
  transB?: boolean;
  /** Scale of the product. @default 1 */
  alpha?: number;
  /** Scale of the previous content of `out` (0 overwrites it, even NaN). @default 0 */
  beta?: number;
}

/** A provider of the dense products. `portable` is pure TypeScript; `blas` calls OpenBLAS. */
export interface Backend {
  /** Which backend this is, as reported in results and traces. */
  readonly name: string;
  /** `out ← alpha · op(A) · op(B) + beta · out`; returns `out`. */
  gemmInto(out: Matrix, A: Matrix, B: Matrix, options?: GemmOptions): Matrix;
}

function shapeError(what: string): never {
  throw new TypeError(`gemmInto: ${what}`);
}

/**
 * Portable general matrix product: `out ← alpha · op(A) · op(B) + beta · out`.
 *
 * @example
 * ```ts
 * import { Matrix, gemmInto } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const A = Matrix.fromRows([[1, 2], [3, 4]]);
 * const out = Matrix.zeros(2, 2);
 * gemmInto(out, A, A, { transA: true }); // AᵀA
 * assert.deepEqual(out.toRows(), [[10, 14], [14, 20]]);
 * ```
 */
export function gemmInto(out: Matrix, A: Matrix, B: Matrix, options: GemmOptions = {}): Matrix {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const m = transA ? A.cols : A.rows;
  const kA = transA ? A.rows : A.cols;
  const kB = transB ? B.cols : B.rows;
  const n = transB ? B.rows : B.cols;
  if (kA !== kB) {
    shapeError(
      `inner dimensions differ: op(A) is ${m}×${kA}, op(B) is ${kB}×${n}`,
    );
  }
  if (out.rows !== m || out.cols !== n) {
    shapeError(`out is ${out.rows}×${out.cols}, expected ${m}×${n}`);
  }
  if (out.data === A.data || out.data === B.data) shapeError("out must not alias A or B");
  const o = out.data;
  if (beta === 0) o.fill(0);
  else if (beta !== 1) { for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) * beta; }
  const k = kA;
  const a = A.data, b = B.data;
  if (!transA && !transB) {
    // out[i,:] += alpha A[i,p] B[p,:]
    for (let i = 0; i < m; i++) {
      const oi = i * n, ai = i * k;
      for (let p = 0; p < k; p++) {
        const s = alpha * (a[ai + p] as number);
        if (s === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) o[oi + j] = (o[oi + j] as number) + s * (b[bp + j] as number);
      }
    }
  } else if (transA && !transB) {
    // out[i,:] += alpha A[p,i] B[p,:]   (A is k×m)
    for (let p = 0; p < k; p++) {
      const ap = p * m, bp = p * n;
      for (let i = 0; i < m; i++) {
        const s = alpha * (a[ap + i] as number);
        if (s === 0) continue;
        const oi = i * n;
        for (let j = 0; j < n; j++) o[oi + j] = (o[oi + j] as number) + s * (b[bp + j] as number);
      }
    }
  } else if (!transA && transB) {
    // out[i,j] += alpha <A[i,:], B[j,:]>   (B is n×k)
    for (let i = 0; i < m; i++) {
      const ai = i * k, oi = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[ai + p] as number) * (b[bj + p] as number);
        o[oi + j] = (o[oi + j] as number) + alpha * s;
      }
    }
  } else {
    // out[i,j] += alpha Σ_p A[p,i] B[j,p]
    for (let i = 0; i < m; i++) {
      const oi = i * n;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[p * m + i] as number) * (b[j * k + p] as number);
        o[oi + j] = (o[oi + j] as number) + alpha * s;
      }
    }
  }
  return out;
}

/** The pure-TypeScript backend (runs anywhere, browsers included). */
export const portableBackend: Backend = {
  name: "portable",
  gemmInto,
};

/** `out ← AᵀA` (`transpose: false`, the default) or `out ← AAᵀ` (`transpose: true`). */
export function gramInto(
  out: Matrix,
  A: Matrix,
  options: { transpose?: boolean; backend?: Backend } = {},
): Matrix {
  const backend = options.backend ?? portableBackend;
  return options.transpose
    ? backend.gemmInto(out, A, A, { transB: true })
    : backend.gemmInto(out, A, A, { transA: true });
}

/** Σ_ij A_ij B_ij, the Frobenius inner product of two matrices of the same shape. */
export function dot(A: Matrix, B: Matrix): number {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new TypeError(
      `dot: shapes ${A.rows}×${A.cols} and ${B.rows}×${B.cols} differ`,
    );
  }
  const a = A.data, b = B.data;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
