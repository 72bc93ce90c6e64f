/**
 * Notebook 1 — objectives and noise models (seed question 2: "why Poisson? what about Gaussian
 * or Gamma?").
 *
 * Each loss of the β-divergence family is, up to a constant that does not depend on the model
 * WH, the negative log-likelihood of one noise model around the mean E = WH:
 * - Gaussian, V = E + σZ:        −log p(V | E) = D₂(V | E)/σ² + const (β = 2, Frobenius);
 * - Poisson, V ~ Poisson(E):     −log p(V | E) = D₁(V | E) + const      (β = 1, KL);
 * - Gamma, V = E ⊙ G, G ~ Γ(k, 1/k): −log p(V | E) = k·D₀(V | E) + const (β = 0, IS).
 * So minimizing the matching divergence is maximum likelihood. The experiments check the
 * constant numerically, fit data drawn under each model with each loss, and check the scale
 * property d_β(λx | λy) = λ^β d_β(x | y) (Itakura–Saito, β = 0, is scale-invariant).
 *
 * @module
 */

import {
  addNoise,
  betaDivergence,
  betaDivergenceScalar,
  createRng,
  logGamma,
  matchComponents,
  Matrix,
  nmf,
  type NoiseModel,
} from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** The three noise models and the β whose divergence is their negative log-likelihood. */
export const NOISE_BETAS: readonly {
  noise: Exclude<NoiseModel, "none">;
  beta: number;
  loss: string;
}[] = [
  { noise: "gaussian", beta: 2, loss: "Frobenius (β = 2)" },
  { noise: "poisson", beta: 1, loss: "KL (β = 1)" },
  { noise: "gamma", beta: 0, loss: "IS (β = 0)" },
];

/** Noise parameters used throughout notebook 1. */
export interface NoiseParameters {
  /** Gaussian standard deviation σ. @default 2 */
  sigma?: number;
  /** Gamma shape k (multiplicative noise of variance 1/k). @default 3 */
  shape?: number;
}

/**
 * −log p(V | E) summed over entries, for a noise model with mean E (log x! = lnΓ(x + 1)).
 *
 * @example Poisson: a single count
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import { negativeLogLikelihood } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const nll = negativeLogLikelihood(Matrix.fromRows([[2]]), Matrix.fromRows([[3]]), "poisson");
 * assert.ok(Math.abs(nll - (3 - 2 * Math.log(3) + Math.log(2))) < 1e-12);
 * ```
 */
export function negativeLogLikelihood(
  V: Matrix,
  E: Matrix,
  noise: Exclude<NoiseModel, "none">,
  parameters: NoiseParameters = {},
): number {
  if (V.rows !== E.rows || V.cols !== E.cols) {
    throw new TypeError(
      `negativeLogLikelihood: V (${V.rows}×${V.cols}) and E (${E.rows}×${E.cols}) must have the same shape`,
    );
  }
  const sigma = parameters.sigma ?? 2, k = parameters.shape ?? 3;
  let total = 0;
  for (let i = 0; i < V.size; i++) {
    const x = V.data[i] as number, mu = E.data[i] as number;
    if (noise === "gaussian") {
      total += (x - mu) * (x - mu) / (2 * sigma * sigma) +
        0.5 * Math.log(2 * Math.PI * sigma * sigma);
    } else if (noise === "poisson") {
      total += mu - (x === 0 ? 0 : x * Math.log(mu)) + logGamma(x + 1);
    } else if (noise === "gamma") {
      total += k * x / mu - k * Math.log(k / mu) - (k - 1) * Math.log(x) + logGamma(k);
    } else {
      throw new RangeError(
        `negativeLogLikelihood: noise must be "gaussian", "poisson" or "gamma", got ${
          String(noise)
        }`,
      );
    }
  }
  return total;
}

/** The weight w with −log p = w·D_β + const: 1/σ² (Gaussian), 1 (Poisson), k (Gamma). */
export function likelihoodWeight(
  noise: Exclude<NoiseModel, "none">,
  parameters: NoiseParameters = {},
): number {
  if (noise === "gaussian") return 1 / (parameters.sigma ?? 2) ** 2;
  if (noise === "gamma") return parameters.shape ?? 3;
  return 1;
}

/**
 * A planted rank-r problem whose mean E = W*H* stays well above 0 (so Poisson counts are rarely
 * 0 and clipped Gaussian noise rarely bites): column a of W* is positive on its own band of
 * rows (and on a few random others) and 0 elsewhere, H* is dense and ≥ 0.2. Rows with a single
 * non-zero make the factorization essentially unique, so recovering W* is a fair question.
 */
export function positivePlanted(
  m: number,
  n: number,
  options: { rank?: number; level?: number; seed?: number } = {},
): { W: Matrix; H: Matrix; E: Matrix } {
  const r = options.rank ?? 3, level = options.level ?? 20;
  const rng = createRng(options.seed ?? 0);
  const W = Matrix.generate(m, r, (i, a) => {
    // column a is large on its own band of rows, small elsewhere
    const inBand = Math.floor(i * r / m) === a || rng.uniform() < 0.15;
    return inBand ? 0.5 + rng.uniform() : 0;
  });
  const H = Matrix.generate(r, n, () => 0.2 + rng.uniform());
  const E = W.multiply(H);
  const scale = level / (E.sum() / E.size);
  return { W: W.map((v) => v * scale), H, E: E.map((v) => v * scale) };
}

/** One row of {@linkcode likelihoodGap}'s table. */
export interface LikelihoodGapRow {
  noise: string;
  beta: number;
  /** Which candidate model E (0 = the true mean, others perturbed). */
  candidate: number;
  negativeLogLikelihood: number;
  divergence: number;
  /** −log p − w·D_β: the same for every candidate if the claim holds. */
  difference: number;
}

/**
 * For data drawn under each noise model, evaluate −log p(V | E) and w·D_β(V | E) at several
 * candidate means E (the truth and random perturbations of it): their difference must not
 * depend on E.
 *
 * @example
 * ```ts
 * import { likelihoodGap } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = likelihoodGap({ quick: true });
 * assert.ok(r.checks.every((c) => c.passed));
 * ```
 */
export function likelihoodGap(
  options: ExperimentOptions & NoiseParameters & { candidates?: number } = {},
): { table: LikelihoodGapRow[]; checks: ExperimentCheck[] } {
  const seed = options.seed ?? 0;
  const candidates = options.candidates ?? (options.quick ? 3 : 5);
  const m = options.quick ? 12 : 50, n = options.quick ? 10 : 40;
  const parameters: NoiseParameters = { sigma: options.sigma ?? 2, shape: options.shape ?? 3 };
  const { W, H, E } = positivePlanted(m, n, { seed });
  const table: LikelihoodGapRow[] = [];
  const checks: ExperimentCheck[] = [];
  const rng = createRng(seed + 1);
  for (const { noise, beta } of NOISE_BETAS) {
    const V = addNoise(E, {
      noise,
      sigma: parameters.sigma!,
      shape: parameters.shape!,
      seed,
      clip: false,
    });
    const w = likelihoodWeight(noise, parameters);
    const diffs: number[] = [];
    for (let c = 0; c < candidates; c++) {
      // candidate c: the true factors, each entry scaled by a random factor in [0.5, 1.5)
      const Wc = c === 0 ? W : W.map((v) => v * (0.5 + rng.uniform()));
      const Hc = c === 0 ? H : H.map((v) => v * (0.5 + rng.uniform()));
      const Ec = Wc.multiply(Hc);
      const nll = negativeLogLikelihood(V, Ec, noise, parameters);
      const divergence = betaDivergence(V, Wc, Hc, beta);
      const difference = nll - w * divergence;
      diffs.push(difference);
      table.push({ noise, beta, candidate: c, negativeLogLikelihood: nll, divergence, difference });
    }
    const spread = Math.max(...diffs) - Math.min(...diffs);
    const size = Math.max(
      ...table.filter((t) => t.noise === noise).map((t) => Math.abs(t.negativeLogLikelihood)),
    );
    checks.push(checkClaim(
      `${noise} noise: −log p(V | WH) − ${
        noise === "poisson" ? "" : "w·"
      }D_${beta}(V | WH) is the same for every WH (spread / |−log p| < 1e-10)`,
      spread / size < 1e-10,
      spread / size,
    ));
  }
  return { table, checks };
}

/** One row of {@linkcode noiseRecovery}'s table: data from `noise`, fitted with `beta`. */
export interface NoiseRecoveryRow {
  noise: string;
  beta: number;
  loss: string;
  /** 1 − mean cosine similarity of W's columns to W*'s (Hungarian-matched), averaged over data sets. */
  basisError: number;
  /** ‖WH − E‖_F / ‖E‖_F, averaged over data sets. */
  meanError: number;
  /** Seconds spent fitting (all data sets). */
  seconds: number;
}

/** Options of {@linkcode noiseRecovery}. */
export interface NoiseRecoveryOptions extends ExperimentOptions, NoiseParameters {
  /** Data sets drawn per noise model (results are averaged). @default 6 (2 when quick) */
  replicates?: number;
  /** Rows m. @default 50 (20 when quick) */
  rows?: number;
  /** Columns n. @default 40 (16 when quick) */
  cols?: number;
  /** Mean of E = W*H* (larger means more Poisson counts, relatively less noise). @default 10 */
  level?: number;
  /** MU iterations per fit. @default 400 (150 when quick) */
  maxIter?: number;
}

/**
 * Draw data under each noise model, fit each with the Frobenius, KL and IS losses (MU, rank 3,
 * NNDSVDa start), and measure how well W* and E = W*H* are recovered. Claims: for each noise
 * model the matching loss gives the best estimate of the mean W*H* (what maximum likelihood
 * estimates), and recovers W* better than the loss at the far end of the family. (Between
 * neighbouring losses the W* errors are close and their order changes with the seed.)
 *
 * @example
 * ```ts
 * import { noiseRecovery } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = noiseRecovery({ quick: true });
 * assert.equal(r.table.length, 9);
 * ```
 */
export function noiseRecovery(
  options: NoiseRecoveryOptions = {},
): { table: NoiseRecoveryRow[]; errors: Matrix; checks: ExperimentCheck[] } {
  const seed = options.seed ?? 0;
  const replicates = options.replicates ?? (options.quick ? 2 : 6);
  const m = options.rows ?? (options.quick ? 20 : 50),
    n = options.cols ?? (options.quick ? 16 : 40);
  const maxIter = options.maxIter ?? (options.quick ? 150 : 400);
  const level = options.level ?? 10;
  const sigma = options.sigma ?? 2, shape = options.shape ?? 3;
  const table: NoiseRecoveryRow[] = [];
  const errors = Matrix.zeros(NOISE_BETAS.length, NOISE_BETAS.length);
  NOISE_BETAS.forEach(({ noise }, row) => {
    const sums = NOISE_BETAS.map(() => ({ basis: 0, mean: 0, seconds: 0 }));
    for (let rep = 0; rep < replicates; rep++) {
      const dataSeed = seed * 1000 + rep;
      const { W, E } = positivePlanted(m, n, { seed: dataSeed, level });
      let V = addNoise(E, { noise, sigma, shape, seed: dataSeed + 7 });
      // IS needs V > 0: the rare zero count / clipped value is lifted to the smallest positive
      // value seen (the same V is given to all three losses).
      let smallest = Infinity;
      for (const v of V.data) if (v > 0 && v < smallest) smallest = v;
      V = V.map((v) => (v > 0 ? v : smallest));
      NOISE_BETAS.forEach(({ beta }, col) => {
        const fit = nmf(V, { rank: 3, beta, solver: "mu", init: "nndsvda", maxIter, tol: 0 });
        const match = matchComponents(W, fit.W);
        const WH = fit.W.multiply(fit.H);
        const s = sums[col]!;
        s.basis += 1 - match.meanSimilarity;
        s.mean += WH.map((v, i, j) => v - E.get(i, j)).frobeniusNorm() / E.frobeniusNorm();
        s.seconds += fit.seconds;
      });
    }
    NOISE_BETAS.forEach(({ beta, loss }, col) => {
      const s = sums[col]!;
      const row_ = {
        noise,
        beta,
        loss,
        basisError: s.basis / replicates,
        meanError: s.mean / replicates,
        seconds: s.seconds,
      };
      table.push(row_);
      errors.set(row, col, row_.basisError);
    });
  });
  const checks: ExperimentCheck[] = [];
  for (const { noise, beta } of NOISE_BETAS) {
    const rows = table.filter((t) => t.noise === noise);
    const bestMean = rows.reduce((a, b) => (b.meanError < a.meanError ? b : a));
    checks.push(checkClaim(
      `${noise} noise: the matching loss (β = ${beta}) estimates the mean W*H* best`,
      bestMean.beta === beta,
      rows.map((t) => `β = ${t.beta}: ${t.meanError.toFixed(4)}`).join(", "),
    ));
  }
  // W* itself: the far end of the family (|β − β_match| = 2, or Frobenius for Poisson data)
  for (
    const [noise, beta, far] of [["gaussian", 2, 0], ["poisson", 1, 2], ["gamma", 0, 2]] as const
  ) {
    const rows = table.filter((t) => t.noise === noise);
    const matching = rows.find((t) => t.beta === beta)!, other = rows.find((t) => t.beta === far)!;
    checks.push(checkClaim(
      `${noise} noise: the matching loss (β = ${beta}) recovers W* better than β = ${far}`,
      matching.basisError < other.basisError,
      `${matching.basisError.toExponential(2)} < ${other.basisError.toExponential(2)}`,
    ));
  }
  return { table, errors, checks };
}

/** One row of {@linkcode divergenceScaling}'s table. */
export interface ScalingRow {
  beta: number;
  lambda: number;
  /** D_β(λV | λWH) / D_β(V | WH). */
  ratio: number;
  /** λ^β, the predicted ratio. */
  predicted: number;
}

/**
 * The scale property d_β(λx | λy) = λ^β d_β(x | y), checked on a whole matrix: Frobenius grows
 * like λ², KL like λ, and Itakura–Saito does not change at all (β = 0: scale-invariant), so IS
 * weighs a relative error the same on small and large entries.
 *
 * @example
 * ```ts
 * import { divergenceScaling } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(divergenceScaling().checks.every((c) => c.passed));
 * ```
 */
export function divergenceScaling(
  options: ExperimentOptions & { lambdas?: readonly number[] } = {},
): { table: ScalingRow[]; checks: ExperimentCheck[] } {
  const lambdas = options.lambdas ?? [0.01, 0.1, 10, 1000];
  const { W, H, E } = positivePlanted(12, 10, { seed: options.seed ?? 0 });
  const V = addNoise(E, { noise: "gamma", shape: 3, seed: (options.seed ?? 0) + 3 });
  const Wp = W.map((v, i) => v * (1 + 0.1 * (i % 3)));
  const table: ScalingRow[] = [];
  const checks: ExperimentCheck[] = [];
  for (const beta of [2, 1, 0.5, 0]) {
    const base = betaDivergence(V, Wp, H, beta);
    let worst = 0;
    for (const lambda of lambdas) {
      const ratio = betaDivergence(V.map((v) => v * lambda), Wp.map((v) => v * lambda), H, beta) /
        base;
      const predicted = lambda ** beta;
      worst = Math.max(worst, Math.abs(ratio / predicted - 1));
      table.push({ beta, lambda, ratio, predicted });
    }
    checks.push(checkClaim(
      `D_${beta}(λV | λWH) = λ^${beta}·D_${beta}(V | WH)${
        beta === 0 ? " (IS is scale-invariant)" : ""
      } for λ in ${lambdas.join(", ")}`,
      worst < 1e-9,
      worst,
    ));
  }
  return { table, checks };
}

/**
 * d_β(1 | y) on a grid of model values y, one row per (β, y): how each loss punishes a model
 * value y for a data value 1 (Frobenius symmetrically; KL and IS punish y → 0 hardest).
 */
export function divergenceCurves(
  betas: readonly number[] = [2, 1, 0],
  ys: readonly number[] = Array.from({ length: 80 }, (_, i) => 0.1 + i * 0.05),
): { beta: number; model: number; value: number }[] {
  const rows: { beta: number; model: number; value: number }[] = [];
  for (const beta of betas) {
    for (const y of ys) rows.push({ beta, model: y, value: betaDivergenceScalar(1, y, beta) });
  }
  return rows;
}
