/**
 * Consensus clustering for NMF (Brunet, Tamayo, Golub & Mesirov 2004, "Metagenes and molecular
 * pattern discovery using matrix factorization", PNAS 101(12)).
 *
 * Read each fit of V ≈ WH as a clustering of the columns of V: column j belongs to the
 * component with the largest coefficient, argmax_a H_aj. The connectivity matrix of one fit is
 * C_ij = 1 when columns i and j land in the same cluster, else 0. Averaging the connectivity
 * matrices of many random restarts gives the consensus matrix, whose entry is the fraction of
 * runs that put i and j together. When the clustering is stable across restarts, every entry
 * is close to 0 or 1.
 *
 * Two summaries of that stability, used to choose the rank:
 * - the cophenetic correlation coefficient (Brunet et al.): cluster the items with average
 *   linkage using the distances 1 − consensus and take the Pearson correlation between those
 *   distances and the cophenetic distances of the tree. It is 1 for a perfectly stable
 *   consensus and drops when the consensus is blurred;
 * - the dispersion (Kim & Park 2007, "Sparse non-negative matrix factorizations via
 *   alternating non-negativity-constrained least squares for microarray data analysis",
 *   Bioinformatics 23(12)): (1/n²) Σ_ij 4 (C_ij − ½)², 1 for a consensus of 0s and 1s and
 *   smaller the closer entries sit to ½.
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";
import { checkLabels, checkMatrix } from "./checks.ts";
import { hclust } from "./hclust.ts";

/**
 * The cluster of each column of V in a fit: argmax over the rows of H, column by column
 * (ties go to the first component).
 *
 * @example
 * ```ts
 * import { argmaxClusters, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const H = Matrix.fromRows([[3, 0, 1], [1, 2, 1]]);
 * assert.deepEqual(argmaxClusters(H), [0, 1, 0]);
 * ```
 */
export function argmaxClusters(H: Matrix): number[] {
  checkMatrix("argmaxClusters", "H", H);
  const k = H.rows, n = H.cols, h = H.data;
  const labels: number[] = [];
  for (let j = 0; j < n; j++) {
    let best = -Infinity, arg = 0;
    for (let a = 0; a < k; a++) {
      const v = h[a * n + j] as number;
      if (Number.isNaN(v)) {
        throw new RangeError(`argmaxClusters: H must not contain NaN, got H[${a}][${j}] = NaN`);
      }
      if (v > best) {
        best = v;
        arg = a;
      }
    }
    labels.push(arg);
  }
  return labels;
}

/**
 * The n×n connectivity matrix of one clustering: 1 where two items share a label, else 0.
 *
 * @example
 * ```ts
 * import { connectivityMatrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(connectivityMatrix([0, 0, 1]).toRows(), [[1, 1, 0], [1, 1, 0], [0, 0, 1]]);
 * ```
 */
export function connectivityMatrix(labels: readonly number[]): Matrix {
  const l = checkLabels("connectivityMatrix", "labels", labels);
  const n = l.length;
  const C = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (l[i] === l[j]) C.data[i * n + j] = 1;
  }
  return C;
}

/**
 * The consensus matrix: the mean of the connectivity matrices of several clusterings of the
 * same n items (entry (i, j) is the fraction of clusterings that put i and j together).
 *
 * @example
 * ```ts
 * import { consensusMatrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const C = consensusMatrix([[0, 0, 1], [0, 1, 1]]);
 * assert.deepEqual(C.toRows(), [[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]]);
 * ```
 */
export function consensusMatrix(labelings: readonly (readonly number[])[]): Matrix {
  if (!Array.isArray(labelings) || labelings.length === 0) {
    throw new TypeError(
      `consensusMatrix: labelings must be a non-empty array of label arrays, got ${
        formatValue(labelings)
      }`,
    );
  }
  const first = checkLabels("consensusMatrix", "labelings[0]", labelings[0]);
  const n = first.length;
  const C = Matrix.zeros(n, n);
  const c = C.data;
  labelings.forEach((raw, r) => {
    const l = checkLabels("consensusMatrix", `labelings[${r}]`, raw);
    if (l.length !== n) {
      throw new TypeError(
        `consensusMatrix: every labeling must have ${n} labels (as labelings[0]), got labelings[${r}] of length ${l.length}`,
      );
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (l[i] === l[j]) c[i * n + j] = (c[i * n + j] as number) + 1;
    }
  });
  const runs = labelings.length;
  for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) / runs;
  return C;
}

function checkConsensus(caller: string, C: unknown): Matrix {
  checkMatrix(caller, "consensus", C);
  if (C.rows !== C.cols || C.rows === 0) {
    throw new TypeError(
      `${caller}: consensus must be a non-empty square matrix, got ${C.rows}×${C.cols}`,
    );
  }
  for (let i = 0; i < C.size; i++) {
    const v = C.data[i] as number;
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(
        `${caller}: consensus entries must lie in [0, 1], got consensus[${
          Math.floor(i / C.cols)
        }][${i % C.cols}] = ${formatValue(v)}`,
      );
    }
  }
  return C;
}

/**
 * The distance matrix 1 − C of a consensus matrix C, made exactly symmetric with a zero
 * diagonal (averaging round-off away), ready for {@linkcode hclust} or `silhouette`.
 *
 * @example
 * ```ts
 * import { consensusDistance, consensusMatrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(consensusDistance(consensusMatrix([[0, 0, 1]])).toRows(), [[0, 0, 1], [0, 0, 1], [1, 1, 0]]);
 * ```
 */
export function consensusDistance(consensus: Matrix): Matrix {
  const C = checkConsensus("consensusDistance", consensus);
  const D = C.map((v) => 1 - v);
  const n = D.rows;
  for (let i = 0; i < n; i++) {
    D.data[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * ((D.data[i * n + j] as number) + (D.data[j * n + i] as number));
      D.data[i * n + j] = D.data[j * n + i] = v;
    }
  }
  return D;
}

/**
 * Brunet et al.'s cophenetic correlation coefficient of a consensus matrix: the Pearson
 * correlation, over the pairs i < j, between the distances 1 − C_ij and the cophenetic
 * distances of the average-linkage tree built from them.
 *
 * When all distances are equal (for instance a single cluster, or n ≤ 2), the tree reproduces
 * them exactly while the correlation is 0/0; the coefficient is then defined as 1.
 *
 * @example A perfectly stable consensus
 * ```ts
 * import { consensusMatrix, copheneticCorrelation } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const C = consensusMatrix([[0, 0, 1, 1], [1, 1, 0, 0]]);
 * assert.equal(copheneticCorrelation(C), 1);
 * ```
 */
export function copheneticCorrelation(consensus: Matrix): number {
  checkConsensus("copheneticCorrelation", consensus);
  const D = consensusDistance(consensus);
  return copheneticCorrelationOf(D, hclust(D).cophenetic);
}

/**
 * The Pearson correlation, over the pairs i < j, between a distance matrix and the cophenetic
 * matrix of a tree built from it (1 when the distances are all equal, see
 * {@linkcode copheneticCorrelation}).
 */
export function copheneticCorrelationOf(distance: Matrix, cophenetic: Matrix): number {
  checkMatrix("copheneticCorrelationOf", "distance", distance);
  checkMatrix("copheneticCorrelationOf", "cophenetic", cophenetic);
  if (
    distance.rows !== distance.cols || cophenetic.rows !== distance.rows ||
    cophenetic.cols !== distance.cols
  ) {
    throw new TypeError(
      `copheneticCorrelationOf: distance and cophenetic must be square of the same size, got ${distance.rows}×${distance.cols} and ${cophenetic.rows}×${cophenetic.cols}`,
    );
  }
  return pearsonUpper(distance, cophenetic);
}

function pearsonUpper(A: Matrix, B: Matrix): number {
  const n = A.rows;
  let count = 0, ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      ma += A.data[i * n + j] as number;
      mb += B.data[i * n + j] as number;
      count++;
    }
  }
  if (count === 0) return 1;
  ma /= count;
  mb /= count;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = (A.data[i * n + j] as number) - ma, b = (B.data[i * n + j] as number) - mb;
      sab += a * b;
      saa += a * a;
      sbb += b * b;
    }
  }
  // Constant distances give a constant cophenetic matrix equal to them (see the doc above).
  if (saa === 0 || sbb === 0) return 1;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * Kim & Park's dispersion of a consensus matrix: (1/n²) Σ_ij 4 (C_ij − ½)², in [0, 1];
 * 1 when every entry is 0 or 1.
 *
 * @example
 * ```ts
 * import { consensusMatrix, dispersion, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(dispersion(consensusMatrix([[0, 1, 1]])), 1);
 * assert.equal(dispersion(Matrix.filled(2, 2, 0.5)), 0);
 * ```
 */
export function dispersion(consensus: Matrix): number {
  const C = checkConsensus("dispersion", consensus);
  let s = 0;
  for (let i = 0; i < C.size; i++) {
    const d = (C.data[i] as number) - 0.5;
    s += 4 * d * d;
  }
  return s / C.size;
}
