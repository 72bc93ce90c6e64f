/**
 * Worker threads for the portable backend's WebAssembly kernels, so that one product uses every
 * core (the machine this was tuned on has two).
 *
 * How: the kernels' memory is shared (see `wasm.ts`). Each worker instantiates the same module on
 * it. A product is cut into chunks over disjoint blocks of C — column blocks for `kernelTN`, row
 * blocks for `kernelNT` — and the calling thread and the workers take chunks from one shared
 * ticket until none is left; the caller then waits (`Atomics.wait`) until every chunk is done.
 * Each entry of C is computed by exactly one call, in the same order whatever the number of
 * threads, so the result is the same bit for bit with 1 thread or 8.
 *
 * The call stays synchronous, so the solvers do not change. It needs a thread that may block:
 * Deno's and Node's main thread and any worker may, a browser's main thread may not — there (and
 * without SharedArrayBuffer) products run on the calling thread alone.
 *
 * Workers start on the first product large enough to share (the caller does not wait for them:
 * it takes chunks itself until they join) and close themselves after {@linkcode IDLE_MS} without
 * work (longer where starting one is slow), so a script that has finished is not kept alive. A worker is created from a Blob URL of
 * the source below: no file, network or permission is needed.
 *
 * @module
 */

import { awaitChunks, canBlock } from "./chunk_wait.ts";
import { type WasmKernels, wasmKernels } from "./wasm.ts";

/** A worker with nothing to do for this long closes itself (it restarts on demand). */
export const IDLE_MS = 250;
/** A worker that finished a job spins this long (ms) watching for the next before it sleeps. */
export const SPIN_MS = 1;
/** Products of fewer multiply-adds than this run on the calling thread alone. */
export const PARALLEL_MIN_WORK = 1 << 20;
/**
 * Sweeps of fewer multiply-adds (k²·c) than this run on the calling thread alone. Lower than for
 * products: a sweep's chunks are whole blocks of 512 columns (measured on 2 cores: 20×2000 sweeps
 * 300 → 200 µs, 16×1797 190 → 130 µs with a second thread).
 */
export const SWEEP_PARALLEL_MIN_WORK = 1 << 18;

// Slots of the control block (an Int32Array over a SharedArrayBuffer).
const QUIT = 0; // workers that have closed
const GEN = 1; // generation of the current job
const TICKET = 2; // (generation & 0x7ffff) << 12 | next chunk index; -1 between jobs
const COUNT = 3; // chunks in the current job
const DONE = 4; // chunks finished
const FAILED = 5; // set when a chunk threw
const JOB = 6; // kind, chunk size, the 9 kernel arguments, then the products' overwrite flag
const READY = JOB + 12; // workers running now (ready for chunks)
const SPIN = READY + 1; // 1 while idle workers may spin for the next job, 0 once parked
const SLOTS = SPIN + 1;

/** Kernels a job can run. */
export type KernelKind = "kernelTN" | "kernelNT" | "cdSweep";
const KINDS: readonly KernelKind[] = ["kernelTN", "kernelNT", "cdSweep"];

type Kernels = Pick<WasmKernels, KernelKind>;

/**
 * Run chunk `index` of the job `job` = [kind, size, a, b, c, m, n, k, lda, ldb, ldc, overwrite]
 * with the kernels `x`. Self-contained (no imports, no outer variables): its source is also the
 * worker's.
 *   kind 0, kernelTN: columns [index·size, +size) of C += Atᵀ·B (C ← Atᵀ·B with overwrite = 1);
 *   kind 1, kernelNT: rows [index·size, +size) of C += A·Btᵀ (C ← A·Btᵀ with overwrite = 1);
 *   kind 2, cdSweep: columns [index·size, +size) of X (a = X, b = Q, c = C, m = rows, n = columns,
 *     lda = ld), the chunk's Σ(ΔX)² stored at ldb + 8·index.
 */
function runChunk(x: Kernels, job: ArrayLike<number>, index: number): void {
  const kind = job[0] as number, size = job[1] as number, start = index * size;
  const a = job[2] as number, b = job[3] as number, c = job[4] as number;
  const m = job[5] as number, n = job[6] as number, k = job[7] as number;
  const lda = job[8] as number, ldb = job[9] as number, ldc = job[10] as number;
  const ow = job[11] as number;
  if (kind === 0) {
    x.kernelTN(a, b + 8 * start, c + 8 * start, m, Math.min(size, n - start), k, lda, ldb, ldc, ow);
  } else if (kind === 1) {
    const h = Math.min(size, m - start);
    x.kernelNT(a + 8 * start * lda, b, c + 8 * start * ldc, h, n, k, lda, ldb, ldc, ow);
  } else {
    x.cdSweep(a, b, c, m, start, Math.min(start + size, n), lda, ldb + 8 * index);
  }
}

/**
 * Take chunks of generation `gen` from the ticket and run them until none is left. Returns how
 * many this thread ran. Self-contained, like `runChunk` (which it receives).
 */
function serveJob(x: Kernels, ctl: Int32Array, gen: number, run: typeof runChunk): number {
  const count = Atomics.load(ctl, 3);
  const job: number[] = [];
  for (let i = 0; i < 12; i++) job.push(Atomics.load(ctl, 6 + i));
  let ran = 0;
  for (;;) {
    const t = Atomics.load(ctl, 2);
    if (t < 0 || t >>> 12 !== (gen & 0x7ffff)) return ran;
    const index = t & 4095;
    if (index >= count) return ran;
    if (Atomics.compareExchange(ctl, 2, t, t + 1) !== t) continue;
    try {
      run(x, job, index);
    } catch {
      Atomics.store(ctl, 5, 1);
    }
    ran++;
    // Only the last chunk wakes the caller (it checks on the others while it waits).
    if (Atomics.add(ctl, 4, 1) + 1 === count) Atomics.notify(ctl, 4);
  }
}

/** The worker's program (its source is sent as a Blob; it also receives the two above). */
function workerMain(serve: typeof serveJob, run: typeof runChunk): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent) => void) | null;
    close(): void;
  };
  scope.onmessage = (event: MessageEvent) => {
    scope.onmessage = null;
    const { module, memory, control, idleMs, spinMs, spawnedAt } = event.data as {
      spinMs: number;
      module: WebAssembly.Module;
      memory: WebAssembly.Memory;
      control: SharedArrayBuffer;
      idleMs: number;
      spawnedAt: number;
    };
    const ctl = new Int32Array(control);
    let x: Parameters<typeof runChunk>[0];
    try {
      x = new WebAssembly.Instance(module, { env: { memory } }).exports as never;
    } catch {
      Atomics.add(ctl, 0, 1);
      scope.close();
      return;
    }
    // Where starting a worker is slow (about 0.5 s in Deno's Jupyter kernel, 20 ms in `deno
    // run`), stay longer before closing: 4× the start-up time, between idleMs and 5 s.
    const idle = Math.min(5000, Math.max(idleMs, 4 * (Date.now() - spawnedAt)));
    Atomics.add(ctl, 18, 1); // READY
    Atomics.notify(ctl, 18);
    let seen = Atomics.load(ctl, 1);
    serve(x, ctl, seen, run); // a job may already be running
    for (;;) {
      // Spin a little before sleeping: the next product of a fit usually comes within a fraction
      // of a millisecond, and waking from Atomics.wait costs about as much as a small chunk.
      const until = performance.now() + spinMs;
      let spins = 0;
      while (Atomics.load(ctl, 1) === seen && Atomics.load(ctl, 19) === 1) { // SPIN
        if ((++spins & 255) === 0 && performance.now() > until) break;
      }
      if (Atomics.load(ctl, 1) === seen && Atomics.wait(ctl, 1, seen, idle) === "timed-out") break;
      seen = Atomics.load(ctl, 1);
      serve(x, ctl, seen, run);
    }
    Atomics.sub(ctl, 18, 1); // READY
    Atomics.add(ctl, 0, 1);
    scope.close();
  };
}

const WORKER_SOURCE = `const runChunk = ${runChunk.toString()};
const serveJob = ${serveJob.toString()};
(${workerMain.toString()})(serveJob, runChunk);
`;

interface Pool {
  kernels: WasmKernels;
  ctl: Int32Array;
  url: string;
  launched: number;
  gen: number;
}

let pool: Pool | null | undefined;

/** Counters of the work shared so far (see {@linkcode portableThreadStats}). */
const stats = { jobs: 0, chunks: 0, byCaller: 0 };
let threads = defaultThreads();

function defaultThreads(): number {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined;
  return typeof cores === "number" && cores > 0 ? Math.min(cores, 8) : 1;
}

/**
 * Set how many threads (the caller plus workers) the portable backend's WebAssembly products may
 * use; 1 keeps them on the calling thread. Returns the previous value. The default is the number
 * of logical cores (at most 8). Results do not depend on it.
 *
 * @example
 * ```ts
 * import { setPortableThreads } from "../mod.ts";
 * const before = setPortableThreads(1); // e.g. inside a worker that runs whole fits in parallel
 * setPortableThreads(before);
 * ```
 */
export function setPortableThreads(count: number): number {
  if (typeof count !== "number" || !Number.isInteger(count)) {
    throw new TypeError(`setPortableThreads: count must be an integer, got ${String(count)}`);
  }
  if (count < 1 || count > 64) {
    throw new RangeError(`setPortableThreads: count must be between 1 and 64, got ${count}`);
  }
  const previous = threads;
  threads = count;
  return previous;
}

/** The number of threads the portable backend's products may use now (1: no workers). */
export function portableThreads(): number {
  const p = getPool();
  return p === null ? 1 : threads;
}

function getPool(): Pool | null {
  if (pool !== undefined) return pool;
  pool = null;
  const kernels = wasmKernels();
  if (kernels === null || !kernels.shared || typeof Worker !== "function") return null;
  if (typeof URL?.createObjectURL !== "function" || !canBlock()) return null;
  try {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    const ctl = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    Atomics.store(ctl, TICKET, -1);
    pool = { kernels, ctl, url, launched: 0, gen: 0 };
  } catch {
    pool = null;
  }
  return pool;
}

/** Start workers until `threads − 1` are alive (or starting). Never waits for them. */
function ensureWorkers(p: Pool): void {
  const alive = p.launched - Atomics.load(p.ctl, QUIT);
  for (let w = alive; w < threads - 1; w++) {
    let worker: Worker;
    try {
      worker = new Worker(p.url, { type: "module" });
    } catch {
      return; // workers refused here: the caller computes alone
    }
    p.launched++;
    worker.onerror = (event) => {
      event.preventDefault();
      Atomics.add(p.ctl, QUIT, 1); // count it as gone so that another may start later
    };
    worker.postMessage({
      module: p.kernels.module,
      memory: p.kernels.memory,
      control: p.ctl.buffer,
      idleMs: IDLE_MS,
      spinMs: SPIN_MS,
      spawnedAt: Date.now(),
    });
  }
}

/**
 * Start the worker threads now, without waiting for them, so that they are ready by the time a
 * large product needs them (a new worker takes some milliseconds to start). Does nothing where
 * threads are unavailable or set to 1.
 */
export function startWorkers(): void {
  if (threads <= 1) return;
  const p = getPool();
  if (p !== null) ensureWorkers(p);
}

/**
 * Start the worker threads and resolve when they are running (or after `timeoutMs`), with the
 * number of threads then ready, the caller included. Products never wait for workers — they start
 * without them and let them join — so this is only worth awaiting before timing something, or
 * where a worker is slow to start (about half a second in Deno's Jupyter kernel).
 *
 * @example
 * ```ts
 * import { portableThreadsReady } from "../mod.ts";
 * const threads = await portableThreadsReady();
 * console.log(`${threads} thread(s) ready`);
 * ```
 */
export async function portableThreadsReady(options: {
  /** Give up waiting after this many milliseconds. @default 5000 */
  timeoutMs?: number;
} = {}): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (threads <= 1) return 1;
  const p = getPool();
  if (p === null) return 1;
  ensureWorkers(p);
  const started = Date.now();
  while (Atomics.load(p.ctl, READY) < threads - 1 && Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    ensureWorkers(p);
  }
  return 1 + Math.min(threads - 1, Atomics.load(p.ctl, READY));
}

/** How long the caller waits for chunks held by workers before giving up on them. */
const STALL_MS = 30_000;

/** Columns per chunk of a sweep: fixed, so the partial sums (and their total) never depend on
 * the number of threads. */
export const SWEEP_CHUNK = 512;

/** Whether {@linkcode runKernel} may share a kernel of `work` multiply-adds with worker threads. */
export function sharesWork(kernel: KernelKind, work: number): boolean {
  const minWork = kernel === "cdSweep" ? SWEEP_PARALLEL_MIN_WORK : PARALLEL_MIN_WORK;
  return threads > 1 && work >= minWork;
}

/**
 * Run a kernel on arguments (a, b, c, m, n, k, lda, ldb, ldc) as a direct call would, sharing the
 * work with worker threads when `work` (multiply-adds) is large enough and threads are available.
 *
 * - `kernelTN`, `kernelNT`: as in kernels.wat; m and n even; `overwrite` 1 writes the product
 *   into C (no need to zero it first), 0 adds it.
 * - `cdSweep`: a = X, b = Q, c = C, m = rows of X, n = columns (even), k unused, lda = the row
 *   length of X and C, ldb = where to store one Σ(ΔX)² per chunk of
 *   {@linkcode SWEEP_CHUNK} columns (`sweepChunks(n)` doubles); ldc unused. The caller adds the
 *   partial sums in order.
 */
export function runKernel(
  kernel: KernelKind,
  work: number,
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  lda: number,
  ldb: number,
  ldc: number,
  overwrite = 0,
): void {
  const kernels = wasmKernels();
  if (kernels === null) throw new Error("runKernel: WebAssembly kernels unavailable");
  const kind = KINDS.indexOf(kernel);
  const sweep = kind === 2;
  const p = sharesWork(kernel, work) ? getPool() : null;
  const extent = kind === 1 ? m : n, unit = kind === 0 ? 4 : 2;
  let size: number;
  if (sweep) size = SWEEP_CHUNK;
  else {
    // A few chunks per thread, so that a worker that wakes late still finds work.
    const units = extent / unit, count = Math.min(units, 4 * threads, 4095);
    size = Math.ceil(units / count) * unit;
  }
  const chunks = Math.ceil(extent / size);
  const job = [kind, size, a, b, c, m, n, k, lda, ldb, ldc, overwrite];
  if (p === null || chunks < 2) {
    if (sweep) { for (let i = 0; i < chunks; i++) runChunk(kernels, job, i); }
    else {
      const product = kind === 0 ? kernels.kernelTN : kernels.kernelNT;
      product(a, b, c, m, n, k, lda, ldb, ldc, overwrite);
    }
    return;
  }
  ensureWorkers(p);
  const ctl = p.ctl;
  for (let i = 0; i < job.length; i++) Atomics.store(ctl, JOB + i, job[i] as number);
  Atomics.store(ctl, COUNT, chunks);
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, FAILED, 0);
  // Spinning pays only while nothing else wants the cores: not while OpenBLAS is in use, whose
  // own threads spin between its products.
  const spin = performance.now() > parkedUntil;
  Atomics.store(ctl, SPIN, spin ? 1 : 0);
  const gen = p.gen = (p.gen + 1) & 0x7ffff;
  Atomics.store(ctl, TICKET, gen << 12);
  Atomics.store(ctl, GEN, gen);
  Atomics.notify(ctl, GEN);
  const mine = serveJob(kernels, ctl, gen, runChunk);
  stats.jobs++;
  stats.chunks += chunks;
  stats.byCaller += mine;
  awaitChunks(ctl, chunks, {
    done: DONE,
    ticket: TICKET,
    failed: FAILED,
    spinMs: spin ? SPIN_MS : 0,
    stallMs: STALL_MS,
    stalled: "portable backend: a worker thread stopped responding",
    failure: "portable backend: a WebAssembly kernel failed in a worker thread",
  });
}

/**
 * Tell idle workers to sleep now instead of spinning for the next job: called before work that
 * needs every core for itself (the blas backend's OpenBLAS threads), which a spinning worker would
 * slow down. Jobs shared in the next {@linkcode PARK_MS} milliseconds do not spin either.
 */
export function parkWorkers(): void {
  parkedUntil = performance.now() + PARK_MS;
  if (pool) Atomics.store(pool.ctl, SPIN, 0);
}

/** How long (ms) after {@linkcode parkWorkers} the threads keep from spinning. */
const PARK_MS = 100;
let parkedUntil = -Infinity;

/** What {@linkcode portableThreadStats} reports. */
export interface PortableThreadStats {
  /** Worker threads started so far (they close when idle and restart on demand). */
  workersStarted: number;
  /** Worker threads that have closed. */
  workersClosed: number;
  /** Products and sweeps that were shared between threads. */
  sharedJobs: number;
  /** Their chunks, and how many of those the calling thread ran itself. */
  chunks: number;
  chunksByCaller: number;
}

/**
 * How much of the portable backend's work worker threads have done in this process: a way to see
 * whether threads help here (in a browser's main thread, or where workers cannot start, every
 * chunk is run by the caller).
 *
 * @example
 * ```ts
 * import { portableThreadStats } from "../mod.ts";
 * const s = portableThreadStats();
 * console.log(`${s.chunks - s.chunksByCaller} of ${s.chunks} chunks ran on workers`);
 * ```
 */
export function portableThreadStats(): PortableThreadStats {
  const p = pool ?? null;
  return {
    workersStarted: p === null ? 0 : p.launched,
    workersClosed: p === null ? 0 : Atomics.load(p.ctl, QUIT),
    sharedJobs: stats.jobs,
    chunks: stats.chunks,
    chunksByCaller: stats.byCaller,
  };
}

/** How many partial sums `runKernel("cdSweep", …)` stores for `columns` columns. */
export function sweepChunks(columns: number): number {
  return Math.ceil(columns / SWEEP_CHUNK);
}
