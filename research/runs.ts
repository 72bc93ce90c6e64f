/**
 * Restarts: NMF is non-convex, so different starting points end in different local minima.
 * `nmfRuns` fits the same data many times from seeded random starts and keeps every result or
 * only the best one (lowest final loss); `nmfRunsAsync` does the same on worker threads. Run i starts from a seed drawn deterministically from
 * `seed` and i, so the whole batch is reproducible, and run i is the same whatever `runs` is.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { createRng } from "../linalg/rng.ts";
import { nmf, type NmfOptions, type NmfResult } from "../nmf.ts";
import { checkInteger } from "./checks.ts";
import { fromTransfer, type RunReply, type RunRequest, toTransfer } from "./runs_transfer.ts";

/** Options of {@linkcode nmfRuns}: every option of `nmf` plus how many runs and what to keep. */
export interface NmfRunsOptions extends NmfOptions {
  /** How many fits. @default 10 */
  runs?: number;
  /** Keep every result (`"all"`, in run order) or only the one with the lowest loss. @default "all" */
  keep?: "all" | "best";
  /**
   * Master seed; run i uses `runSeeds(seed, runs)[i]`. @default 0
   */
  seed?: number;
  /** Initialization of each run (restarts need randomness, hence not nndsvda). @default "random" */
  init?: Exclude<NmfOptions["init"], undefined>;
}

/** What {@linkcode nmfRuns} returns. */
export interface NmfRunsResult {
  /** The results kept: all runs in run order, or only the best (`keep: "best"`). */
  results: NmfResult[];
  /** The run with the lowest final loss (ties: the earliest). */
  best: NmfResult;
  /** Index (0-based run number) of `best`. */
  bestIndex: number;
  /** Final loss of every run, in run order (kept even with `keep: "best"`). */
  losses: number[];
  /** The seed each run used, in run order. */
  seeds: number[];
}

/**
 * The seeds of `runs` restarts derived from `seed`: the first `runs` draws of a generator
 * seeded with `seed`, so that the seed of run i depends on `seed` and i only.
 *
 * @example
 * ```ts
 * import { runSeeds } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(runSeeds(7, 3), runSeeds(7, 5).slice(0, 3));
 * ```
 */
export function runSeeds(seed: number, runs: number): number[] {
  checkInteger("runSeeds", "runs", runs, 0);
  const rng = createRng(seed);
  const seeds: number[] = [];
  for (let i = 0; i < runs; i++) seeds.push(rng.int(4294967296));
  return seeds;
}

/**
 * Fit `V` `runs` times from different seeded starts and keep all results or the best.
 *
 * Every option of `nmf` is accepted and passed on unchanged (except `seed`, which seeds the
 * seeds); `init` defaults to `"random"`. Runs execute one after another in this thread.
 *
 * @example Ten restarts, keep the best
 * ```ts
 * import { Matrix, nmfRuns } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 0, 2, 1], [0, 3, 1, 1], [2, 1, 0, 4]]);
 * const { best, losses } = nmfRuns(V, { rank: 2, runs: 10, seed: 1, keep: "best", maxIter: 100 });
 * assert.equal(losses.length, 10);
 * assert.equal(best.loss, Math.min(...losses));
 * ```
 */
export function nmfRuns(V: Matrix, options: NmfRunsOptions): NmfRunsResult {
  const { runs, keep, seed, rest } = checkRunsOptions("nmfRuns", options);
  const seeds = runSeeds(seed, runs);
  const results: NmfResult[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(nmf(V, { init: "random", ...rest, seed: seeds[i] as number }));
  }
  return collect(results, keep, seeds);
}

function checkRunsOptions(caller: string, options: NmfRunsOptions) {
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `${caller}: options must be an object with at least { rank }, got ${formatValue(options)}`,
    );
  }
  const { runs = 10, keep = "all", seed = 0, ...rest } = options;
  checkInteger(caller, "runs", runs, 1);
  if (keep !== "all" && keep !== "best") {
    throw new RangeError(`${caller}: keep must be "all" or "best", got ${formatValue(keep)}`);
  }
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`${caller}: seed must be a finite number, got ${formatValue(seed)}`);
  }
  return { runs, keep, seed, rest };
}

/** Pick the best run (lowest loss; NaN never wins; ties: the earliest) and keep what was asked. */
function collect(all: NmfResult[], keep: "all" | "best", seeds: number[]): NmfRunsResult {
  let bestIndex = 0;
  all.forEach((r, i) => {
    const b = all[bestIndex] as NmfResult;
    if (r.loss < b.loss || (Number.isNaN(b.loss) && !Number.isNaN(r.loss))) bestIndex = i;
  });
  const best = all[bestIndex] as NmfResult;
  return {
    results: keep === "all" ? all : [best],
    best,
    bestIndex,
    losses: all.map((r) => r.loss),
    seeds,
  };
}

/** Options of {@linkcode nmfRunsAsync}: those of {@linkcode nmfRuns} plus the number of workers. */
export interface NmfRunsAsyncOptions extends NmfRunsOptions {
  /**
   * Worker threads running fits in parallel; 0 runs them in this thread.
   * @default min(runs, navigator.hardwareConcurrency)
   */
  workers?: number;
}

/**
 * {@linkcode nmfRuns} on worker threads: the same seeds and the same results (run i is placed
 * at index i whichever worker finished first), so it is deterministic by seed too. Options are
 * sent to the workers by structured cloning, so `onIteration` cannot be used; warnings raised
 * in workers are passed to `warn` (default `console.warn`) in run order at the end.
 *
 * Workers load `research/runs_worker.ts` as a module worker (Deno: needs read permission for
 * it; a browser needs it served or bundled next to this file).
 *
 * @example Four restarts on two workers
 * ```ts
 * import { Matrix, nmfRuns, nmfRunsAsync } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 0, 2, 1], [0, 3, 1, 1], [2, 1, 0, 4]]);
 * const options = { rank: 2, runs: 4, seed: 3, maxIter: 50, backend: "portable" } as const;
 * const parallel = await nmfRunsAsync(V, { ...options, workers: 2 });
 * assert.deepEqual(parallel.losses, nmfRuns(V, options).losses);
 * ```
 */
export async function nmfRunsAsync(
  V: Matrix,
  options: NmfRunsAsyncOptions,
): Promise<NmfRunsResult> {
  const { workers: workersOption, ...runsOptions } = (options ?? {}) as NmfRunsAsyncOptions;
  const { runs, keep, seed, rest } = checkRunsOptions("nmfRunsAsync", runsOptions);
  const hardware = (globalThis.navigator?.hardwareConcurrency as number | undefined) ?? 1;
  const count = checkInteger(
    "nmfRunsAsync",
    "workers",
    workersOption ?? Math.max(1, Math.min(runs, hardware)),
    0,
  );
  if (count === 0) return nmfRuns(V, runsOptions);
  if (rest.onIteration !== undefined) {
    throw new TypeError(
      "nmfRunsAsync: onIteration cannot be sent to workers; use nmfRuns, or workers: 0",
    );
  }
  const { warn, ...sendable } = rest;
  // Validate everything in this thread first (cheap: no iterations), so bad options throw
  // the same errors as nmfRuns before any worker starts.
  nmf(V, { init: "random", ...sendable, seed: 0, maxIter: 0, warn: () => {} });
  const seeds = runSeeds(seed, runs);
  const payloadV = toTransfer(V);
  const payloadOptions = toTransfer({ init: "random", ...sendable });
  const all: NmfResult[] = new Array(runs);
  const pool: Worker[] = [];
  const stop = () => pool.forEach((w) => w.terminate());
  await new Promise<void>((resolve, reject) => {
    let next = 0, done = 0, finished = false;
    const fail = (error: Error) => {
      if (finished) return;
      finished = true;
      stop();
      reject(error);
    };
    const launch = (worker: Worker) => {
      if (next >= runs) return;
      const index = next++;
      const request: RunRequest = {
        index,
        V: payloadV,
        options: payloadOptions,
        seed: seeds[index] as number,
      };
      worker.postMessage(request);
    };
    for (let t = 0; t < Math.min(count, runs); t++) {
      const worker = new Worker(new URL("./runs_worker.ts", import.meta.url).href, {
        type: "module",
      });
      pool.push(worker);
      worker.onmessage = (event: MessageEvent<RunReply>) => {
        const { index, result, error } = event.data;
        if (error !== undefined) {
          const Kind = error.name === "RangeError"
            ? RangeError
            : error.name === "TypeError"
            ? TypeError
            : Error;
          fail(new Kind(error.message));
          return;
        }
        all[index] = fromTransfer(result) as NmfResult;
        done++;
        if (done === runs) {
          finished = true;
          stop();
          resolve();
        } else launch(worker);
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        fail(new Error(`nmfRunsAsync: a worker failed: ${event.message}`));
      };
      launch(worker);
    }
  });
  const say = warn ?? ((message: string) => console.warn(message));
  for (const r of all) for (const w of r.warnings) say(w);
  return collect(all, keep, seeds);
}
