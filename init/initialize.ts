/**
 * Initial factors for NMF. Every method is deterministic given `seed`.
 *
 * - `random`: entries |N(0, 1)| · √(mean(V)/k), so that WH has the scale of V on average
 *   (as scikit-learn).
 * - `nndsvd`: non-negative double SVD (Boutsidis & Gallopoulos 2008, "SVD based initialization:
 *   A head start for nonnegative matrix factorization", Pattern Recognition 41). Each singular
 *   pair (u, v) is split into positive and negative parts; the pair of parts with the larger
 *   mass ‖u±‖‖v±‖ becomes a column of W and a row of H. Produces exact zeros (sparse factors).
 * - `nndsvda`: NNDSVD with its zeros replaced by mean(V) (better for multiplicative updates).
 *   As published (and as scikit-learn), the fill value scales like V while the other entries
 *   scale like √V, so multiplying V by c changes the starting point slightly; `random` and
 *   `nndsvd` scale exactly.
 * - `nndsvdar`: NNDSVD with its zeros replaced by small random values |N(0,1)| · mean(V)/100.
 * - `random-acol`: each column of W is the average of `p` random columns of V (Langville et al.
 *   2006), H as in `random`.
 * - `spa`: W is k columns of V picked by the successive projection algorithm (Gillis & Vavasis
 *   2014; see `spa.ts`), H the non-negative least-squares coefficients of V on them.
 * - `{ W, H }`: custom factors, copied (never mutated).
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";
import { createRng } from "../linalg/rng.ts";
import { svd } from "../linalg/svd.ts";
import { factorsFromColumns, spaColumns } from "./spa.ts";

/** The names of the built-in initializations. */
export type InitName = "random" | "nndsvd" | "nndsvda" | "nndsvdar" | "random-acol" | "spa";

/** Initial factors. */
export interface Factors {
  /** m×k basis. */
  W: Matrix;
  /** k×n coefficients. */
  H: Matrix;
}

/** The list of built-in initialization names. */
export const INIT_NAMES: readonly InitName[] = [
  "random",
  "nndsvd",
  "nndsvda",
  "nndsvdar",
  "random-acol",
  "spa",
];

/** Options of {@linkcode initialize}. */
export interface InitializeOptions {
  /** Which initialization. @default "nndsvda" */
  method?: InitName;
  /** Seed of every random draw. @default 0 */
  seed?: number;
  /** random-acol: how many random columns of V are averaged per column of W. @default ceil(n / 5) */
  columns?: number;
}

function mean(V: Matrix): number {
  return V.size === 0 ? 0 : V.sum() / V.size;
}

function randomFactors(V: Matrix, k: number, seed: number): Factors {
  const rng = createRng(seed);
  const scale = Math.sqrt(mean(V) / k);
  const H = Matrix.zeros(k, V.cols);
  const W = Matrix.zeros(V.rows, k);
  // H first, then W, as scikit-learn draws them.
  for (let i = 0; i < H.size; i++) H.data[i] = scale * Math.abs(rng.normal());
  for (let i = 0; i < W.size; i++) W.data[i] = scale * Math.abs(rng.normal());
  return { W, H };
}

function nndsvd(V: Matrix, k: number, seed: number): Factors {
  const m = V.rows, n = V.cols;
  const { U, S, Vt } = svd(V, { rank: k, seed });
  const W = Matrix.zeros(m, k), H = Matrix.zeros(k, n);
  const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  for (let j = 0; j < k; j++) {
    const x = U.column(j), y = Vt.row(j);
    const sigma = S[j] as number;
    if (j === 0) {
      const s = Math.sqrt(sigma);
      for (let i = 0; i < m; i++) W.data[i * k] = s * Math.abs(x[i] as number);
      for (let t = 0; t < n; t++) H.data[t] = s * Math.abs(y[t] as number);
      continue;
    }
    const xp = x.map((v) => Math.max(v, 0)), xn = x.map((v) => Math.max(-v, 0));
    const yp = y.map((v) => Math.max(v, 0)), yn = y.map((v) => Math.max(-v, 0));
    const xpn = norm(xp), xnn = norm(xn), ypn = norm(yp), ynn = norm(yn);
    const mp = xpn * ypn, mn = xnn * ynn;
    const [u, v, su, sv, mass] = mp > mn ? [xp, yp, xpn, ypn, mp] : [xn, yn, xnn, ynn, mn];
    const lambda = Math.sqrt(sigma * mass);
    for (let i = 0; i < m; i++) W.data[i * k + j] = su > 0 ? lambda * (u[i] as number) / su : 0;
    for (let t = 0; t < n; t++) H.data[j * n + t] = sv > 0 ? lambda * (v[t] as number) / sv : 0;
  }
  // Values at round-off level (relative to the leading factor) become exact zeros, as in the
  // paper; the threshold is relative so that V and 1e-300·V give the same pattern.
  const tiny = 1e-14 * Math.sqrt(S[0] as number);
  for (const M of [W, H]) {
    for (let i = 0; i < M.size; i++) if ((M.data[i] as number) < tiny) M.data[i] = 0;
  }
  return { W, H };
}

function randomAcol(V: Matrix, k: number, seed: number, columns: number | undefined): Factors {
  const n = V.cols, m = V.rows;
  const p = columns ?? Math.max(1, Math.ceil(n / 5));
  if (!Number.isInteger(p) || p < 1 || p > n) {
    throw new RangeError(
      `initialize: columns must be an integer in [1, ${n}] (the number of columns of V), got ${
        formatValue(p)
      }`,
    );
  }
  const rng = createRng(seed);
  const W = Matrix.zeros(m, k);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < p; c++) {
      const col = rng.int(n);
      for (let i = 0; i < m; i++) {
        W.data[i * k + j] = (W.data[i * k + j] as number) + (V.data[i * n + col] as number) / p;
      }
    }
  }
  const { H } = randomFactors(V, k, seed + 1);
  return { W, H };
}

/**
 * Initial factors W (m×k) and H (k×n) for V.
 *
 * @example
 * ```ts
 * import { Matrix, initialize } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 10]]);
 * const { W, H } = initialize(V, 2, { method: "nndsvd", seed: 1 });
 * assert.deepEqual([W.rows, W.cols, H.rows, H.cols], [3, 2, 2, 3]);
 * assert.ok(W.min() >= 0 && H.min() >= 0);
 * ```
 */
export function initialize(V: Matrix, rank: number, options: InitializeOptions = {}): Factors {
  if (!(V instanceof Matrix)) {
    throw new TypeError(`initialize: V must be a Matrix, got ${formatValue(V)}`);
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError(`initialize: options must be an object, got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!["method", "seed", "columns"].includes(key)) {
      throw new TypeError(
        `initialize: unknown option ${
          JSON.stringify(key)
        }; valid options are "method", "seed", "columns"`,
      );
    }
  }
  const method = options.method ?? "nndsvda";
  const seed = options.seed ?? 0;
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`initialize: seed must be a finite number, got ${formatValue(seed)}`);
  }
  if (!INIT_NAMES.includes(method)) {
    throw new RangeError(
      `initialize: method must be one of ${INIT_NAMES.map((n) => `"${n}"`).join(", ")}, got ${
        formatValue(method)
      }`,
    );
  }
  if (typeof rank !== "number" || !Number.isInteger(rank)) {
    throw new TypeError(`initialize: rank must be a positive integer, got ${formatValue(rank)}`);
  }
  if (rank < 1) throw new RangeError(`initialize: rank must be a positive integer, got ${rank}`);
  if (V.size === 0) {
    throw new RangeError(`initialize: V must not be empty, got a ${V.rows}×${V.cols} matrix`);
  }
  const svdBased = method.startsWith("nndsvd");
  if (svdBased && rank > Math.min(V.rows, V.cols)) {
    throw new RangeError(
      `initialize: rank must be at most min(rows, cols) = ${
        Math.min(V.rows, V.cols)
      } for method "${method}" (it needs that many singular vectors), got ${rank}`,
    );
  }
  for (let i = 0; i < V.size; i++) {
    const v = V.data[i] as number;
    if (!(v >= 0) || v === Infinity) {
      const r = Math.floor(i / V.cols), c = i % V.cols;
      throw new RangeError(
        `initialize: V must be non-negative and finite, got V[${r}][${c}] = ${formatValue(v)}`,
      );
    }
  }
  if (method === "random") return randomFactors(V, rank, seed);
  if (method === "random-acol") return randomAcol(V, rank, seed, options.columns);
  if (method === "spa") {
    if (rank > V.cols) {
      throw new RangeError(
        `initialize: rank must be at most the number of columns of V (${V.cols}) for method "spa", got ${rank}`,
      );
    }
    return factorsFromColumns(V, spaColumns(V, rank));
  }
  const factors = nndsvd(V, rank, seed);
  if (method === "nndsvd") return factors;
  const avg = mean(V);
  if (method === "nndsvda") {
    for (const M of [factors.W, factors.H]) {
      for (let i = 0; i < M.size; i++) if (M.data[i] === 0) M.data[i] = avg;
    }
    return factors;
  }
  // nndsvdar
  const rng = createRng(seed);
  for (const M of [factors.W, factors.H]) {
    for (let i = 0; i < M.size; i++) {
      if (M.data[i] === 0) M.data[i] = Math.abs(avg * rng.normal() / 100);
    }
  }
  return factors;
}
