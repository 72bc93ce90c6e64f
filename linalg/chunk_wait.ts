/**
 * The calling thread's side of a job shared with worker threads by chunks (the portable
 * backend's products and sweeps, `wasm_threads.ts`; the blas backend's fused pass,
 * `fused_pass.ts`): whether this thread may block at all, and waiting until every chunk is done.
 *
 * @module
 */

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Where a job's counters live in its control block, and how to wait for them. */
export interface ChunkWait {
  /** Slot counting the chunks finished. */
  done: number;
  /** Slot of the ticket, set to -1 once the job is over. */
  ticket: number;
  /** Slot set to non-zero when a chunk threw. */
  failed: number;
  /** Watch the count for up to this many ms before sleeping on it (0: sleep at once). */
  spinMs: number;
  /** Give up on a job whose count has not moved for this long (ms). */
  stallMs: number;
  /** Messages of the errors thrown: a worker stopped responding, a chunk failed. */
  stalled: string;
  failure: string;
}

/**
 * Wait until `count` chunks are done, then close the ticket. Throws (after closing it) when the
 * count stops moving for `stallMs` or a chunk failed.
 */
export function awaitChunks(ctl: Int32Array, count: number, wait: ChunkWait): void {
  let done = Atomics.load(ctl, wait.done), since = performance.now();
  // The last chunks are usually microseconds away, and waking from Atomics.wait takes tens of
  // them: watch the count for a while before sleeping on it.
  for (let spins = 1; wait.spinMs > 0 && done < count; spins++) {
    if ((spins & 255) === 0 && performance.now() - since > wait.spinMs) break;
    done = Atomics.load(ctl, wait.done);
  }
  while (done < count) {
    Atomics.wait(ctl, wait.done, done, 50);
    const now = Atomics.load(ctl, wait.done);
    if (now !== done) {
      done = now;
      since = performance.now();
    } else if (performance.now() - since > wait.stallMs) {
      Atomics.store(ctl, wait.ticket, -1);
      throw new Error(wait.stalled);
    }
  }
  Atomics.store(ctl, wait.ticket, -1);
  if (Atomics.load(ctl, wait.failed) !== 0) throw new Error(wait.failure);
}
