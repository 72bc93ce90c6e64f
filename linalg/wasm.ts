/**
 * The WebAssembly side of the portable backend: the compiled kernels of `kernels.wat`, the one
 * memory they work in, and the main thread's instance.
 *
 * Where the engine has SharedArrayBuffer (Deno, Node, cross-origin-isolated pages) the memory is
 * *shared*: worker threads instantiate the same module on the same memory (see
 * `wasm_threads.ts`), and growing it never detaches existing views, so a matrix can live in it for
 * a whole fit (see `wasm_heap.ts`). Elsewhere the module that imports an ordinary memory is used,
 * single-threaded. Where WebAssembly SIMD is missing, `wasmKernels()` is null and the caller keeps
 * to its TypeScript kernel. No `Deno.*`, no file access.
 *
 * @module
 */

import { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } from "./kernels_wasm.ts";

/** A kernel of `kernels.wat`: pointers in bytes, sizes and leading dimensions in elements. */
export type Kernel = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  lda: number,
  ldb: number,
  ldc: number,
  /** 1: write the product into C (its old contents ignored); 0: add it to C. */
  overwrite: number,
) => void;

/** The sweep of `kernels.wat`: X, Q, C in bytes; rows k; columns [j0, j1); row length ld; `out` in bytes. */
export type Sweep = (
  x: number,
  q: number,
  c: number,
  k: number,
  j0: number,
  j1: number,
  ld: number,
  out: number,
) => void;

/** The sparse product of `kernels.wat`: pointers in bytes, P·8 bytes per dense row. */
export type CsrKernel = (
  ptr: number,
  idx: number,
  val: number,
  x: number,
  y: number,
  rows: number,
  pbytes: number,
  scatter: number,
) => void;

/** The loaded kernels and their memory. */
export interface WasmKernels {
  /** The compiled module (sent to worker threads, which instantiate it on `memory`). */
  readonly module: WebAssembly.Module;
  /** The memory every instance works in. */
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is shared (a SharedArrayBuffer: threads and resident matrices possible). */
  readonly shared: boolean;
  /** C += Atᵀ·B, or C ← Atᵀ·B with `overwrite` (see kernels.wat). */
  readonly kernelTN: Kernel;
  /** C += A·Btᵀ, or C ← A·Btᵀ with `overwrite` (see kernels.wat). */
  readonly kernelNT: Kernel;
  /** One projected Gauss–Seidel sweep over a block of columns (see kernels.wat). */
  readonly cdSweep: Sweep;
  /** A CSR matrix times a dense one, gathering (V·X) or scattering (Vᵀ·X) (see kernels.wat). */
  readonly csrProduct: CsrKernel;
}

/** The memory's largest size in 64 KiB pages (2 GiB: pointers stay positive 32-bit integers). */
export const MAX_PAGES = 32768;
/** Bytes per WebAssembly page. */
export const PAGE_BYTES = 65536;

let loaded: WasmKernels | null | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(base64: string, shared: boolean): WasmKernels | null {
  const bytes = decode(base64);
  if (!WebAssembly.validate(bytes)) return null; // no SIMD (or no threads) in this engine
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as Pick<
    WasmKernels,
    "kernelTN" | "kernelNT" | "cdSweep" | "csrProduct"
  >;
  return {
    module,
    memory,
    shared,
    kernelTN: exports.kernelTN,
    kernelNT: exports.kernelNT,
    cdSweep: exports.cdSweep,
    csrProduct: exports.csrProduct,
  };
}

/** The kernels, loaded on first use; null where WebAssembly SIMD is unavailable. */
export function wasmKernels(): WasmKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (typeof WebAssembly === "undefined" || typeof atob !== "function") return null;
  try {
    if (typeof SharedArrayBuffer === "function") {
      loaded = instantiate(KERNELS_WASM_SHARED_BASE64, true);
    }
  } catch {
    loaded = null; // shared memory refused (e.g. a page that is not cross-origin isolated)
  }
  if (loaded === null) {
    try {
      loaded = instantiate(KERNELS_WASM_BASE64, false);
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
