/**
 * Silhouette widths (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and
 * validation of cluster analysis", J. Comput. Appl. Math. 20).
 *
 * For item i in cluster A: a(i) is its mean distance to the other members of A, b(i) the
 * smallest mean distance to the members of another cluster, and s(i) = (b − a) / max(a, b),
 * in [−1, 1]: near 1 when i sits well inside its cluster, negative when it is closer to
 * another cluster. An item alone in its cluster has s(i) = 0, as in Rousseeuw's paper.
 *
 * @module
 */

import { checkDistanceMatrix, checkLabels } from "./checks.ts";
import type { Matrix } from "../linalg/matrix.ts";

/** What {@linkcode silhouette} returns. */
export interface SilhouetteResult {
  /** s(i) for every item. */
  widths: number[];
  /** The mean of `widths`. */
  mean: number;
}

/**
 * Silhouette widths of a clustering from an n×n distance matrix. With a single cluster every
 * width is 0 (there is no other cluster to compare with).
 *
 * @example Two tight, well separated pairs
 * ```ts
 * import { Matrix, silhouette } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const D = Matrix.fromRows([[0, 1, 9, 9], [1, 0, 9, 9], [9, 9, 0, 1], [9, 9, 1, 0]]);
 * const { mean } = silhouette(D, [0, 0, 1, 1]);
 * assert.ok(Math.abs(mean - 8 / 9) < 1e-12);
 * ```
 */
export function silhouette(D: Matrix, labels: readonly number[]): SilhouetteResult {
  checkDistanceMatrix("silhouette", "D", D);
  const l = checkLabels("silhouette", "labels", labels);
  const n = D.rows;
  if (l.length !== n) {
    throw new TypeError(
      `silhouette: labels must have ${n} entries (one per row of D), got ${l.length}`,
    );
  }
  const ids = [...new Set(l)];
  const index = new Map(ids.map((id, t) => [id, t]));
  const sizes = new Float64Array(ids.length);
  for (const v of l) sizes[index.get(v) as number]! += 1;
  const sums = new Float64Array(ids.length);
  const widths: number[] = [];
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j !== i) sums[index.get(l[j] as number) as number]! += D.data[i * n + j] as number;
    }
    const own = index.get(l[i] as number) as number;
    const ownSize = sizes[own] as number;
    if (ownSize === 1 || ids.length === 1) {
      widths.push(0);
      continue;
    }
    const a = (sums[own] as number) / (ownSize - 1);
    let b = Infinity;
    for (let t = 0; t < ids.length; t++) {
      if (t !== own) b = Math.min(b, (sums[t] as number) / (sizes[t] as number));
    }
    const denom = Math.max(a, b);
    widths.push(denom === 0 ? 0 : (b - a) / denom);
  }
  const mean = widths.reduce((s, w) => s + w, 0) / n;
  return { widths, mean };
}
