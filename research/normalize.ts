/**
 * Normalization conventions. An NMF V ≈ WH is only defined up to a positive diagonal D:
 * (WD)(D⁻¹H) = WH. To compare or report factors, fix D by a convention: scale every column of W
 * to unit norm (L1: each column sums to 1, a distribution over features, as in topic models;
 * L2: unit length; max: largest entry 1, as for images) and move the scale into the matching row
 * of H — or the other way round (`side: "H"`: rows of H normalized, scale moved into W). The
 * product WH is unchanged up to rounding.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { checkMatrix, checkOptionKeys } from "./checks.ts";

/** Options of {@linkcode normalizeFactors}. */
export interface NormalizeFactorsOptions {
  /** Which norm each component is scaled to 1 in. @default "l2" */
  norm?: "l1" | "l2" | "max";
  /** Normalize the columns of W (scale moves into H) or the rows of H (scale moves into W). @default "W" */
  side?: "W" | "H";
}

/** What {@linkcode normalizeFactors} returns: new factors (the inputs are not modified). */
export interface NormalizedFactors {
  /** m×k basis. */
  W: Matrix;
  /** k×n coefficients. */
  H: Matrix;
  /** The norm of each component before scaling (the diagonal of D⁻¹; 0 for a zero component, left as is). */
  scales: number[];
}

/**
 * Rescale (W, H) by a positive diagonal so that each component has unit norm on one side.
 *
 * @example Columns of W summing to one
 * ```ts
 * import { Matrix, normalizeFactors } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.fromRows([[1, 4], [3, 0]]);
 * const H = Matrix.fromRows([[1, 2], [0.5, 1]]);
 * const n = normalizeFactors(W, H, { norm: "l1" });
 * assert.deepEqual(n.W.toRows(), [[0.25, 1], [0.75, 0]]);
 * assert.deepEqual(n.scales, [4, 4]);
 * assert.deepEqual(n.W.multiply(n.H).toRows(), W.multiply(H).toRows());
 * ```
 */
export function normalizeFactors(
  W: Matrix,
  H: Matrix,
  options: NormalizeFactorsOptions = {},
): NormalizedFactors {
  checkMatrix("normalizeFactors", "W", W);
  checkMatrix("normalizeFactors", "H", H);
  checkOptionKeys("normalizeFactors", options, ["norm", "side"]);
  const norm = options.norm ?? "l2";
  const side = options.side ?? "W";
  if (norm !== "l1" && norm !== "l2" && norm !== "max") {
    throw new RangeError(
      `normalizeFactors: norm must be "l1", "l2" or "max", got ${formatValue(norm)}`,
    );
  }
  if (side !== "W" && side !== "H") {
    throw new RangeError(`normalizeFactors: side must be "W" or "H", got ${formatValue(side)}`);
  }
  if (W.cols !== H.rows) {
    throw new TypeError(
      `normalizeFactors: W must have as many columns as H has rows, got W ${W.rows}×${W.cols} and H ${H.rows}×${H.cols}`,
    );
  }
  const k = W.cols;
  const Wn = W.clone(), Hn = H.clone();
  const scales: number[] = [];
  for (let c = 0; c < k; c++) {
    const values = side === "W" ? W.column(c) : H.row(c);
    const s = componentNorm(values, norm);
    scales.push(s);
    if (!(s > 0) || !Number.isFinite(s)) continue;
    for (let i = 0; i < W.rows; i++) {
      const idx = i * k + c;
      Wn.data[idx] = side === "W" ? (W.data[idx] as number) / s : (W.data[idx] as number) * s;
    }
    for (let j = 0; j < H.cols; j++) {
      const idx = c * H.cols + j;
      Hn.data[idx] = side === "W" ? (H.data[idx] as number) * s : (H.data[idx] as number) / s;
    }
  }
  return { W: Wn, H: Hn, scales };
}

function componentNorm(x: Float64Array, norm: "l1" | "l2" | "max"): number {
  let s = 0;
  if (norm === "l1") { for (const v of x) s += Math.abs(v); }
  else if (norm === "max") { for (const v of x) s = Math.max(s, Math.abs(v)); }
  else {
    let big = 0;
    for (const v of x) big = Math.max(big, Math.abs(v));
    if (big === 0) return 0;
    for (const v of x) s += (v / big) * (v / big);
    s = big * Math.sqrt(s);
  }
  return s;
}
