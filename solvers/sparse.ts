/**
 * The β-divergence products for a sparse (CSR) V, shared by `mu` and the KKT residual.
 *
 * The gradient of D_β(V | WH) is Wᵀ(B − A) and (B − A)Hᵀ with A = V ⊙ (WH)^(β−2) and
 * B = (WH)^(β−1). A is zero wherever V is, so it is evaluated only at the nonzeros of V
 * (O(nnz·k)). B is dense in general: for β = 1 it is all ones (so WᵀB is the column sums of W),
 * otherwise it is formed one row of WH at a time (O(m·n·k) time, O(n) memory). No m×n buffer is
 * ever allocated. Model values are guarded as `guard.ts` says.
 *
 * @module
 */

import type { CsrMatrix } from "../linalg/csr.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { modelFloor, safeModel } from "./guard.ts";

/** A ← V ⊙ (WH)^(β−2) at the stored entries of V (A has V's pattern). */
export function sampledWeightsInto(
  A: CsrMatrix,
  V: CsrMatrix,
  W: Matrix,
  H: Matrix,
  beta: number,
): void {
  const m = W.rows, k = W.cols, n = H.cols, floor = modelFloor(beta);
  const w = W.data, h = H.data, ptr = V.indptr, idx = V.indices, val = V.values, av = A.values;
  for (let i = 0; i < m; i++) {
    for (let t = ptr[i] as number; t < (ptr[i + 1] as number); t++) {
      const j = idx[t] as number;
      let s = 0;
      for (let a = 0; a < k; a++) s += (w[i * k + a] as number) * (h[a * n + j] as number);
      s = safeModel(s, floor);
      const v = val[t] as number;
      av[t] = beta === 2 ? v : beta === 1 ? v / s : v * Math.pow(s, beta - 2);
    }
  }
}

/** out (k×n) ← Wᵀ·A for sparse A (m×n) with `alpha` and `beta` as in gemm. */
export function transposeTimesSparseInto(out: Matrix, W: Matrix, A: CsrMatrix, scale = 1): void {
  const k = W.cols, n = A.cols, w = W.data, o = out.data;
  const ptr = A.indptr, idx = A.indices, av = A.values;
  for (let i = 0; i < A.rows; i++) {
    for (let t = ptr[i] as number; t < (ptr[i + 1] as number); t++) {
      const j = idx[t] as number, x = scale * (av[t] as number);
      for (let a = 0; a < k; a++) {
        o[a * n + j] = (o[a * n + j] as number) + (w[i * k + a] as number) * x;
      }
    }
  }
}

/** out (m×k) += scale · A·Hᵀ for sparse A (m×n). */
export function sparseTimesTransposeInto(out: Matrix, A: CsrMatrix, H: Matrix, scale = 1): void {
  const k = H.rows, n = H.cols, h = H.data, o = out.data;
  const ptr = A.indptr, idx = A.indices, av = A.values;
  for (let i = 0; i < A.rows; i++) {
    for (let t = ptr[i] as number; t < (ptr[i + 1] as number); t++) {
      const j = idx[t] as number, x = scale * (av[t] as number);
      for (let a = 0; a < k; a++) {
        o[i * k + a] = (o[i * k + a] as number) + x * (h[a * n + j] as number);
      }
    }
  }
}

/**
 * Add WᵀB (into `outH`, k×n) and/or BHᵀ (into `outW`, m×k) for the dense B = (WH)^(β−1),
 * formed one row at a time in `row` (length n). β = 1 uses the sums of the factors instead.
 */
export function addDensePowerProducts(
  outH: Matrix | null,
  outW: Matrix | null,
  W: Matrix,
  H: Matrix,
  beta: number,
  row: Float64Array,
): void {
  const m = W.rows, k = W.cols, n = H.cols, w = W.data, h = H.data, floor = modelFloor(beta);
  if (beta === 1) {
    if (outH !== null) {
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += w[i * k + a] as number;
        for (let j = 0; j < n; j++) outH.data[a * n + j] = (outH.data[a * n + j] as number) + s;
      }
    }
    if (outW !== null) {
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += h[a * n + j] as number;
        for (let i = 0; i < m; i++) outW.data[i * k + a] = (outW.data[i * k + a] as number) + s;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let a = 0; a < k; a++) {
      const wia = w[i * k + a] as number;
      if (wia === 0) continue;
      for (let j = 0; j < n; j++) row[j] = (row[j] as number) + wia * (h[a * n + j] as number);
    }
    for (let j = 0; j < n; j++) {
      const y = row[j] as number;
      row[j] = beta === 2 ? y : Math.pow(safeModel(y, floor), beta - 1);
    }
    if (outH !== null) {
      for (let a = 0; a < k; a++) {
        const wia = w[i * k + a] as number;
        if (wia === 0) continue;
        for (let j = 0; j < n; j++) {
          outH.data[a * n + j] = (outH.data[a * n + j] as number) + wia * (row[j] as number);
        }
      }
    }
    if (outW !== null) {
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (row[j] as number) * (h[a * n + j] as number);
        outW.data[i * k + a] = (outW.data[i * k + a] as number) + s;
      }
    }
  }
}
