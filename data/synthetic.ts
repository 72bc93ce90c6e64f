/**
 * Synthetic data with a known answer: planted factors W*, H* with a chosen noise model, the
 * textbook's small examples (exercise 6: rank 3 but non-negative rank 4; exercise 8: the
 * identity), and a bars data set built from known, non-overlapping parts.
 *
 * All randomness comes from `createRng(seed)`, so the same seed gives the same matrices on any
 * JavaScript engine.
 *
 * Noise models (E = W*H*, the clean matrix):
 * - `"gaussian"`: V = E + σ·Z, Z standard normal: mean E, variance σ². With `clip: true` (the
 *   default, because NMF needs V ≥ 0) negative entries are set to 0 afterwards, which raises the
 *   mean above E where E is within a few σ of 0. This is the model behind the Frobenius loss.
 * - `"poisson"`: V_ij ~ Poisson(E_ij): integer counts, mean E_ij, variance E_ij. The model behind
 *   the Kullback–Leibler loss (β = 1).
 * - `"gamma"`: V = E ⊙ G, G_ij ~ Gamma(shape k, scale 1/k): multiplicative noise with mean E_ij
 *   and variance E_ij²/k (V > 0 wherever E > 0). The model behind Itakura–Saito (β = 0).
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";
import { createRng, type Rng } from "../linalg/rng.ts";

/** A noise model of {@linkcode addNoise}. */
export type NoiseModel = "none" | "gaussian" | "poisson" | "gamma";

/** Options of {@linkcode addNoise}. */
export interface NoiseOptions {
  /** The noise model (see the module doc). @default "none" */
  noise?: NoiseModel;
  /** Gaussian only: standard deviation σ of the additive noise. @default 0.1 */
  sigma?: number;
  /** Gaussian only: set negative entries to 0 after adding the noise. @default true */
  clip?: boolean;
  /** Gamma only: shape k; the multiplicative factor has mean 1 and variance 1/k. @default 10 */
  shape?: number;
  /** Seed of the noise draws. @default 0 */
  seed?: number;
}

const NOISE_MODELS: readonly NoiseModel[] = ["none", "gaussian", "poisson", "gamma"];

// ---------------------------------------------------------------------------------------------
// Samplers

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${formatValue(x)}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * One Poisson(λ) draw. λ < 10: inversion by sequential search; λ ≥ 10: Hörmann's transformed
 * rejection (PTRS, 1993), exact for any λ and fast for large λ.
 *
 * @param rng the random stream
 * @param lambda the mean λ ≥ 0
 * @example
 * ```ts
 * import { createRng, samplePoisson } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const rng = createRng(1);
 * const x = samplePoisson(rng, 1e6);
 * assert.ok(Number.isInteger(x) && Math.abs(x - 1e6) < 10 * Math.sqrt(1e6));
 * ```
 */
export function samplePoisson(rng: Rng, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(
      `samplePoisson: lambda must be finite and ≥ 0, got ${formatValue(lambda)}`,
    );
  }
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const u = rng.uniform();
    let k = 0, p = Math.exp(-lambda), s = p;
    while (u > s && k < 1000) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = rng.uniform() - 0.5;
    const V = rng.uniform();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (
      Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -lambda + k * loglam - logGamma(k + 1)
    ) return k;
  }
}

/**
 * One Gamma(shape, scale 1) draw: Marsaglia & Tsang (2000) for shape ≥ 1, and for shape < 1
 * the boost Gamma(shape + 1)·U^(1/shape).
 *
 * @param rng the random stream
 * @param shape the shape k > 0 (mean k, variance k)
 */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(`sampleGamma: shape must be finite and > 0, got ${formatValue(shape)}`);
  }
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.uniform();
    return sampleGamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

// ---------------------------------------------------------------------------------------------
// Noise

interface ResolvedNoise {
  noise: NoiseModel;
  sigma: number;
  clip: boolean;
  shape: number;
}

function resolveNoise(caller: string, options: NoiseOptions): ResolvedNoise {
  const noise = options.noise ?? "none";
  if (!NOISE_MODELS.includes(noise)) {
    throw new RangeError(
      `${caller}: noise must be one of ${NOISE_MODELS.map((m) => `"${m}"`).join(", ")}, got ${
        formatValue(noise)
      }`,
    );
  }
  const sigma = options.sigma ?? 0.1;
  if (typeof sigma !== "number" || !(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`${caller}: sigma must be a finite number ≥ 0, got ${formatValue(sigma)}`);
  }
  const shape = options.shape ?? 10;
  if (typeof shape !== "number" || !(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(`${caller}: shape must be a finite number > 0, got ${formatValue(shape)}`);
  }
  const clip = options.clip ?? true;
  if (typeof clip !== "boolean") {
    throw new TypeError(`${caller}: clip must be a boolean, got ${formatValue(clip)}`);
  }
  return { noise, sigma, clip, shape };
}

function checkSeed(caller: string, seed: unknown): number {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`${caller}: seed must be a finite number, got ${formatValue(seed)}`);
  }
  return seed;
}

function noisy(clean: Matrix, n: ResolvedNoise, rng: Rng, caller: string): Matrix {
  const out = new Float64Array(clean.data.length);
  for (let i = 0; i < out.length; i++) {
    const e = clean.data[i] as number;
    if (n.noise !== "none" && n.noise !== "gaussian" && !(e >= 0)) {
      throw new RangeError(
        `${caller}: ${n.noise} noise needs a clean matrix ≥ 0, but entry ${i} is ${formatValue(e)}`,
      );
    }
    switch (n.noise) {
      case "none":
        out[i] = e;
        break;
      case "gaussian": {
        const v = e + n.sigma * rng.normal();
        out[i] = n.clip && v < 0 ? 0 : v;
        break;
      }
      case "poisson":
        out[i] = samplePoisson(rng, e);
        break;
      case "gamma":
        out[i] = e === 0 ? 0 : e * (sampleGamma(rng, n.shape) / n.shape);
        break;
    }
  }
  return new Matrix(out, clean.rows, clean.cols);
}

/**
 * A noisy copy of `clean` under one of the noise models of the module doc.
 *
 * @param clean the noise-free matrix (≥ 0 for Poisson and Gamma noise)
 * @param options model, its parameter and the seed
 * @example
 * ```ts
 * import { addNoise, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const E = Matrix.filled(2, 3, 4);
 * const V = addNoise(E, { noise: "poisson", seed: 1 });
 * assert.ok(V.data.every((v) => Number.isInteger(v) && v >= 0));
 * assert.deepEqual(addNoise(E, { noise: "poisson", seed: 1 }).data, V.data);
 * ```
 */
export function addNoise(clean: Matrix, options: NoiseOptions = {}): Matrix {
  if (!(clean instanceof Matrix)) {
    throw new TypeError(`addNoise: clean must be a Matrix, got ${formatValue(clean)}`);
  }
  const n = resolveNoise("addNoise", options);
  return noisy(clean, n, createRng(checkSeed("addNoise", options.seed ?? 0)), "addNoise");
}

// ---------------------------------------------------------------------------------------------
// Planted factors

/** Options of {@linkcode plantedNmf}. */
export interface PlantedOptions extends NoiseOptions {
  /** Inner dimension r of W* (m×r) and H* (r×n). @default 5 */
  rank?: number;
  /**
   * How W*, H* are drawn (entries uniform in [0, 1) unless said otherwise):
   * - `"dense"`: every entry uniform;
   * - `"sparse"`: each entry non-zero with probability `density` (every column of W* and row of
   *   H* keeps at least one non-zero);
   * - `"separable"`: W* dense; H* = [I_r, H'] with columns shuffled, H' columns summing to 1,
   *   so r columns of V (the `anchors`) are the columns of W* themselves and every other column
   *   is a convex combination of them (the setting of SPA and other separable NMF methods).
   * @default "dense"
   */
  structure?: "dense" | "sparse" | "separable";
  /** Sparse only: probability that an entry of W* or H* is non-zero. @default 0.3 */
  density?: number;
  /** W* is multiplied by this (e.g. larger counts for Poisson noise). @default 1 */
  scale?: number;
}

/** A planted NMF problem: data, the true factors, and how the data were made. */
export interface Planted {
  /** The data: `clean` with noise added. */
  V: Matrix;
  /** The true W* (m×r). */
  W: Matrix;
  /** The true H* (r×n). */
  H: Matrix;
  /** W*H*, the noise-free data (the mean of V, except for clipped Gaussian noise). */
  clean: Matrix;
  /** Separable only: `anchors[a]` is the column of V whose H* column is the unit vector e_a. */
  anchors?: number[];
  /** The noise model used. */
  noise: NoiseModel;
  /** The seed used. */
  seed: number;
}

function positiveInt(caller: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${caller}: ${name} must be a positive integer, got ${formatValue(value)}`);
  }
  if (value < 1) throw new RangeError(`${caller}: ${name} must be ≥ 1, got ${value}`);
  return value;
}

/**
 * Draw W*, H* ≥ 0 and return V = W*H* + noise, with the true factors.
 *
 * @param rows m, the rows of V
 * @param cols n, the columns of V
 * @param options rank, structure, noise model, seed
 * @example
 * ```ts
 * import { plantedNmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const p = plantedNmf(20, 30, { rank: 3, structure: "separable", seed: 4 });
 * assert.deepEqual(p.V.shape, [20, 30]);
 * // Without noise, the anchor columns of V are the columns of W*.
 * assert.deepEqual(Array.from(p.V.column(p.anchors![0]!)), Array.from(p.W.column(0)));
 * ```
 */
export function plantedNmf(rows: number, cols: number, options: PlantedOptions = {}): Planted {
  const caller = "plantedNmf";
  const m = positiveInt(caller, "rows", rows);
  const n = positiveInt(caller, "cols", cols);
  const r = positiveInt(caller, "rank", options.rank ?? 5);
  const structure = options.structure ?? "dense";
  if (!["dense", "sparse", "separable"].includes(structure)) {
    throw new RangeError(
      `${caller}: structure must be "dense", "sparse" or "separable", got ${
        formatValue(structure)
      }`,
    );
  }
  const density = options.density ?? 0.3;
  if (typeof density !== "number" || !(density > 0 && density <= 1)) {
    throw new RangeError(`${caller}: density must be in (0, 1], got ${formatValue(density)}`);
  }
  const scale = options.scale ?? 1;
  if (typeof scale !== "number" || !(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`${caller}: scale must be a finite number > 0, got ${formatValue(scale)}`);
  }
  if (structure === "separable" && n < r) {
    throw new RangeError(
      `${caller}: separable data need cols ≥ rank (an identity block in H*), got cols ${n} < rank ${r}`,
    );
  }
  const noise = resolveNoise(caller, options);
  const seed = checkSeed(caller, options.seed ?? 0);
  const rng = createRng(seed);
  const W = Matrix.zeros(m, r);
  const H = Matrix.zeros(r, n);
  let anchors: number[] | undefined;
  if (structure === "sparse") {
    for (let i = 0; i < W.data.length; i++) {
      W.data[i] = rng.uniform() < density ? rng.uniform() : 0;
    }
    for (let i = 0; i < H.data.length; i++) {
      H.data[i] = rng.uniform() < density ? rng.uniform() : 0;
    }
    // No empty component: every column of W and row of H keeps at least one non-zero.
    for (let a = 0; a < r; a++) {
      if (W.column(a).every((v) => v === 0)) W.set(rng.int(m), a, 0.5 + 0.5 * rng.uniform());
      if (H.row(a).every((v) => v === 0)) H.set(a, rng.int(n), 0.5 + 0.5 * rng.uniform());
    }
  } else {
    for (let i = 0; i < W.data.length; i++) W.data[i] = rng.uniform();
    if (structure === "dense") {
      for (let i = 0; i < H.data.length; i++) H.data[i] = rng.uniform();
    } else {
      // A random permutation of the columns: the first r positions become the anchors.
      const order = Array.from({ length: n }, (_, j) => j);
      for (let j = n - 1; j > 0; j--) {
        const k = rng.int(j + 1);
        [order[j], order[k]] = [order[k] as number, order[j] as number];
      }
      anchors = order.slice(0, r);
      anchors.forEach((col, a) => H.set(a, col, 1));
      for (const col of order.slice(r)) {
        let sum = 0;
        for (let a = 0; a < r; a++) {
          const v = rng.uniform();
          H.set(a, col, v);
          sum += v;
        }
        for (let a = 0; a < r; a++) H.set(a, col, sum > 0 ? H.get(a, col) / sum : 1 / r);
      }
    }
  }
  if (scale !== 1) {
    for (let i = 0; i < W.data.length; i++) W.data[i] = (W.data[i] as number) * scale;
  }
  const clean = W.multiply(H);
  const V = noisy(clean, noise, rng, caller);
  const result: Planted = { V, W, H, clean, noise: noise.noise, seed };
  if (anchors) result.anchors = anchors;
  return result;
}

// ---------------------------------------------------------------------------------------------
// The textbook's small examples

/** The result of {@linkcode nonnegativeRankExample}. */
export interface NonnegativeRankExample {
  /** [[1,1,0,0],[0,1,1,0],[0,0,1,1],[1,0,0,1]]. */
  V: Matrix;
  /** Its ordinary rank: 3 (row 1 − row 2 + row 3 − row 4 = 0). */
  rank: 3;
  /** Its non-negative rank: 4. */
  nonnegativeRank: 4;
  /**
   * Four positive entries (i, j) such that for any two of them V(i₁, j₂)·V(i₂, j₁) = 0: each
   * rank-one non-negative term of an exact NMF can cover at most one of them, so any exact NMF
   * needs ≥ 4 terms (the "fooling set" bound).
   */
  foolingSet: [number, number][];
  /** A non-negative factorization with 4 terms (W = V, H = I). */
  W: Matrix;
  /** See `W`. */
  H: Matrix;
}

/**
 * Exercise 6: a matrix whose rank (3) is smaller than its non-negative rank (4).
 *
 * @example
 * ```ts
 * import { nonnegativeRankExample } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const ex = nonnegativeRankExample();
 * for (const [a, b] of ex.foolingSet) {
 *   for (const [c, d] of ex.foolingSet) {
 *     if (a !== c) assert.equal(ex.V.get(a, d) * ex.V.get(c, b), 0);
 *   }
 * }
 * ```
 */
export function nonnegativeRankExample(): NonnegativeRankExample {
  const V = Matrix.fromRows([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]]);
  return {
    V,
    rank: 3,
    nonnegativeRank: 4,
    foolingSet: [[0, 0], [1, 1], [2, 2], [3, 3]],
    W: V.clone(),
    H: Matrix.identity(4),
  };
}

/** Options of {@linkcode identityExample}. */
export interface IdentityExampleOptions {
  /** The size n of the identity. @default 3 */
  size?: number;
}

/** The result of {@linkcode identityExample}. */
export interface IdentityExample {
  /** The n×n identity. */
  V: Matrix;
  /** Exact non-negative factorizations V = WH, all different. */
  factorizations: { name: string; W: Matrix; H: Matrix }[];
}

/**
 * Exercise 8: the identity I = WH has many exact NMFs: I·I, P·Pᵀ for a permutation P, D·D⁻¹
 * for a positive diagonal D, and their combinations. With inner dimension n these are all of
 * them: H must be W⁻¹, and a non-negative matrix whose inverse is also non-negative is a scaled
 * permutation (a monomial matrix). So here NMF is unique exactly up to the permutation and
 * scaling that every NMF has.
 *
 * @param options the size
 * @example
 * ```ts
 * import { identityExample } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const { V, factorizations } = identityExample({ size: 3 });
 * for (const { W, H } of factorizations) assert.deepEqual(W.multiply(H).toRows(), V.toRows());
 * ```
 */
export function identityExample(options: IdentityExampleOptions = {}): IdentityExample {
  const n = positiveInt("identityExample", "size", options.size ?? 3);
  const I = Matrix.identity(n);
  // P: the cyclic shift e_j → e_{j+1}; D = diag(1, 2, …, n).
  const P = Matrix.generate(n, n, (i, j) => (i === (j + 1) % n ? 1 : 0));
  const D = Matrix.generate(n, n, (i, j) => (i === j ? i + 1 : 0));
  const Dinv = Matrix.generate(n, n, (i, j) => (i === j ? 1 / (i + 1) : 0));
  return {
    V: I,
    factorizations: [
      { name: "identity: I · I", W: I.clone(), H: I.clone() },
      { name: "permutation: P · Pᵀ", W: P, H: P.transpose() },
      { name: "scaling: D · D⁻¹", W: D, H: Dinv },
      {
        name: "scaled permutation: (PD) · (D⁻¹Pᵀ)",
        W: P.multiply(D),
        H: Dinv.multiply(P.transpose()),
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Bars: images from known, non-overlapping parts

/** Options of {@linkcode barsDataset}. */
export interface BarsOptions {
  /** Side of the square images, even and ≥ 2; each quadrant holds size/2 bars. @default 8 */
  size?: number;
  /**
   * Number of images drawn at random (one bar per quadrant, uniformly). Without it, every
   * combination is listed once, in order: (size/2)⁴ images (256 for size 8).
   * @default undefined (all combinations)
   */
  samples?: number;
  /** Seed of the random draws (used only with `samples`). @default 0 */
  seed?: number;
}

/** The result of {@linkcode barsDataset}. */
export interface Bars {
  /** Pixels × images (size² × n), exactly W·H. */
  V: Matrix;
  /** The true parts: pixels × parts (size² × 2·size), each column one bar of ones. */
  W: Matrix;
  /** Parts × images, 0/1: which bar each image uses in each quadrant. */
  H: Matrix;
  /** Each column of V or W reshaped row-major is an image of this many rows and columns. */
  imageShape: [number, number];
  /** A name for each part, e.g. `"top-left row 2"`. */
  parts: string[];
}

/**
 * A "swimmer"-style bars data set: the image is split into four quadrants; the top-left and
 * bottom-right quadrants hold horizontal bars, the other two vertical bars, size/2 bars each.
 * Every image shows exactly one bar per quadrant, so the 2·size parts never overlap (they tile
 * the image) and V = W·H exactly, with W the parts and H binary: the test of whether an NMF of
 * inner dimension 2·size recovers the bars (up to order and scale). Note that rank(V) is only
 * 2·size − 3 (for size ≥ 4, all combinations): in H, the rows of one quadrant's bars sum to a row
 * of ones, the same for all four quadrants.
 *
 * @param options image size, number of images, seed
 * @example
 * ```ts
 * import { barsDataset } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const bars = barsDataset();
 * assert.deepEqual(bars.V.shape, [64, 256]);
 * assert.deepEqual(bars.W.multiply(bars.H).data, bars.V.data);
 * ```
 */
export function barsDataset(options: BarsOptions = {}): Bars {
  const caller = "barsDataset";
  const size = positiveInt(caller, "size", options.size ?? 8);
  if (size % 2 !== 0 || size < 2) {
    throw new RangeError(`${caller}: size must be even and ≥ 2, got ${size}`);
  }
  const h = size / 2;
  const quadrants = [
    { name: "top-left", r0: 0, c0: 0, horizontal: true },
    { name: "top-right", r0: 0, c0: h, horizontal: false },
    { name: "bottom-left", r0: h, c0: 0, horizontal: false },
    { name: "bottom-right", r0: h, c0: h, horizontal: true },
  ];
  const pixels = size * size;
  const nParts = 4 * h;
  const W = Matrix.zeros(pixels, nParts);
  const parts: string[] = [];
  quadrants.forEach((q, qi) => {
    for (let b = 0; b < h; b++) {
      const part = qi * h + b;
      parts.push(`${q.name} ${q.horizontal ? "row" : "column"} ${b}`);
      for (let s = 0; s < h; s++) {
        const r = q.r0 + (q.horizontal ? b : s);
        const c = q.c0 + (q.horizontal ? s : b);
        W.set(r * size + c, part, 1);
      }
    }
  });
  let choices: number[][];
  if (options.samples === undefined) {
    const total = h ** 4;
    choices = Array.from({ length: total }, (_, k) => [
      Math.floor(k / h ** 3) % h,
      Math.floor(k / h ** 2) % h,
      Math.floor(k / h) % h,
      k % h,
    ]);
  } else {
    const n = positiveInt(caller, "samples", options.samples);
    const rng = createRng(checkSeed(caller, options.seed ?? 0));
    choices = Array.from({ length: n }, () => [rng.int(h), rng.int(h), rng.int(h), rng.int(h)]);
  }
  const n = choices.length;
  const H = Matrix.zeros(nParts, n);
  choices.forEach((choice, j) => choice.forEach((b, qi) => H.set(qi * h + b, j, 1)));
  return { V: W.multiply(H), W, H, imageShape: [size, size], parts };
}
