/**
 * The WebAssembly SIMD path of the sparse products (`csrMatmulInto`, `csrTransposeMatmulInto`):
 * the CSR arrays and the dense operand are copied into the kernels' memory, where `csrProduct`
 * (kernels.wat) runs one f64x2 multiply-add per two columns of each stored entry, and the result
 * comes back with the caller's alpha, beta and transpose. Copying is O(nnz + (m + n)·p), the
 * product O(nnz·p). One thread: the scattering form (Vᵀ·X) writes rows that any stored entry may
 * share.
 *
 * @module
 */

import { accumulateInto } from "./accumulate.ts";
import type { CsrMatrix } from "./csr.ts";
import { placeOperand, scratchOf } from "./gemm_simd.ts";
import { heapView } from "./wasm_heap.ts";
import { wasmKernels } from "./wasm.ts";

/** Sparse products with fewer multiply-adds (nnz·p) than this stay in TypeScript. */
export const CSR_SIMD_MIN_WORK = 4096;

const up = (x: number, to: number) => Math.ceil(x / to) * to;

/**
 * `out ← alpha · V · X + beta · out` (`scatter` false: out is V.rows × p) or
 * `out ← alpha · Vᵀ · X + beta · out` (`scatter` true: out is V.cols × p, or its transpose p × V.cols
 * when `transOut`), where X (V.cols × p when gathering, V.rows × p when scattering) is `x` as
 * stored, or the transpose of the p-row `x` when `transX`. Returns false, having done nothing,
 * where WebAssembly SIMD is unavailable, the product is small or the operands do not fit.
 */
export function csrSimdInto(
  out: Float64Array,
  V: CsrMatrix,
  x: Float64Array,
  p: number,
  transX: boolean,
  scatter: boolean,
  transOut: boolean,
  alpha: number,
  beta: number,
): boolean {
  const kernels = wasmKernels();
  if (kernels === null || V.nnz * p < CSR_SIMD_MIN_WORK) return false;
  const rows = V.rows, xRows = scatter ? V.rows : V.cols, yRows = scatter ? V.cols : V.rows;
  const P = up(p, 2);
  // Element offsets (doubles) of: indptr and indices (i32, two per double), values, X, Y.
  const sizePtr = Math.ceil((rows + 1) / 2), sizeIdx = Math.ceil(V.nnz / 2);
  const base = scratchOf(sizePtr + sizeIdx + V.nnz + xRows * P + yRows * P);
  if (base < 0) return false;
  const offIdx = base + sizePtr, offVal = offIdx + sizeIdx, offX = offVal + V.nnz;
  const offY = offX + xRows * P;
  const heap = heapView(), ints = new Int32Array(heap.buffer);
  ints.set(V.indptr, 2 * base);
  ints.set(V.indices, 2 * offIdx);
  heap.set(V.values, offVal);
  placeOperand(heap, offX, P, xRows, x, transX ? p : xRows, transX ? xRows : p, !transX);
  heap.fill(0, offY, offY + yRows * P);
  kernels.csrProduct(
    8 * base,
    8 * offIdx,
    8 * offVal,
    8 * offX,
    8 * offY,
    rows,
    8 * P,
    scatter ? 1 : 0,
  );
  accumulateInto(out, heap, offY, P, yRows, p, alpha, beta, transOut);
  return true;
}
