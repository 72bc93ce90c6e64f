/**
 * Restarts: NMF is non-convex, so different starting points end in different local minima.
 * `nmfRuns` fits the same data many times from seeded random starts and keeps every result or
 * only the best one (lowest final loss). Run i starts from a seed drawn deterministically from
 * `seed` and i, so the whole batch is reproducible, and run i is the same whatever `runs` is.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { createRng } from "../linalg/rng.ts";
import { nmf, type NmfOptions, type NmfResult } from "../nmf.ts";
import { checkInteger } from "./checks.ts";

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
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `nmfRuns: options must be an object with at least { rank }, got ${formatValue(options)}`,
    );
  }
  const { runs = 10, keep = "all", seed = 0, ...rest } = options;
  checkInteger("nmfRuns", "runs", runs, 1);
  if (keep !== "all" && keep !== "best") {
    throw new RangeError(`nmfRuns: keep must be "all" or "best", got ${formatValue(keep)}`);
  }
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`nmfRuns: seed must be a finite number, got ${formatValue(seed)}`);
  }
  const seeds = runSeeds(seed, runs);
  const losses: number[] = [];
  const results: NmfResult[] = [];
  let best: NmfResult | undefined;
  let bestIndex = 0;
  for (let i = 0; i < runs; i++) {
    const result = nmf(V, { init: "random", ...rest, seed: seeds[i] as number });
    losses.push(result.loss);
    // NaN never wins; a NaN first run is replaced by the first finite one.
    if (best === undefined || result.loss < best.loss || Number.isNaN(best.loss)) {
      best = result;
      bestIndex = i;
    }
    if (keep === "all") results.push(result);
  }
  const chosen = best as NmfResult;
  return { results: keep === "all" ? results : [chosen], best: chosen, bestIndex, losses, seeds };
}
