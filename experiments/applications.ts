/**
 * Notebook 8 — applications: parts of images (digits, faces) against PCA's holistic bases,
 * topics of the State of the Union addresses, and metagenes of the Golub leukemia data with
 * consensus clustering.
 *
 * Every function takes the data set as its first argument (e.g. `loadDataset("digits")`), so
 * the experiments themselves read no files.
 *
 * @module
 */

import {
  adjustedRandIndex,
  Matrix,
  nmf,
  type NmfResult,
  rankSurvey,
  type RankSurveyEntry,
  sparseness,
  svd,
} from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** Options of {@linkcode partsVersusHolistic}. */
export interface PartsOptions extends ExperimentOptions {
  /** Number of components of both NMF and PCA. @default 16 */
  rank?: number;
}

/** What {@linkcode partsVersusHolistic} returns. */
export interface PartsResult {
  /** The NMF fit (hals, NNDSVDa start). */
  nmf: NmfResult;
  /** PCA bases: the top left singular vectors of the centred data (pixels × rank), signed. */
  pca: Matrix;
  /** The mean image (PCA models V − mean). */
  meanImage: Float64Array;
  /** Hoyer sparseness of every NMF basis image and every PCA basis image. */
  sparsenessNmf: number[];
  /** Hoyer sparseness of every PCA basis image. */
  sparsenessPca: number[];
  /** Relative reconstruction error ‖V − V̂‖/‖V‖ of NMF and of PCA (mean + rank-k projection). */
  errorNmf: number;
  /** Relative reconstruction error of PCA. */
  errorPca: number;
  /** Fraction of negative entries in the PCA bases (NMF's are all ≥ 0). */
  negativeFractionPca: number;
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/** Relative Frobenius distance ‖A − B‖/‖A‖. */
function relativeError(A: Matrix, B: Matrix): number {
  let r = 0, s = 0;
  for (let i = 0; i < A.size; i++) {
    const a = A.data[i] as number;
    r += (a - (B.data[i] as number)) ** 2;
    s += a * a;
  }
  return Math.sqrt(r / s);
}

/**
 * NMF parts against PCA eigen-images on image data (pixels × images): the same number of
 * components, their sparseness (Hoyer) and their reconstruction errors.
 *
 * @example
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import { partsVersusHolistic } from "./mod.ts";
 * import assert from "node:assert/strict";
 * // Four 2×2 "images" made of two strokes.
 * const V = Matrix.fromRows([[1, 0, 1, 2], [1, 0, 1, 2], [0, 1, 1, 0], [0, 1, 1, 0]]);
 * const r = partsVersusHolistic({ V }, { rank: 2 });
 * assert.ok(r.errorNmf < 1e-6);
 * ```
 */
export function partsVersusHolistic(data: { V: Matrix }, options: PartsOptions = {}): PartsResult {
  const V = data.V;
  const rank = options.rank ?? 16;
  const fit = nmf(V, {
    rank,
    solver: "hals",
    init: "nndsvda",
    seed: options.seed ?? 0,
    maxIter: options.quick ? 60 : 300,
    tol: 1e-5,
    traceEvery: 10,
  });
  const meanImage = new Float64Array(V.rows);
  for (let i = 0; i < V.rows; i++) {
    let s = 0;
    for (let j = 0; j < V.cols; j++) s += V.data[i * V.cols + j] as number;
    meanImage[i] = s / V.cols;
  }
  const centred = Matrix.generate(V.rows, V.cols, (i, j) => V.get(i, j) - (meanImage[i] as number));
  const { U } = svd(centred, { rank, seed: options.seed ?? 0 });
  // PCA reconstruction: mean + U Uᵀ (V − mean).
  const projected = U.multiply(U.transpose().multiply(centred));
  const pcaHat = Matrix.generate(
    V.rows,
    V.cols,
    (i, j) => projected.get(i, j) + (meanImage[i] as number),
  );
  const sparsenessNmf = sparseness(fit.W).values;
  const sparsenessPca = sparseness(U).values;
  let negatives = 0;
  for (const v of U.data) if (v < 0) negatives++;
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const sN = mean(sparsenessNmf), sP = mean(sparsenessPca);
  const errorPca = relativeError(V, pcaHat);
  return {
    nmf: fit,
    pca: U,
    meanImage,
    sparsenessNmf,
    sparsenessPca,
    errorNmf: fit.relativeError,
    errorPca,
    negativeFractionPca: negatives / U.size,
    checks: [
      checkClaim(
        "NMF basis images are sparser than PCA's (mean Hoyer sparseness)",
        sN > sP,
        `${sN.toFixed(3)} vs ${sP.toFixed(3)}`,
      ),
      checkClaim("every NMF basis entry is ≥ 0", fit.W.min() >= 0, fit.W.min()),
    ],
  };
}

/**
 * TF-IDF weighting of a terms × documents count matrix, each document scaled to unit length:
 * x_ij = c_ij (ln((1 + n)/(1 + df_i)) + 1) / ‖column j‖ (scikit-learn's smooth idf).
 */
export function tfidf(counts: Matrix, documentFrequency: readonly number[]): Matrix {
  if (documentFrequency.length !== counts.rows) {
    throw new TypeError(
      `tfidf: documentFrequency must have one entry per term (${counts.rows}), got ${documentFrequency.length}`,
    );
  }
  const n = counts.cols;
  const X = Matrix.generate(
    counts.rows,
    n,
    (i, j) => counts.get(i, j) * (Math.log((1 + n) / (1 + (documentFrequency[i] as number))) + 1),
  );
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < X.rows; i++) s += X.get(i, j) ** 2;
    const r = Math.sqrt(s);
    if (r > 0) { for (let i = 0; i < X.rows; i++) X.set(i, j, X.get(i, j) / r); }
  }
  return X;
}

/** Options of {@linkcode sotuTopics}. */
export interface TopicsOptions extends ExperimentOptions {
  /** Number of topics. @default 8 */
  rank?: number;
  /** Top words listed per topic. @default 10 */
  top?: number;
}

/** One topic. */
export interface Topic {
  /** Its heaviest terms, heaviest first. */
  words: string[];
  /** The year around which its weight is centred (weighted mean of the address years). */
  meanYear: number;
  /** The address where it has the largest share. */
  peakYear: number;
}

/** What {@linkcode sotuTopics} returns. */
export interface TopicsResult {
  /** The NMF fit of the TF-IDF matrix (hals). */
  nmf: NmfResult;
  /** The topics, in the order of W's columns. */
  topics: Topic[];
  /** Topics × addresses: each address's topic shares (columns of H scaled to sum 1). */
  shares: Matrix;
  /** The year of each address (column). */
  years: number[];
  /** Mean Jaccard overlap of the top-word lists over all pairs of topics. */
  meanOverlap: number;
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Topics of the State of the Union addresses: NMF of the TF-IDF matrix, top words per topic and
 * each topic's share of every address, over the years.
 *
 * @example
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import { sotuTopics } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[3, 2, 0, 0], [2, 3, 0, 1], [0, 0, 4, 3], [0, 1, 3, 4]]);
 * const r = sotuTopics({
 *   V, rowLabels: ["tax", "budget", "war", "army"],
 *   documents: [1800, 1801, 1900, 1901].map((year) => ({ year })),
 *   vocabulary: [1, 1, 1, 1].map((d) => ({ documentFrequency: 2 * d })),
 * }, { rank: 2, top: 2 });
 * assert.equal(r.topics.length, 2);
 * ```
 */
export function sotuTopics(
  data: {
    V: Matrix;
    rowLabels: readonly string[];
    documents: readonly { year: number }[];
    vocabulary: readonly { documentFrequency: number }[];
  },
  options: TopicsOptions = {},
): TopicsResult {
  const rank = options.rank ?? 8;
  const top = options.top ?? 10;
  const X = tfidf(data.V, data.vocabulary.map((v) => v.documentFrequency));
  const fit = nmf(X, {
    rank,
    solver: "hals",
    seed: options.seed ?? 0,
    maxIter: options.quick ? 60 : 300,
    tol: 1e-5,
    traceEvery: 10,
  });
  const years = data.documents.map((d) => d.year);
  const n = X.cols;
  const shares = Matrix.zeros(rank, n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < rank; t++) s += fit.H.get(t, j);
    for (let t = 0; t < rank; t++) shares.set(t, j, s > 0 ? fit.H.get(t, j) / s : 0);
  }
  const topics: Topic[] = [];
  for (let t = 0; t < rank; t++) {
    const order = Array.from({ length: X.rows }, (_, i) => i)
      .sort((a, b) => fit.W.get(b, t) - fit.W.get(a, t) || a - b);
    let w = 0, wy = 0, peak = 0;
    for (let j = 0; j < n; j++) {
      const share = shares.get(t, j);
      w += share;
      wy += share * (years[j] as number);
      if (share > shares.get(t, peak)) peak = j;
    }
    topics.push({
      words: order.slice(0, top).map((i) => data.rowLabels[i] as string),
      meanYear: wy / w,
      peakYear: years[peak] as number,
    });
  }
  let overlap = 0, pairs = 0;
  for (let a = 0; a < rank; a++) {
    for (let b = a + 1; b < rank; b++) {
      const A = new Set((topics[a] as Topic).words), B = (topics[b] as Topic).words;
      const common = B.filter((x) => A.has(x)).length;
      overlap += common / (2 * top - common);
      pairs++;
    }
  }
  const meanOverlap = pairs > 0 ? overlap / pairs : 0;
  const meanYears = topics.map((t) => t.meanYear);
  const span = Math.max(...meanYears) - Math.min(...meanYears);
  return {
    nmf: fit,
    topics,
    shares,
    years,
    meanOverlap,
    checks: [
      checkClaim(
        "the topics' top-word lists barely overlap (mean pairwise Jaccard < 0.1)",
        meanOverlap < 0.1,
        meanOverlap,
      ),
      checkClaim(
        "the topics belong to different eras: their weighted mean years span more than 100 years",
        span > 100,
        span,
      ),
    ],
  };
}

/** Options of {@linkcode golubMetagenes}. */
export interface MetagenesOptions extends ExperimentOptions {
  /** Candidate ranks. @default [2, 3, 4] ([2, 3] when quick) */
  ranks?: number[];
  /** Restarts per rank. @default 30 (10 when quick) */
  runs?: number;
  /** Keep this many genes with the largest coefficient of variation. @default 1000 (500 when quick) */
  genes?: number;
  /** Iterations per restart (KL multiplicative updates). @default 100 (50 when quick) */
  maxIter?: number;
}

/** What {@linkcode golubMetagenes} returns. */
export interface MetagenesResult {
  /** Indices of the genes kept (rows of the original V). */
  genes: number[];
  /** The rank survey (consensus matrices, cophenetic correlation, clusters…). */
  survey: RankSurveyEntry[];
  /** Per rank: ARI of the consensus clusters with ALL/AML and with ALL-B/ALL-T/AML. */
  agreement: { rank: number; cophenetic: number; ariAllAml: number; ariThreeClasses: number }[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/** Rows of V with the largest coefficient of variation (sd / mean), in their original order. */
export function mostVariableRows(V: Matrix, count: number): number[] {
  const cv = Array.from({ length: V.rows }, (_, i) => {
    let s = 0, ss = 0;
    for (let j = 0; j < V.cols; j++) {
      const v = V.data[i * V.cols + j] as number;
      s += v;
      ss += v * v;
    }
    const mean = s / V.cols;
    const variance = Math.max(0, ss / V.cols - mean * mean);
    return mean > 0 ? Math.sqrt(variance) / mean : 0;
  });
  return Array.from({ length: V.rows }, (_, i) => i)
    .sort((a, b) => (cv[b] as number) - (cv[a] as number) || a - b)
    .slice(0, Math.min(count, V.rows))
    .sort((a, b) => a - b);
}

/**
 * Brunet et al. (2004) on the Golub leukemia data: KL-NMF restarts for each rank, consensus
 * clustering of the samples, cophenetic correlation per rank, and agreement (adjusted Rand
 * index) of the consensus clusters with the known classes.
 *
 * @example
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import { golubMetagenes } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[5, 5, 5, 1, 1, 1], [4, 5, 6, 1, 2, 1], [1, 2, 1, 6, 5, 4], [1, 1, 2, 5, 5, 5]]);
 * const r = golubMetagenes({ V, labels: ["AML", "AML", "AML", "ALL-B", "ALL-B", "ALL-T"] }, {
 *   ranks: [2], runs: 4, genes: 4,
 * });
 * assert.equal(r.agreement[0]!.ariAllAml, 1);
 * ```
 */
export function golubMetagenes(
  data: { V: Matrix; labels: readonly string[] },
  options: MetagenesOptions = {},
): MetagenesResult {
  const quick = options.quick ?? false;
  const ranks = options.ranks ?? (quick ? [2, 3] : [2, 3, 4]);
  const genes = mostVariableRows(data.V, options.genes ?? (quick ? 500 : 1000));
  const V = Matrix.generate(genes.length, data.V.cols, (i, j) => data.V.get(genes[i] as number, j));
  const survey = rankSurvey(V, {
    ranks,
    runs: options.runs ?? (quick ? 10 : 30),
    seed: options.seed ?? 0,
    maxIter: options.maxIter ?? (quick ? 50 : 100),
    tol: 1e-5,
    traceEvery: 10,
  });
  const allAml = data.labels.map((l) => (l === "AML" ? 1 : 0));
  const classes = [...new Set(data.labels)].sort();
  const three = data.labels.map((l) => classes.indexOf(l));
  const agreement = survey.map((e) => ({
    rank: e.rank,
    cophenetic: e.cophenetic,
    ariAllAml: adjustedRandIndex(e.clusters, allAml),
    ariThreeClasses: adjustedRandIndex(e.clusters, three),
  }));
  const r2 = agreement.find((a) => a.rank === 2);
  const r3 = agreement.find((a) => a.rank === 3);
  const checks: ExperimentCheck[] = [];
  if (r2 !== undefined) {
    checks.push(
      checkClaim(
        "rank 2: the consensus clusters separate ALL from AML (ARI > 0.7)",
        r2.ariAllAml > 0.7,
        r2.ariAllAml,
      ),
      checkClaim(
        "rank 2: the consensus is stable (cophenetic > 0.9)",
        r2.cophenetic > 0.9,
        r2.cophenetic,
      ),
    );
  }
  if (r3 !== undefined) {
    checks.push(
      checkClaim(
        "rank 3: the consensus clusters recover ALL-B / ALL-T / AML (ARI > 0.7)",
        r3.ariThreeClasses > 0.7,
        r3.ariThreeClasses,
      ),
    );
  }
  return { genes, survey, agreement, checks };
}
