/**
 * The adjusted Rand index (Hubert & Arabie 1985, "Comparing partitions", J. Classification 2):
 * agreement between two clusterings of the same items, corrected for chance. It is 1 for
 * identical partitions (whatever the label names), about 0 for independent random ones, and
 * can be negative.
 *
 * From the contingency table n_uv (items with label u in a and v in b), row sums a_u and column
 * sums b_v:  ARI = (Σ C(n_uv, 2) − E) / (½[Σ C(a_u, 2) + Σ C(b_v, 2)] − E),
 * with E = Σ C(a_u, 2) Σ C(b_v, 2) / C(n, 2). When the denominator is 0 (both partitions are
 * all-in-one or all-singletons, so they agree trivially) the index is defined as 1, as in
 * scikit-learn.
 *
 * @module
 */

import { checkLabels } from "./checks.ts";

const pairs = (x: number) => x * (x - 1) / 2;

/**
 * Adjusted Rand index between two labelings of the same items.
 *
 * @example
 * ```ts
 * import { adjustedRandIndex } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(adjustedRandIndex([0, 0, 1, 1], [5, 5, 2, 2]), 1);
 * assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-12);
 * ```
 */
export function adjustedRandIndex(a: readonly number[], b: readonly number[]): number {
  const la = checkLabels("adjustedRandIndex", "a", a);
  const lb = checkLabels("adjustedRandIndex", "b", b);
  if (la.length !== lb.length) {
    throw new TypeError(
      `adjustedRandIndex: a and b must label the same items, got lengths ${la.length} and ${lb.length}`,
    );
  }
  const n = la.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>(), cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const u = la[i] as number, v = lb[i] as number;
    const key = `${u},${v}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(u, (rows.get(u) ?? 0) + 1);
    cols.set(v, (cols.get(v) ?? 0) + 1);
  }
  let index = 0, sumA = 0, sumB = 0;
  for (const c of table.values()) index += pairs(c);
  for (const c of rows.values()) sumA += pairs(c);
  for (const c of cols.values()) sumB += pairs(c);
  const total = pairs(n);
  const expected = total === 0 ? 0 : sumA * sumB / total;
  const max = 0.5 * (sumA + sumB);
  if (max - expected === 0) return 1;
  return (index - expected) / (max - expected);
}
