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

import { heapAlloc, heapFree, heapView, residentOffset } from "./wasm_heap.ts";
import { runKernel } from "./wasm_threads.ts";
import { wasmKernels } from "./wasm.ts";

/** Whether the WebAssembly SIMD kernels can run in this JavaScript engine. */
export function simdAvailable(): boolean {
  return wasmKernels() !== null;
}

/** The scratch region for copied operands and C: [byte offset, bytes], grown on demand. */
let scratch: [number, number] = [-1, 0];

/** A scratch region of at least `elements` doubles; returns its element offset, or -1. */
function scratchOf(elements: number): number {
  const bytes = elements * 8;
  if (scratch[1] < bytes) {
    if (scratch[0] >= 0) heapFree(scratch[0]);
    const size = Math.max(bytes, Math.ceil(scratch[1] * 1.5));
    const offset = heapAlloc(size);
    scratch = offset < 0 ? [-1, 0] : [offset, size];
    if (offset < 0) return -1;
  }
  return scratch[0] / 8;
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

const TN = 0, NT = 1;

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

/** simdGemm for o = op(A)·op(B), or o = (op(A)·op(B))ᵀ when `transOut` (o is then n×m). */
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
  // Which kernel: a resident operand is read as stored (A: NT, or TN when transposed; B: TN,
  // or NT when transposed). Otherwise Aᵀ·B → TN, A·Bᵀ → NT, and for the other two one operand
  // is transposed on the way in: A (m·k copies) for TN or B (k·n copies) for NT; NT also pays a
  // horizontal sum per output entry, about two copies' worth, so TN wins unless A is much larger.
  const kernel = resA >= 0
    ? (transA ? TN : NT)
    : resB >= 0
    ? (transB ? NT : TN)
    : transA !== transB
    ? (transA ? TN : NT)
    : m * k <= n * k + 2 * m * n
    ? TN
    : NT;
  let pa: number, pb: number, pc: number, lda: number, ldb: number, ldc: number;
  let M: number, N: number, K: number;
  if (kernel === TN) {
    // At: k×m4 (Aᵀ stored k×m, or A m×k transposed); B: k×n4. Resident: read in place.
    M = up(m, 4);
    N = up(n, 4);
    K = k;
    const sizeA = resA >= 0 ? 0 : up(k * M, 2), sizeB = resB >= 0 ? 0 : up(k * N, 2);
    const base = scratchOf(sizeA + sizeB + M * N);
    if (base < 0) return false;
    const heap = heapView();
    const offA = base, offB = base + sizeA, offC = offB + sizeB;
    if (resA >= 0) {
      pa = resA;
      lda = m;
    } else {
      pa = offA * 8;
      lda = M;
      if (transA) copyRows(heap, offA, M, k, a, k, m);
      else copyTransposed(heap, offA, M, k, a, m, k);
    }
    if (resB >= 0) {
      pb = resB;
      ldb = n;
    } else {
      pb = offB * 8;
      ldb = N;
      if (!transB) copyRows(heap, offB, N, k, b, k, n);
      else copyTransposed(heap, offB, N, k, b, n, k);
    }
    ldc = N;
    pc = offC * 8;
    heap.fill(0, offC, offC + M * N);
    runKernel("kernelTN", M * N * K, pa, pb, pc, M, N, K, lda, ldb, ldc);
    combine(o, heapView(), offC, ldc, m, n, alpha, beta, transOut);
  } else {
    // A: m2×k2 (as stored, or Aᵀ transposed); Bt: n4×k2 (Bᵀ as stored, or B transposed).
    // Resident operands keep their own row length; an odd k reads one entry past each row, which
    // meets the other operand's zero padding (resident entries are finite).
    M = up(m, 2);
    N = up(n, 4);
    K = up(k, 2);
    const sizeA = resA >= 0 ? 0 : M * K, sizeB = resB >= 0 ? 0 : N * K;
    const base = scratchOf(sizeA + sizeB + M * N);
    if (base < 0) return false;
    const heap = heapView();
    const offA = base, offB = base + sizeA, offC = offB + sizeB;
    if (resA >= 0) {
      pa = resA;
      lda = k;
    } else {
      pa = offA * 8;
      lda = K;
      if (!transA) copyRows(heap, offA, K, M, a, m, k);
      else copyTransposed(heap, offA, K, M, a, k, m);
    }
    if (resB >= 0) {
      pb = resB;
      ldb = k;
    } else {
      pb = offB * 8;
      ldb = K;
      if (transB) copyRows(heap, offB, K, N, b, n, k);
      else copyTransposed(heap, offB, K, N, b, k, n);
    }
    ldc = N;
    pc = offC * 8;
    heap.fill(0, offC, offC + M * N);
    runKernel("kernelNT", M * N * K, pa, pb, pc, M, N, K, lda, ldb, ldc);
    combine(o, heapView(), offC, ldc, m, n, alpha, beta, transOut);
  }
  return true;
}

function combine(
  o: Float64Array,
  heap: Float64Array,
  offC: number,
  ldc: number,
  m: number,
  n: number,
  alpha: number,
  beta: number,
  transOut: boolean,
): void {
  if (transOut) {
    // o is n×m: o[j·m + i] ← alpha·C[i, j] + beta·o[j·m + i]
    for (let i = 0; i < m; i++) {
      const src = offC + i * ldc;
      for (let j = 0; j < n; j++) {
        const q = j * m + i, c = alpha * (heap[src + j] as number);
        o[q] = beta === 0 ? c : c + beta * (o[q] as number);
      }
    }
    return;
  }
  if (alpha === 1 && beta === 0 && ldc === n) {
    o.set(heap.subarray(offC, offC + m * n));
    return;
  }
  for (let i = 0; i < m; i++) {
    const src = offC + i * ldc, dst = i * n;
    if (beta === 0) {
      for (let j = 0; j < n; j++) o[dst + j] = alpha * (heap[src + j] as number);
    } else {
      for (let j = 0; j < n; j++) {
        o[dst + j] = alpha * (heap[src + j] as number) + beta * (o[dst + j] as number);
      }
    }
  }
}
