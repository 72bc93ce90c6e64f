/**
 * Rank survey (Brunet et al. 2004): for each candidate rank k, fit V many times from random
 * starts, cluster the columns of V by argmax of H in every run, and summarize how stable that
 * clustering is across runs (consensus matrix, cophenetic correlation, dispersion, silhouette)
 * together with how well the best run fits (residual sum of squares). Brunet et al. choose the
 * largest rank before the cophenetic coefficient starts to fall.
 *
 * Defaults follow the paper: Kullback–Leibler multiplicative updates (solver "mu", beta
 * "kullback-leibler") from random starts. Every rank uses the same master seed, so rank k's
 * runs are reproducible on their own.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { validateData } from "../nmf.ts";
import { checkInteger, checkMatrix } from "./checks.ts";
import {
  argmaxClusters,
  consensusDistance,
  consensusMatrix,
  copheneticCorrelationOf,
  dispersion,
} from "./consensus.ts";
import { hclust } from "./hclust.ts";
import {
  nmfRuns,
  nmfRunsAsync,
  type NmfRunsAsyncOptions,
  type NmfRunsOptions,
  type NmfRunsResult,
} from "./runs.ts";
import { silhouette } from "./silhouette.ts";

/** Options of {@linkcode rankSurvey}: the ranks, and every option of `nmfRuns` except rank/keep. */
export interface RankSurveyOptions extends Omit<NmfRunsOptions, "rank" | "keep"> {
  /** The candidate ranks (integers ≥ 2, each at most the number of columns of V). */
  ranks: readonly number[];
  /** Random restarts per rank. @default 30 */
  runs?: number;
  /** Solver of every run. @default "mu" */
  solver?: Exclude<NmfRunsOptions["solver"], undefined>;
  /** Loss of every run. @default "kullback-leibler" */
  beta?: Exclude<NmfRunsOptions["beta"], undefined>;
  /** Called after each rank is done (e.g. to print progress). @default undefined */
  onRank?: (entry: RankSurveyEntry) => void;
}

/** One rank of a survey. */
export interface RankSurveyEntry {
  /** The rank k. */
  rank: number;
  /** Cophenetic correlation coefficient of the consensus matrix (1 = perfectly stable). */
  cophenetic: number;
  /** Kim & Park's dispersion of the consensus matrix (1 = entries all 0 or 1). */
  dispersion: number;
  /** Residual sum of squares Σ(V − WH)² of the best run (lowest loss); over observed entries only when a `mask` is given. */
  rss: number;
  /** Final loss of the best run (in the runs' own divergence). */
  loss: number;
  /** Mean silhouette width of `clusters` under the distance 1 − consensus. */
  silhouette: number;
  /** n×n consensus matrix over the columns of V. */
  consensus: Matrix;
  /** Consensus cluster (0…k−1) of each column of V: the average-linkage tree of 1 − consensus cut into k clusters. */
  clusters: number[];
  /** The columns of V in dendrogram order (for a consensus heatmap). */
  order: number[];
  /** Final loss of every run, in run order. */
  losses: number[];
}

/**
 * Survey candidate ranks by consensus clustering.
 *
 * @example Two planted groups of columns
 * ```ts
 * import { Matrix, rankSurvey } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([
 *   [5, 5, 5, 0.1, 0.1, 0.1],
 *   [4, 5, 6, 0.1, 0.2, 0.1],
 *   [0.1, 0.2, 0.1, 6, 5, 4],
 *   [0.1, 0.1, 0.2, 5, 5, 5],
 * ]);
 * const [entry] = rankSurvey(V, { ranks: [2], runs: 5, seed: 1, maxIter: 100 });
 * assert.equal(entry!.cophenetic, 1);
 * assert.deepEqual(entry!.clusters, [0, 0, 0, 1, 1, 1]);
 * ```
 */
export function rankSurvey(V: Matrix, options: RankSurveyOptions): RankSurveyEntry[] {
  const { ranks, onRank, runsOptions } = checkSurvey("rankSurvey", V, options);
  const entries: RankSurveyEntry[] = [];
  for (const rank of ranks) {
    const runs = nmfRuns(V, { ...runsOptions, rank, keep: "all" });
    const entry = surveyEntry(V, rank, runs, runsOptions.mask);
    entries.push(entry);
    onRank?.(entry);
  }
  return entries;
}

/** Options of {@linkcode rankSurveyAsync}: those of {@linkcode rankSurvey} plus the workers. */
export interface RankSurveyAsyncOptions extends RankSurveyOptions {
  /** Worker threads per rank (see `nmfRunsAsync`); 0 runs in this thread. @default min(runs, navigator.hardwareConcurrency) */
  workers?: number;
}

/**
 * {@linkcode rankSurvey} with the runs of each rank on worker threads (`nmfRunsAsync`): the
 * same entries, computed in parallel. `onIteration` cannot be used.
 *
 * @example
 * ```ts
 * import { Matrix, rankSurveyAsync } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[5, 5, 0.1, 0.1], [4, 6, 0.2, 0.1], [0.1, 0.1, 5, 6]]);
 * const [entry] = await rankSurveyAsync(V, { ranks: [2], runs: 4, workers: 2, maxIter: 50 });
 * assert.deepEqual(entry!.clusters, [0, 0, 1, 1]);
 * ```
 */
export async function rankSurveyAsync(
  V: Matrix,
  options: RankSurveyAsyncOptions,
): Promise<RankSurveyEntry[]> {
  const { workers, ...surveyOptions } = (options ?? {}) as RankSurveyAsyncOptions;
  const { ranks, onRank, runsOptions } = checkSurvey("rankSurveyAsync", V, surveyOptions);
  const entries: RankSurveyEntry[] = [];
  for (const rank of ranks) {
    const runsAsync: NmfRunsAsyncOptions = { ...runsOptions, rank, keep: "all" };
    if (workers !== undefined) runsAsync.workers = workers;
    const entry = surveyEntry(V, rank, await nmfRunsAsync(V, runsAsync), runsOptions.mask);
    entries.push(entry);
    onRank?.(entry);
  }
  return entries;
}

function checkSurvey(caller: string, V: Matrix, options: RankSurveyOptions) {
  checkMatrix(caller, "V", V);
  validateData(V, caller);
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `${caller}: options must be an object with at least { ranks }, got ${formatValue(options)}`,
    );
  }
  const { ranks, onRank, runs = 30, ...rest } = options;
  if (!Array.isArray(ranks) || ranks.length === 0) {
    throw new TypeError(
      `${caller}: ranks must be a non-empty array of integers, got ${formatValue(ranks)}`,
    );
  }
  ranks.forEach((k, i) => checkInteger(caller, `ranks[${i}]`, k, 2, V.cols));
  if (onRank !== undefined && typeof onRank !== "function") {
    throw new TypeError(`${caller}: onRank must be a function, got ${formatValue(onRank)}`);
  }
  const runsOptions = { solver: "mu", beta: "kullback-leibler", ...rest, runs } as Omit<
    NmfRunsOptions,
    "rank"
  >;
  return { ranks: ranks as readonly number[], onRank, runsOptions };
}

function surveyEntry(
  V: Matrix,
  rank: number,
  runs: NmfRunsResult,
  mask: Matrix | undefined,
): RankSurveyEntry {
  const { results, best, losses } = runs;
  const consensus = consensusMatrix(results.map((r) => argmaxClusters(r.H)));
  const distance = consensusDistance(consensus);
  const tree = hclust(distance);
  const clusters = tree.cutTree(rank);
  return {
    rank,
    cophenetic: copheneticCorrelationOf(distance, tree.cophenetic),
    dispersion: dispersion(consensus),
    rss: residualSumOfSquares(V, best.W, best.H, mask),
    loss: best.loss,
    silhouette: silhouette(distance, clusters).mean,
    consensus,
    clusters,
    order: tree.order,
    losses,
  };
}

/** Σ M_ij (V − WH)²_ij, with M the mask of the fit (all ones without one). */
function residualSumOfSquares(V: Matrix, W: Matrix, H: Matrix, mask: Matrix | undefined): number {
  const WH = W.multiply(H);
  let s = 0;
  for (let i = 0; i < V.size; i++) {
    const r = (V.data[i] as number) - (WH.data[i] as number);
    s += (mask === undefined ? 1 : mask.data[i] as number) * r * r;
  }
  return s;
}
