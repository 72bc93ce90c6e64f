/**
 * The Hungarian algorithm (Kuhn 1955, Munkres 1957) for the linear assignment problem: given an
 * r×c cost matrix with r ≤ c, choose one distinct column for every row so that the summed cost
 * is least. (With r > c, every column gets a distinct row instead.) NMF needs it to compare two
 * factorizations whose components come in different orders: match component i of one to
 * component σ(i) of the other so that the total similarity is largest.
 *
 * This is the O(r²c) shortest-augmenting-path form with dual potentials u (rows) and v
 * (columns): the reduced cost C_ij − u_i − v_j stays ≥ 0 everywhere and is 0 on the chosen
 * pairs, which certifies optimality (linear-programming duality). Each row is added by a
 * Dijkstra-like search for the cheapest augmenting path in reduced costs.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { checkMatrix, checkOptionKeys } from "./checks.ts";

/** Options of {@linkcode hungarian}. */
export interface HungarianOptions {
  /** Maximize the summed entries (e.g. similarities) instead of minimizing them. @default false */
  maximize?: boolean;
}

/** What {@linkcode hungarian} returns. */
export interface Assignment {
  /**
   * For each row i, the column it is assigned to, or −1 when there are more rows than
   * columns and row i is left out.
   */
  rowToColumn: number[];
  /** For each column j, the row assigned to it, or −1 when column j is left out. */
  columnToRow: number[];
  /** The summed cost (or value, with `maximize`) of the chosen pairs. */
  total: number;
}

/**
 * Solve the linear assignment problem on `cost`: a one-to-one matching of rows to columns
 * (min(r, c) pairs) with the least (or, with `maximize`, the largest) summed entries.
 *
 * @example Match three components by similarity
 * ```ts
 * import { hungarian, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const similarity = Matrix.fromRows([
 *   [0.1, 0.9, 0.2],
 *   [0.8, 0.3, 0.1],
 *   [0.2, 0.1, 0.7],
 * ]);
 * const { rowToColumn, total } = hungarian(similarity, { maximize: true });
 * assert.deepEqual(rowToColumn, [1, 0, 2]);
 * assert.ok(Math.abs(total - 2.4) < 1e-12);
 * ```
 */
export function hungarian(cost: Matrix, options: HungarianOptions = {}): Assignment {
  checkMatrix("hungarian", "cost", cost);
  checkOptionKeys("hungarian", options, ["maximize"]);
  const maximize = options.maximize ?? false;
  if (typeof maximize !== "boolean") {
    throw new TypeError(`hungarian: maximize must be a boolean, got ${formatValue(maximize)}`);
  }
  if (cost.rows === 0 || cost.cols === 0) {
    throw new RangeError(
      `hungarian: cost must not be empty, got a ${cost.rows}×${cost.cols} matrix`,
    );
  }
  for (let i = 0; i < cost.size; i++) {
    const x = cost.data[i] as number;
    if (!Number.isFinite(x)) {
      const r = Math.floor(i / cost.cols), c = i % cost.cols;
      throw new RangeError(
        `hungarian: cost must hold finite numbers, got cost[${r}][${c}] = ${formatValue(x)}`,
      );
    }
  }
  const transposed = cost.rows > cost.cols;
  const A = transposed ? cost.transpose() : cost;
  const rowsToCols = solveWide(A, maximize ? -1 : 1);
  const rowToColumn = new Array<number>(cost.rows).fill(-1);
  const columnToRow = new Array<number>(cost.cols).fill(-1);
  let total = 0;
  rowsToCols.forEach((j, i) => {
    const [r, c] = transposed ? [j, i] : [i, j];
    rowToColumn[r] = c;
    columnToRow[c] = r;
    total += cost.data[r * cost.cols + c] as number;
  });
  return { rowToColumn, columnToRow, total };
}

/** Rows ≤ columns: the column of each row in a least-cost assignment of sign·A. */
function solveWide(A: Matrix, sign: number): number[] {
  const n = A.rows, m = A.cols;
  // 1-based arrays; column 0 is a virtual column that holds the row being inserted.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOf = new Int32Array(m + 1); // rowOf[j]: row (1-based) matched to column j, 0 = none
  const way = new Int32Array(m + 1);
  const minReduced = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOf[0] = i;
    let j0 = 0;
    minReduced.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOf[j0] as number;
      let delta = Infinity;
      let j1 = 0;
      const base = (i0 - 1) * m;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = sign * (A.data[base + j - 1] as number) - (u[i0] as number) -
          (v[j] as number);
        if (reduced < (minReduced[j] as number)) {
          minReduced[j] = reduced;
          way[j] = j0;
        }
        if ((minReduced[j] as number) < delta) {
          delta = minReduced[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          const r = rowOf[j] as number;
          u[r] = (u[r] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minReduced[j] = (minReduced[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      rowOf[j0] = rowOf[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) {
    const r = rowOf[j] as number;
    if (r !== 0) result[r - 1] = j - 1;
  }
  return result;
}
