/**
 * The WebAssembly SIMD path of the portable matrix product: the glue between row-major
 * `Float64Array` operands and the two f64x2 kernels of `kernels.wat` (loaded by `wasm.ts`, run on
 * one or more threads by `wasm_threads.ts`).
 *
 * - `kernelTN` computes C += Atᵀ·B from At (k×m) and B (k×n), vectorized along the rows of B;
 * - `kernelNT` computes C += A·Btᵀ from A (m×k) and Bt (n×k), vectorized along the inner index.
 *
 * op(A)·op(B) for the four transpose cases is mapped onto them: Aᵀ·B is `kernelTN` and A·Bᵀ is
 * `kernelNT` with the matrices as stored; A·B and Aᵀ·Bᵀ transpose the smaller operand while
 * copying it in. Copying is O(mk + kn + mn) against the O(mnk) product, and it is also where the
 * zero padding to whole tiles happens, so the kernels have no edge cases.
 *
 * An operand that is already *resident* in the kernels' memory (see `wasm_heap.ts`: the data
 * matrix V during a fit) is not copied at all: the kernel that reads it as stored is chosen, and
 * its zero slack rows stand in for the padding.
 *
 * Runs wherever WebAssembly SIMD does (Deno, Node, current browsers); `simdAvailable()` is false
 * elsewhere and the caller keeps to its scalar TypeScript kernel. No `Deno.*`, no file access.
 *
 * @module
 */

import { accumulateInto } from "./accumulate.ts";
import { heapAlloc, heapFree, heapView, residentOffset } from "./wasm_heap.ts";
import { runKernel, sharesWork } from "./wasm_threads.ts";
import { wasmKernels } from "./wasm.ts";

/** Whether the WebAssembly SIMD kernels can run in this JavaScript engine. */
export function simdAvailable(): boolean {
  return wasmKernels() !== null;
}

/**
 * The scratch regions for copied operands and C: [byte offset, bytes], grown on demand. One for
 * products shared with worker threads, one for those the caller runs alone.
 */
const scratch: [number, number][] = [[-1, 0], [-1, 0]];

/**
 * A scratch region of kernel memory of at least `elements` doubles; returns its element offset, or
 * -1. One region serves every product on the calling thread (each is done with it on return), and
 * with `alone`, another one serves the products that the caller runs without workers. Why two: a
 * product the caller runs alone right after a shared one would write its operands over lines that
 * a worker has just read or written, and each such line must first be taken from the other core's
 * cache.
 */
export function scratchOf(elements: number, alone = false): number {
  const bytes = elements * 8, region = scratch[alone ? 1 : 0] as [number, number];
  if (region[1] < bytes) {
    if (region[0] >= 0) heapFree(region[0]);
    const size = Math.max(bytes, Math.ceil(region[1] * 1.5));
    const offset = heapAlloc(size);
    region[0] = offset < 0 ? -1 : offset;
    region[1] = offset < 0 ? 0 : size;
    if (offset < 0) return -1;
  }
  return region[0] / 8;
}

const up = (x: number, to: number) => Math.ceil(x / to) * to;

/** heap[off + r·ld + c] = src[r·cols + c] for r < rows, c < cols; zeros up to ld and padRows. */
function copyRows(
  heap: Float64Array,
  off: number,
  ld: number,
  padRows: number,
  src: Float64Array,
  rows: number,
  cols: number,
): void {
  if (ld === cols) {
    heap.set(src.subarray(0, rows * cols), off);
  } else {
    for (let r = 0; r < rows; r++) {
      heap.set(src.subarray(r * cols, r * cols + cols), off + r * ld);
      heap.fill(0, off + r * ld + cols, off + (r + 1) * ld);
    }
  }
  heap.fill(0, off + rows * ld, off + padRows * ld);
}

/** heap[off + c·ld + r] = src[r·cols + c] (the transpose, cols×rows), zero padded. */
function copyTransposed(
  heap: Float64Array,
  off: number,
  ld: number,
  padRows: number,
  src: Float64Array,
  rows: number,
  cols: number,
): void {
  heap.fill(0, off, off + padRows * ld);
  for (let r = 0; r < rows; r++) {
    const s = r * cols;
    for (let c = 0; c < cols; c++) heap[off + c * ld + r] = src[s + c] as number;
  }
}

/**
 * `o ← alpha · op(A) · op(B) + beta · o` with the SIMD kernels, for row-major `a` (A, m×k or k×m
 * when `transA`) and `b` (B, k×n or n×k when `transB`); beta = 0 overwrites `o` (NaN included).
 * Returns false (having done nothing) when WebAssembly SIMD is unavailable or the operands do not
 * fit in the kernels' 2 GiB memory.
 */
export function simdGemm(
  o: Float64Array,
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
): boolean {
  if (wasmKernels() === null) return false;
  const resA = residentOffset(a), resB = resA >= 0 ? -1 : residentOffset(b);
  // The threads split TN by columns of B and NT by rows of A, so a large resident operand must be
  // B of TN or A of NT, read once in strips. Aᵀ·op(B) with A resident and op(A)·Bᵀ with B
  // resident would split the small side and read V once per chunk: compute the transposed
  // product op(B)ᵀ·op(A)ᵀ instead, and write it back transposed.
  if ((resA >= 0 && transA) || (resB >= 0 && transB)) {
    return gemmCore(o, b, a, n, m, k, !transB, !transA, alpha, beta, true, resB, resA);
  }
  return gemmCore(o, a, b, m, n, k, transA, transB, alpha, beta, false, resA, resB);
}

/**
 * Write the row-major `rows`×`cols` operand `src` into kernel memory at element `off` as a block of
 * `padRows` rows of `ld` elements: as stored when `asStored`, else transposed; zero padded.
 */
export function placeOperand(
  heap: Float64Array,
  off: number,
  ld: number,
  padRows: number,
  src: Float64Array,
  rows: number,
  cols: number,
  asStored: boolean,
): void {
  if (asStored) copyRows(heap, off, ld, padRows, src, rows, cols);
  else copyTransposed(heap, off, ld, padRows, src, rows, cols);
}

/**
 * simdGemm for o = op(A)·op(B), or o = (op(A)·op(B))ᵀ when `transOut` (o is then n×m). At most
 * one operand is resident (`resA` or `resB` ≥ 0, its byte offset), and never transposed here:
 * `simdGemm` has turned that case around.
 */
function gemmCore(
  o: Float64Array,
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
  transOut: boolean,
  resA: number,
  resB: number,
): boolean {
  // Which kernel: a resident operand is read as stored (A by NT, B by TN). Otherwise Aᵀ·B → TN,
  // A·Bᵀ → NT, and for the other two one operand is transposed on the way in: A (m·k copies) for
  // TN or B (k·n copies) for NT; NT also pays a horizontal sum per output entry, about two copies'
  // worth, so TN wins unless A is much larger.
  const tn = resB >= 0 ||
    (resA < 0 && (transA !== transB ? transA : m * k <= n * k + 2 * m * n));
  // The operands as stored: A is aRows×aCols, B is bRows×bCols.
  const aRows = transA ? k : m, aCols = transA ? m : k;
  const bRows = transB ? n : k, bCols = transB ? k : n;
  // M and N are m and n rounded up to even, the kernels' only padding rule (rounding to 4, as
  // the first kernels needed, cost up to a sixth more work at k = 10). TN: At k×M, B k×N.
  // NT: A M×K (K = k rounded up to even), Bt N×K. A resident operand keeps its own row length;
  // with NT, an odd k reads one entry past each of its rows, which meets the other operand's zero
  // padding (resident entries are finite).
  const M = up(m, 2), N = up(n, 2), K = tn ? k : up(k, 2);
  // A Gram product (AᵀA or AAᵀ of one matrix) places both operands the same way: copy it once.
  const gram = a === b && transA !== transB && M === N && resA < 0 && resB < 0;
  const sizeA = resA >= 0 || gram ? 0 : tn ? up(k * M, 2) : M * K;
  const sizeB = resB >= 0 ? 0 : tn ? up(k * N, 2) : N * K;
  const kernel = tn ? "kernelTN" : "kernelNT", work = M * N * K;
  const base = scratchOf(sizeA + sizeB + M * N, !sharesWork(kernel, work));
  if (base < 0) return false;
  const heap = heapView();
  const offA = base, offB = base + sizeA, offC = offB + sizeB;
  let pa = offA * 8, pb = offB * 8, lda: number, ldb: number;
  if (tn) {
    lda = M;
    if (!gram) placeOperand(heap, offA, M, k, a, aRows, aCols, transA);
    if (resB >= 0) {
      pb = resB;
      ldb = n;
    } else {
      ldb = N;
      placeOperand(heap, offB, N, k, b, bRows, bCols, !transB);
    }
  } else {
    ldb = K;
    placeOperand(heap, offB, K, N, b, bRows, bCols, transB);
    if (resA >= 0) {
      pa = resA;
      lda = k;
    } else {
      lda = K;
      if (!gram) placeOperand(heap, offA, K, M, a, aRows, aCols, !transA);
    }
  }
  // C is written, not added to (overwrite = 1), so it is not zeroed first.
  runKernel(kernel, work, pa, pb, offC * 8, M, N, K, lda, ldb, N, 1);
  accumulateInto(o, heapView(), offC, N, m, n, alpha, beta, transOut);
  return true;
}
