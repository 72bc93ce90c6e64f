/**
 * Agglomerative hierarchical clustering with average linkage (UPGMA: Sokal & Michener 1958).
 *
 * Start with every item in its own cluster. Repeatedly merge the two clusters A, B at the
 * smallest distance, where the distance between clusters is the mean of the item distances
 * across them, d(A, B) = Σ_{a∈A, b∈B} d(a, b) / (|A||B|). After a merge the distance from the
 * new cluster to any other C follows from the old ones without going back to the items
 * (Lance & Williams 1967): d(A∪B, C) = (|A| d(A, C) + |B| d(B, C)) / (|A| + |B|).
 *
 * The result is a merge tree (a dendrogram) with n − 1 merges. The cophenetic distance between
 * two items is the height of the merge that first puts them together; the leaf order lists
 * the items so that every cluster of the tree is a contiguous block (the order used for
 * consensus heatmaps). The conventions follow SciPy's `linkage`: item ids 0…n−1 are leaves,
 * merge t creates cluster id n + t, and each merge lists the smaller id first.
 *
 * Cost: O(n³) time and O(n²) memory, fine for the few hundred items of a consensus matrix.
 *
 * @module
 */

import { Matrix } from "../linalg/matrix.ts";
import { checkDistanceMatrix, checkInteger } from "./checks.ts";

/** One merge of the tree. */
export interface Merge {
  /** The smaller of the two merged cluster ids (ids < n are items, n + t is merge t). */
  left: number;
  /** The larger of the two merged cluster ids. */
  right: number;
  /** The average-linkage distance at which they merge. */
  height: number;
  /** Number of items in the merged cluster. */
  size: number;
}

/** What {@linkcode hclust} returns. */
export interface HclustResult {
  /** The n − 1 merges, in the order they happened (heights non-decreasing). */
  merges: Merge[];
  /** n×n cophenetic distances: entry (i, j) is the height at which i and j first share a cluster. */
  cophenetic: Matrix;
  /** The items in dendrogram order (left subtree first), for ordering heatmap rows and columns. */
  order: number[];
  /** Labels 0…k−1 per item for the k clusters left after undoing the last k − 1 merges. */
  cutTree(k: number): number[];
}

/** Options of {@linkcode hclust}. */
export interface HclustOptions {
  /** How the distance between clusters is defined. Only average linkage (UPGMA) is built in. @default "average" */
  linkage?: "average";
}

/**
 * Average-linkage hierarchical clustering of n items from their n×n distance matrix.
 *
 * @example Three items, two close and one far
 * ```ts
 * import { hclust, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const D = Matrix.fromRows([[0, 1, 4], [1, 0, 6], [4, 6, 0]]);
 * const tree = hclust(D);
 * assert.deepEqual(tree.merges.map((m) => m.height), [1, 5]); // (4 + 6) / 2 = 5
 * assert.deepEqual(tree.cutTree(2), [0, 0, 1]);
 * assert.equal(tree.cophenetic.get(0, 2), 5);
 * ```
 */
export function hclust(D: Matrix, options: HclustOptions = {}): HclustResult {
  checkDistanceMatrix("hclust", "D", D);
  const linkage = options.linkage ?? "average";
  if (linkage !== "average") {
    throw new RangeError(`hclust: linkage must be "average", got ${JSON.stringify(linkage)}`);
  }
  const n = D.rows;
  // Working distances between active clusters, indexed by slot (a slot holds one cluster).
  const dist = Float64Array.from(D.data);
  const active = new Uint8Array(n).fill(1);
  const slotId = Int32Array.from({ length: n }, (_, i) => i);
  const slotSize = new Float64Array(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const merges: Merge[] = [];
  const cophenetic = Matrix.zeros(n, n);
  const c = cophenetic.data;
  for (let t = 0; t < n - 1; t++) {
    let best = Infinity, bi = -1, bj = -1;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      const row = i * n;
      for (let j = i + 1; j < n; j++) {
        if (!active[j]) continue;
        const d = dist[row + j] as number;
        if (d < best) {
          best = d;
          bi = i;
          bj = j;
        }
      }
    }
    const na = slotSize[bi] as number, nb = slotSize[bj] as number;
    const idA = slotId[bi] as number, idB = slotId[bj] as number;
    const ma = members[bi] as number[], mb = members[bj] as number[];
    for (const a of ma) for (const b of mb) c[a * n + b] = c[b * n + a] = best;
    merges.push({
      left: Math.min(idA, idB),
      right: Math.max(idA, idB),
      height: best,
      size: na + nb,
    });
    // The merged cluster takes slot bi; slot bj retires.
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === bi || k === bj) continue;
      const d = (na * (dist[bi * n + k] as number) + nb * (dist[bj * n + k] as number)) / (na + nb);
      dist[bi * n + k] = d;
      dist[k * n + bi] = d;
    }
    active[bj] = 0;
    slotSize[bi] = na + nb;
    slotId[bi] = n + t;
    members[bi] = ma.concat(mb);
    members[bj] = [];
  }
  const order = leafOrder(merges, n);
  const cutTree = (k: number): number[] => cut(merges, n, k);
  return { merges, cophenetic, order, cutTree };
}

function leafOrder(merges: Merge[], n: number): number[] {
  if (n === 1) return [0];
  const order: number[] = [];
  const stack = [n + merges.length - 1];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (id < n) {
      order.push(id);
      continue;
    }
    const m = merges[id - n] as Merge;
    stack.push(m.right, m.left); // left is visited first
  }
  return order;
}

function cut(merges: Merge[], n: number, k: number): number[] {
  checkInteger("cutTree", "k", k, 1, n);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  // Leaf representative of each cluster id, so merges can be replayed on the leaves.
  const rep = new Int32Array(n + merges.length);
  for (let i = 0; i < n; i++) rep[i] = i;
  for (let t = 0; t < n - k; t++) {
    const m = merges[t] as Merge;
    const a = find(rep[m.left] as number), b = find(rep[m.right] as number);
    parent[b] = a;
    rep[n + t] = a;
  }
  const labelOf = new Map<number, number>();
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let label = labelOf.get(root);
    if (label === undefined) {
      label = labelOf.size;
      labelOf.set(root, label);
    }
    labels.push(label);
  }
  return labels;
}
