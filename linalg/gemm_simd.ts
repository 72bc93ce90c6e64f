/**
 * The WebAssembly SIMD path of the portable matrix product: the two f64x2 kernels of
 * linalg/gemm.wat (embedded as bytes by linalg/gemm_wasm.ts), and the glue that copies the
 * operands into the module's memory in the layout each kernel wants.
 *
 * - `kernelTN` computes C += Atᵀ·B from At (k×m) and B (k×n), vectorized along the rows of B;
 * - `kernelNT` computes C += A·Btᵀ from A (m×k) and Bt (n×k), vectorized along the inner index.
 *
 * op(A)·op(B) for the four transpose cases is mapped onto them: Aᵀ·B is `kernelTN` and A·Bᵀ is
 * `kernelNT` with the matrices as stored; A·B and Aᵀ·Bᵀ transpose the smaller operand while
 * copying it in. Copying is O(mk + kn + mn) against the O(mnk) product, and it is also where the
 * zero padding to whole tiles happens, so the kernels have no edge cases.
 *
 * Runs wherever WebAssembly SIMD does (Deno, Node, current browsers); `simdAvailable()` is false
 * elsewhere and the caller keeps to its scalar TypeScript kernel. No `Deno.*`, no file access.
 *
 * @module
 */

import { GEMM_WASM_BASE64 } from "./gemm_wasm.ts";

type Kernel = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  lda: number,
  ldb: number,
  ldc: number,
) => void;

interface SimdKernels {
  memory: WebAssembly.Memory;
  kernelTN: Kernel;
  kernelNT: Kernel;
}

let kernels: SimdKernels | null | undefined;

function load(): SimdKernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  try {
    if (typeof WebAssembly === "undefined" || typeof atob !== "function") return null;
    const text = atob(GEMM_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD support here
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernels = instance.exports as unknown as SimdKernels;
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Whether the WebAssembly SIMD kernels can run in this JavaScript engine. */
export function simdAvailable(): boolean {
  return load() !== null;
}

const PAGE = 65536;

function heapOf(k: SimdKernels, elements: number): Float64Array {
  const bytes = elements * 8;
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
  return new Float64Array(k.memory.buffer);
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
 * fit in 32-bit wasm memory.
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
  const K = load();
  if (K === null) return false;
  // Which kernel: Aᵀ·B → TN, A·Bᵀ → NT. Otherwise one operand is transposed on the way in: A
  // (m·k copies) for TN or B (k·n copies) for NT; NT also pays a horizontal sum per output
  // entry, about two copies' worth, so TN wins unless A is much larger than B.
  const useTN = transA !== transB ? transA : m * k <= n * k + 2 * m * n;
  let heap: Float64Array;
  let ldc: number;
  const offA = 0;
  if (useTN) {
    // At: k×m4 (from Aᵀ stored k×m, or by transposing A m×k); B: k×n4.
    const m4 = up(m, 4), n4 = up(n, 4);
    const offB = up(k * m4, 2), offC = offB + up(k * n4, 2);
    ldc = n4;
    const total = offC + m4 * n4;
    if (total * 8 > 2 ** 31) return false;
    heap = heapOf(K, total);
    if (transA) copyRows(heap, offA, m4, k, a, k, m);
    else copyTransposed(heap, offA, m4, k, a, m, k);
    if (!transB) copyRows(heap, offB, n4, k, b, k, n);
    else copyTransposed(heap, offB, n4, k, b, n, k);
    heap.fill(0, offC, total);
    K.kernelTN(offA * 8, offB * 8, offC * 8, m4, n4, k, m4, n4, ldc);
    combine(o, heap, offC, ldc, m, n, alpha, beta);
  } else {
    // A: m2×k2 (as stored, or by transposing Aᵀ); Bt: n4×k2 (as stored, or by transposing B).
    const m2 = up(m, 2), n4 = up(n, 4), k2 = up(k, 2);
    const offB = m2 * k2, offC = offB + n4 * k2;
    ldc = n4;
    const total = offC + m2 * n4;
    if (total * 8 > 2 ** 31) return false;
    heap = heapOf(K, total);
    if (!transA) copyRows(heap, offA, k2, m2, a, m, k);
    else copyTransposed(heap, offA, k2, m2, a, k, m);
    if (transB) copyRows(heap, offB, k2, n4, b, n, k);
    else copyTransposed(heap, offB, k2, n4, b, k, n);
    heap.fill(0, offC, total);
    K.kernelNT(offA * 8, offB * 8, offC * 8, m2, n4, k2, k2, k2, ldc);
    combine(o, heap, offC, ldc, m, n, alpha, beta);
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
): void {
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
