/**
 * Space in the kernels' WebAssembly memory: a small first-fit allocator, and *resident*
 * matrices — copies of a matrix that live in that memory, so the kernels multiply them in place.
 *
 * Why: an NMF fit multiplies the same data matrix V by the factors hundreds of times. Copying V
 * into WebAssembly memory for every product costs about as much as a third of the product itself
 * (V of 2000×1000 is 16 MB). {@linkcode residentCopy} copies it once per fit.
 *
 * Resident matrices need a shared memory (growing an ordinary one detaches every view of it); where
 * the memory is not shared, `residentCopy` returns null and products copy their operands as
 * before. Only the main thread allocates; worker threads only compute.
 *
 * @module
 */

import { Matrix } from "./matrix.ts";
import { PAGE_BYTES, wasmKernels } from "./wasm.ts";

/** Allocation granularity in bytes (keeps every region 16-byte aligned for v128 loads). */
const ALIGN = 64;

interface Region {
  offset: number;
  size: number;
  free: boolean;
}

/** Regions in address order, covering the memory from 0 to the end of the last one. */
const regions: Region[] = [];

function memoryBytes(): number {
  const k = wasmKernels();
  return k === null ? 0 : k.memory.buffer.byteLength;
}

/**
 * Reserve `bytes` bytes of kernel memory; returns the byte offset, or -1 when the memory cannot
 * grow that far (2 GiB) or the kernels are unavailable. Growing a shared memory keeps every
 * existing view valid; growing an ordinary one detaches them (callers must take a new view).
 */
export function heapAlloc(bytes: number): number {
  const k = wasmKernels();
  if (k === null) return -1;
  const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  for (let r = 0; r < regions.length; r++) {
    const region = regions[r] as Region;
    if (!region.free || region.size < size) continue;
    if (region.size > size) {
      regions.splice(r + 1, 0, {
        offset: region.offset + size,
        size: region.size - size,
        free: true,
      });
      region.size = size;
    }
    region.free = false;
    return region.offset;
  }
  // Nothing free is large enough: extend the last region if it is free, else append one.
  const last = regions[regions.length - 1];
  const start = last === undefined ? 0 : last.free ? last.offset : last.offset + last.size;
  const end = start + size;
  const have = memoryBytes();
  if (end > have) {
    try {
      k.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
    } catch {
      return -1;
    }
  }
  if (last !== undefined && last.free) {
    last.size = size;
    last.free = false;
  } else {
    regions.push({ offset: start, size, free: false });
  }
  return start;
}

/** Return a region reserved by {@linkcode heapAlloc} (unknown offsets are ignored). */
export function heapFree(offset: number): void {
  const r = regions.findIndex((region) => region.offset === offset && !region.free);
  if (r < 0) return;
  (regions[r] as Region).free = true;
  // Coalesce with free neighbours.
  const next = regions[r + 1];
  if (next !== undefined && next.free) {
    (regions[r] as Region).size += next.size;
    regions.splice(r + 1, 1);
  }
  const prev = regions[r - 1];
  if (prev !== undefined && prev.free) {
    prev.size += (regions[r] as Region).size;
    regions.splice(r, 1);
  }
}

/** A Float64Array over the whole kernel memory (take a new one after any allocation). */
export function heapView(): Float64Array {
  const k = wasmKernels();
  return k === null ? new Float64Array(0) : new Float64Array(k.memory.buffer);
}

/** Bytes reserved now (for tests and diagnostics). */
export function heapReservedBytes(): number {
  let total = 0;
  for (const region of regions) if (!region.free) total += region.size;
  return total;
}

/**
 * Zero rows and elements kept after a resident matrix, so kernels that read whole tiles (up to 3
 * rows and a few elements past the end) read zeros there, not another allocation.
 */
export const RESIDENT_SLACK_ROWS = 4;
const RESIDENT_SLACK_ELEMENTS = 8;

/** data array → byte offset of the region, for every live resident matrix. */
const resident = new WeakMap<Float64Array, number>();
const finalizer = typeof FinalizationRegistry === "function"
  ? new FinalizationRegistry<number>((offset) => heapFree(offset))
  : null;

/**
 * A copy of `M` that lives in the kernels' WebAssembly memory, so that the portable backend's
 * products read it in place; null where that is impossible (no shared memory, not enough memory,
 * or an entry that is not finite — the kernels' zero padding relies on finite values). The copy is
 * an ordinary `Matrix` for every other purpose. Free it with {@linkcode releaseResident} when done
 * (it is also freed when garbage-collected).
 *
 * @example
 * ```ts
 * import { Matrix, releaseResident, residentCopy } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2], [3, 4]]);
 * const R = residentCopy(V);
 * if (R !== null) {
 *   assert.deepEqual(R.toRows(), V.toRows());
 *   releaseResident(R);
 * }
 * ```
 */
export function residentCopy(M: Matrix): Matrix | null {
  const k = wasmKernels();
  if (k === null || !k.shared) return null;
  const src = M.data;
  for (let i = 0; i < src.length; i++) if (!Number.isFinite(src[i] as number)) return null;
  const elements = (M.rows + RESIDENT_SLACK_ROWS) * M.cols + RESIDENT_SLACK_ELEMENTS;
  const offset = heapAlloc(elements * 8);
  if (offset < 0) return null;
  const heap = heapView();
  const start = offset / 8;
  heap.set(src, start);
  heap.fill(0, start + src.length, start + elements);
  const data = heap.subarray(start, start + src.length);
  resident.set(data, offset);
  const copy = new Matrix(data, M.rows, M.cols);
  finalizer?.register(data, offset, data);
  return copy;
}

/** Free the memory of a matrix made by {@linkcode residentCopy} (others are ignored). */
export function releaseResident(M: Matrix): void {
  const offset = resident.get(M.data);
  if (offset === undefined) return;
  resident.delete(M.data);
  finalizer?.unregister(M.data);
  heapFree(offset);
}

/**
 * The byte offset of `data` in kernel memory when it is the data of a live resident matrix (and
 * spans the whole of it), else -1.
 */
export function residentOffset(data: Float64Array): number {
  const offset = resident.get(data);
  return offset === undefined ? -1 : offset;
}
