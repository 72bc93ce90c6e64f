/**
 * Projected Gauss–Seidel sweeps in WebAssembly: the inner loop of HALS / coordinate descent for
 * the nonnegative quadratic program
 *
 *   min ½⟨X, QX⟩ − ⟨C, X⟩ over X ≥ 0   (X and C are k×c, Q is k×k),
 *
 * whose sweep sets, for a = 1…k in turn, X_a ← max(0, (C_a − Σ_{b≠a} Q_ab X_b) / Q_aa). The
 * columns of X are independent of one another, so the sweep runs in f64x2 lanes and in chunks of
 * columns on every thread (`wasm_threads.ts`). Each entry of X is computed with the same
 * operations in the same order as the TypeScript sweep (`solvers/hals.ts`), so X is the same bit
 * for bit; the returned Σ(ΔX)² is summed in another order and may differ in its last bits.
 *
 * A session copies X, Q and C into WebAssembly memory once, sweeps there as often as the caller
 * wants, and copies X back when closed.
 *
 * @module
 */

import type { Matrix } from "./matrix.ts";
import { heapAlloc, heapFree, heapView } from "./wasm_heap.ts";
import { runKernel, sweepChunks } from "./wasm_threads.ts";
import { wasmKernels } from "./wasm.ts";

/** Sweeps of fewer multiply-adds (k²·c) than this stay in TypeScript (copying would not pay). */
export const SWEEP_MIN_WORK = 1 << 14;

/** Repeated sweeps over X in WebAssembly memory (see {@linkcode openSweeps}). */
export interface SweepSession {
  /** One sweep over every row of X; returns Σ(ΔX)², the squared change. */
  sweep(): number;
  /** Copy X back into the matrix the session was opened on and free the memory. */
  close(): void;
}

/**
 * Open a sweep session on X (k×c) for `problem` = { Q (k×k), C (k×c) }, or return null when the WebAssembly
 * kernels are unavailable, the problem is too small to gain from them, or memory is short; the
 * caller then sweeps in TypeScript. X must not be changed by anyone else until `close()`.
 *
 * @example
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import { openSweeps } from "./cd_sweep.ts";
 * const X = Matrix.filled(8, 4096, 1), C = Matrix.filled(8, 4096, 2);
 * const Q = Matrix.identity(8);
 * const session = openSweeps(X, { Q, C });
 * if (session !== null) {
 *   session.sweep(); // X ← max(0, C − (off-diagonal Q) X) row by row: here X ← 2
 *   session.close();
 *   if (X.get(0, 0) !== 2) throw new Error("unexpected");
 * }
 * ```
 */
export function openSweeps(
  X: Matrix,
  problem: { readonly Q: Matrix; readonly C: Matrix },
): SweepSession | null {
  const { Q, C } = problem;
  const k = X.rows, c = X.cols;
  if (Q.rows !== k || Q.cols !== k || C.rows !== k || C.cols !== c) {
    throw new TypeError(
      `openSweeps: X is ${k}×${c}, Q ${Q.rows}×${Q.cols} and C ${C.rows}×${C.cols}; expected Q ${k}×${k} and C ${k}×${c}`,
    );
  }
  if (k === 0 || c === 0 || k * k * c < SWEEP_MIN_WORK || wasmKernels() === null) return null;
  const ld = c + (c & 1), chunks = sweepChunks(ld);
  const offX = 0, offQ = offX + k * ld, offC = offQ + k * k + (k * k & 1);
  const offOut = offC + k * ld, total = offOut + chunks;
  const base = heapAlloc(total * 8);
  if (base < 0) return null;
  const b = base / 8;
  let heap = heapView();
  const load = (off: number, M: Matrix) => {
    const src = M.data;
    if (ld === c) heap.set(src, b + off);
    else {
      for (let a = 0; a < k; a++) {
        heap.set(src.subarray(a * c, a * c + c), b + off + a * ld);
        heap[b + off + a * ld + c] = 0; // the padding column stays 0 through every sweep
      }
    }
  };
  load(offX, X);
  load(offC, C);
  heap.set(Q.data, b + offQ);
  let open = true;
  return {
    sweep(): number {
      if (!open) throw new Error("SweepSession.sweep: the session is closed");
      runKernel(
        "cdSweep",
        k * k * ld,
        base + offX * 8,
        base + offQ * 8,
        base + offC * 8,
        k,
        ld,
        0,
        ld,
        base + offOut * 8,
        0,
      );
      heap = heapView();
      let change = 0;
      for (let i = 0; i < chunks; i++) change += heap[b + offOut + i] as number;
      return change;
    },
    close(): void {
      if (!open) return;
      open = false;
      heap = heapView();
      const dst = X.data;
      if (ld === c) dst.set(heap.subarray(b + offX, b + offX + k * c));
      else {
        for (let a = 0; a < k; a++) {
          dst.set(heap.subarray(b + offX + a * ld, b + offX + a * ld + c), a * c);
        }
      }
      heapFree(base);
    },
  };
}
