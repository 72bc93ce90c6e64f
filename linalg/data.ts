/**
 * The data matrix V as the solvers see it: dense (`Matrix`) or sparse (`CsrMatrix`). Every
 * product a solver needs with V goes through these three functions, which cost O(m·n·k) for a
 * dense V and O(nnz·k) for a sparse one — a sparse V is never densified.
 *
 * @module
 */

import { csrSimdInto } from "./csr_simd.ts";
import { csrMatmulInto, type CsrMatrix, csrTransposeMatmulInto } from "./csr.ts";
import type { Backend } from "./kernels.ts";
import { Matrix } from "./matrix.ts";

/** The data matrix: dense or compressed sparse row. */
export type DataMatrix = Matrix | CsrMatrix;

/** Whether V is stored sparse. */
export function isSparse(V: DataMatrix): V is CsrMatrix {
  return !(V instanceof Matrix);
}

/** out (k×n) ← WᵀV for W m×k. */
export function transposeTimesDataInto(
  out: Matrix,
  W: Matrix,
  V: DataMatrix,
  backend: Backend,
): Matrix {
  if (V instanceof Matrix) return backend.gemmInto(out, W, V, { transA: true });
  return csrTransposeMatmulInto(out, V, W, { transOut: true });
}

/** out (m×k) ← VHᵀ for H k×n. */
export function dataTimesTransposeInto(
  out: Matrix,
  V: DataMatrix,
  H: Matrix,
  backend: Backend,
): Matrix {
  if (V instanceof Matrix) return backend.gemmInto(out, V, H, { transB: true });
  return csrMatmulInto(out, V, H, { transB: true });
}

/** out (k×m) ← HVᵀ for H k×n (the transpose of VHᵀ, laid out for row-wise updates of Wᵀ). */
export function factorTimesDataTransposeInto(
  out: Matrix,
  H: Matrix,
  V: DataMatrix,
  backend: Backend,
): Matrix {
  if (V instanceof Matrix) return backend.gemmInto(out, H, V, { transB: true });
  const k = H.rows, n = H.cols, m = V.rows;
  if (out.rows !== k || out.cols !== m) {
    throw new TypeError(
      `factorTimesDataTransposeInto: out is ${out.rows}×${out.cols}, expected ${k}×${m}`,
    );
  }
  if (csrSimdInto(out.data, V, H.data, k, true, false, true, 1, 0)) return out;
  const o = out.data, h = H.data, ptr = V.indptr, idx = V.indices, val = V.values;
  o.fill(0);
  for (let i = 0; i < m; i++) {
    for (let t = ptr[i] as number; t < (ptr[i + 1] as number); t++) {
      const j = idx[t] as number, v = val[t] as number;
      for (let a = 0; a < k; a++) {
        o[a * m + i] = (o[a * m + i] as number) + (h[a * n + j] as number) * v;
      }
    }
  }
  return out;
}

/** The stored values of V (all entries for a dense V, the nonzeros for a sparse one). */
export function storedValues(V: DataMatrix): Float64Array {
  return V instanceof Matrix ? V.data : V.values;
}

/** Number of entries that are stored. */
export function storedCount(V: DataMatrix): number {
  return storedValues(V).length;
}

/** A copy of V with every stored value passed through `f` (the pattern is kept). */
export function mapStored(V: DataMatrix, f: (value: number) => number): DataMatrix {
  const values = storedValues(V).map(f);
  return V instanceof Matrix ? new Matrix(values, V.rows, V.cols) : V.withValues(values);
}

/** The dense form of V (a copy for a sparse V, V itself for a dense one). */
export function toDense(V: DataMatrix): Matrix {
  return V instanceof Matrix ? V : V.toDense();
}
