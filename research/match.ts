/**
 * Matching the components of two factorizations. Two NMF fits of the same data list their
 * components in arbitrary order and at arbitrary scale (V = WH = (WPD)(D⁻¹PᵀH) for any
 * permutation P and positive diagonal D). To say how different two fits really are, compare
 * components by cosine similarity — which ignores scale, as normalizing every component to unit
 * L2 norm would — and pair them by the Hungarian algorithm so that the summed similarity is
 * largest. What remains after that is genuine non-uniqueness.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { checkMatrix, checkOptionKeys } from "./checks.ts";
import { hungarian } from "./hungarian.ts";

/** Options of {@linkcode matchComponents}. */
export interface MatchComponentsOptions {
  /** Components are the columns (a basis W, m×k) or the rows (coefficients H, k×n). @default "columns" */
  of?: "columns" | "rows";
}

/** What {@linkcode matchComponents} returns. */
export interface ComponentMatch {
  /**
   * For each component i of `reference`, the component of `candidate` matched to it (−1 when
   * `candidate` has fewer components and i is left unmatched).
   */
  permutation: number[];
  /** Cosine similarity of each matched pair, in reference order (NaN for unmatched). */
  similarities: number[];
  /** The k×k' matrix of all cosine similarities (reference components down, candidate across). */
  similarity: Matrix;
  /** The smallest similarity over the matched pairs (1 = every component recovered exactly). */
  minSimilarity: number;
  /** The mean similarity over the matched pairs. */
  meanSimilarity: number;
}

/**
 * Pair the components of `candidate` with those of `reference` (largest total cosine
 * similarity, by the Hungarian algorithm).
 *
 * @example The same basis, columns shuffled and rescaled
 * ```ts
 * import { matchComponents, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.fromRows([[1, 0, 2], [0, 1, 1], [3, 1, 0]]);
 * const shuffled = Matrix.fromRows([[0, 20, 0.5], [1, 10, 0], [1, 0, 1.5]]); // columns 1, 2, 0
 * const m = matchComponents(W, shuffled);
 * assert.deepEqual(m.permutation, [2, 0, 1]);
 * assert.ok(m.minSimilarity > 1 - 1e-12);
 * ```
 */
export function matchComponents(
  reference: Matrix,
  candidate: Matrix,
  options: MatchComponentsOptions = {},
): ComponentMatch {
  checkMatrix("matchComponents", "reference", reference);
  checkMatrix("matchComponents", "candidate", candidate);
  checkOptionKeys("matchComponents", options, ["of"]);
  const of = options.of ?? "columns";
  if (of !== "columns" && of !== "rows") {
    throw new RangeError(
      `matchComponents: of must be "columns" or "rows", got ${formatValue(of)}`,
    );
  }
  const A = of === "columns" ? reference.transpose() : reference;
  const B = of === "columns" ? candidate.transpose() : candidate;
  if (A.cols !== B.cols) {
    throw new TypeError(
      `matchComponents: components must have the same length, got ${A.cols} (reference) and ${B.cols} (candidate)`,
    );
  }
  const unitA = unitRows(A, "reference"), unitB = unitRows(B, "candidate");
  const similarity = unitA.multiply(unitB.transpose());
  const { rowToColumn } = hungarian(similarity, { maximize: true });
  const similarities = rowToColumn.map((j, i) =>
    j < 0 ? NaN : similarity.data[i * similarity.cols + j] as number
  );
  const matched = similarities.filter((s) => !Number.isNaN(s));
  return {
    permutation: rowToColumn,
    similarities,
    similarity,
    minSimilarity: Math.min(...matched),
    meanSimilarity: matched.reduce((a, b) => a + b, 0) / matched.length,
  };
}

/** Each row scaled to unit Euclidean norm; a zero row is an error (it has no direction). */
function unitRows(M: Matrix, name: string): Matrix {
  const out = M.clone();
  for (let i = 0; i < M.rows; i++) {
    let big = 0;
    for (let j = 0; j < M.cols; j++) {
      big = Math.max(big, Math.abs(M.data[i * M.cols + j] as number));
    }
    if (!(big > 0) || !Number.isFinite(big)) {
      throw new RangeError(
        `matchComponents: every component of ${name} must be finite and non-zero, got component ${i} with largest |entry| ${
          formatValue(big)
        }`,
      );
    }
    let s = 0;
    for (let j = 0; j < M.cols; j++) s += ((M.data[i * M.cols + j] as number) / big) ** 2;
    const norm = big * Math.sqrt(s);
    for (let j = 0; j < M.cols; j++) {
      out.data[i * M.cols + j] = (M.data[i * M.cols + j] as number) / norm;
    }
  }
  return out;
}
