/**
 * Notebook 3 — convergence.
 *
 * Lee and Seung's argument: G(h, hᵗ) is an auxiliary function of F(h) when G(h, h) = F(h) and
 * G(h, hᵗ) ≥ F(h). Then hᵗ⁺¹ = argmin_h G(h, hᵗ) gives F(hᵗ⁺¹) ≤ G(hᵗ⁺¹, hᵗ) ≤ G(hᵗ, hᵗ) =
 * F(hᵗ): the loss never increases. For the Frobenius loss, G is the quadratic with the
 * diagonal curvature K = diag((WᵀWhᵗ)/hᵗ) ⪰ WᵀW, and its minimizer is the multiplicative update.
 * Févotte and Idier extend this (with the exponent γ(β)) to every β. The experiments check the
 * monotone decrease over thousands of MU steps for several β, race the solvers by iteration and
 * by time, and show where MU stalls: entries that should be exactly 0 only decay geometrically.
 *
 * @module
 */

import {
  addNoise,
  createRng,
  initialize,
  Matrix,
  nmf,
  type NmfResult,
  portableBackend,
  type SolverName,
  SOLVERS,
  type TraceEntry,
} from "../mod.ts";
import { type Extrapolation, EXTRAPOLATION_SHRINK } from "../solvers/extrapolation.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";
import { positivePlanted } from "./noise_models.ts";

/** Times the loss rose by more than `slack` (relative) between consecutive recorded iterations. */
export function countIncreases(trace: readonly TraceEntry[], slack = 1e-12): {
  increases: number;
  largest: number;
} {
  let increases = 0, largest = 0;
  for (let t = 1; t < trace.length; t++) {
    const before = trace[t - 1]!.loss, after = trace[t]!.loss;
    const rise = (after - before) / Math.abs(before);
    if (rise > largest) largest = rise;
    if (rise > slack) increases++;
  }
  return { increases, largest };
}

/** What {@linkcode muMonotonicity} returns. */
export interface MonotonicityResult {
  /** One MU run per β, from the same random start. */
  runs: NmfResult[];
  table: {
    beta: number;
    iterations: number;
    initialLoss: number;
    finalLoss: number;
    increases: number;
    largestRise: number;
  }[];
  checks: ExperimentCheck[];
}

/**
 * Thousands of MU steps for several β on positive data (Gamma noise, so even β ≤ 0 is defined):
 * the loss never goes up by more than rounding (relative 1e-12) between iterations.
 *
 * @example
 * ```ts
 * import { muMonotonicity } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = muMonotonicity({ quick: true });
 * assert.ok(r.checks.every((c) => c.passed));
 * ```
 */
export function muMonotonicity(
  options: ExperimentOptions & { betas?: readonly number[]; iterations?: number } = {},
): MonotonicityResult {
  const seed = options.seed ?? 0;
  const betas = options.betas ?? [2, 1.5, 1, 0.5, 0];
  const iterations = options.iterations ?? (options.quick ? 200 : 2000);
  const m = options.quick ? 20 : 50, n = options.quick ? 16 : 40;
  const { E } = positivePlanted(m, n, { rank: 4, seed });
  const V = addNoise(E, { noise: "gamma", shape: 5, seed: seed + 1 });
  const init = initialize(V, 4, { method: "random", seed });
  const runs = betas.map((beta) =>
    nmf(V, { rank: 4, beta, solver: "mu", init, maxIter: iterations, tol: 0, traceEvery: 1 })
  );
  const table = runs.map((r) => {
    const { increases, largest } = countIncreases(r.trace);
    return {
      beta: r.beta,
      iterations: r.iterations,
      initialLoss: r.trace[0]!.loss,
      finalLoss: r.loss,
      increases,
      largestRise: largest,
    };
  });
  const checks = table.map((t) =>
    checkClaim(
      `MU with β = ${t.beta}: the loss never increases over ${t.iterations} iterations (rises ≤ 1e-12 relative)`,
      t.increases === 0 && t.iterations === iterations && t.finalLoss < t.initialLoss,
      `${t.increases} increases, largest relative rise ${t.largestRise.toExponential(2)}`,
    )
  );
  return { runs, table, checks };
}

/** The solvers compared in notebook 3 (the names `nmf` accepts). */
export const RACE_SOLVERS: readonly SolverName[] = ["mu", "als", "anls-bpp", "hals", "pgd"];

/** One row of {@linkcode solverRace}'s table. */
export interface RaceRow {
  solver: string;
  iterations: number;
  finalLoss: number;
  relativeError: number;
  /** Final KKT residual, relative to the start. */
  kkt: number;
  /** Solver seconds (trace evaluation excluded). */
  seconds: number;
  /** Times the loss went up (relative 1e-12) along the trace. */
  increases: number;
}

/** Options of {@linkcode solverRace}. */
export interface SolverRaceOptions extends ExperimentOptions {
  /** The rank. @default 5 */
  rank?: number;
  /** Outer iterations per solver. @default 200 (40 when quick) */
  maxIter?: number;
  /** Which solvers. @default RACE_SOLVERS */
  solvers?: readonly SolverName[];
  /** Record the trace every this many iterations. @default 1 */
  traceEvery?: number;
}

/**
 * Every solver from the same NNDSVDa start on V (Frobenius loss), the same number of outer
 * iterations, traces kept for plots by iteration and by time.
 *
 * @example
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import { solverRace } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.generate(12, 10, (i, j) => 1 + ((i * 7 + j * 3) % 5));
 * const r = solverRace(V, { rank: 2, maxIter: 20 });
 * assert.equal(r.table.length, 5);
 * ```
 */
export function solverRace(
  V: Matrix,
  options: SolverRaceOptions = {},
): { runs: NmfResult[]; table: RaceRow[] } {
  const rank = options.rank ?? 5;
  const maxIter = options.maxIter ?? (options.quick ? 40 : 200);
  const init = initialize(V, rank, { method: "nndsvda", seed: options.seed ?? 0 });
  const runs = (options.solvers ?? RACE_SOLVERS).map((solver) =>
    nmf(V, { rank, solver, init, maxIter, tol: 0, traceEvery: options.traceEvery ?? 1 })
  );
  const table = runs.map((r) => {
    const last = r.trace[r.trace.length - 1]!;
    return {
      solver: r.solver,
      iterations: r.iterations,
      finalLoss: r.loss,
      relativeError: r.relativeError,
      kkt: last.kkt,
      seconds: last.seconds,
      increases: countIncreases(r.trace).increases,
    };
  });
  return { runs, table };
}

/** The claims notebook 3 makes about one race (a data set's name goes into each claim). */
export function raceChecks(name: string, table: readonly RaceRow[]): ExperimentCheck[] {
  const row = (s: string) => table.find((t) => t.solver === s);
  const mu = row("mu"), hals = row("hals"), bpp = row("anls-bpp");
  const checks: ExperimentCheck[] = [];
  const monotone = table.filter((t) => ["mu", "hals", "anls-bpp"].includes(t.solver));
  checks.push(checkClaim(
    `${name}: MU, HALS and ANLS-BPP never increase the loss`,
    monotone.every((t) => t.increases === 0),
    monotone.map((t) => `${t.solver} ${t.increases}`).join(", "),
  ));
  if (mu !== undefined && hals !== undefined && bpp !== undefined) {
    checks.push(checkClaim(
      `${name}: after the same number of iterations HALS and ANLS-BPP are below MU`,
      hals.finalLoss < mu.finalLoss && bpp.finalLoss < mu.finalLoss,
      `mu ${mu.finalLoss.toPrecision(6)}, hals ${hals.finalLoss.toPrecision(6)}, anls-bpp ${
        bpp.finalLoss.toPrecision(6)
      }`,
    ));
  }
  return checks;
}

/** What {@linkcode muStall} returns. */
export interface MuStallResult {
  /** HALS, run long: the reference solution. */
  reference: NmfResult;
  /** MU from the same start. */
  mu: NmfResult;
  /** Entries of H that HALS sets exactly to 0. */
  zerosInReference: number;
  /** How many of those MU still holds above 1e-6·max(H) after each checkpoint. */
  table: { iteration: number; muStillPositive: number; muLossGap: number }[];
  checks: ExperimentCheck[];
}

/**
 * Where MU stalls: entries that should be 0 at the solution. HALS sets them to exactly 0 in a
 * few sweeps; MU multiplies them by a factor < 1 each step, so they decay only geometrically and
 * the loss creeps towards the optimum.
 *
 * @example
 * ```ts
 * import { muStall } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = muStall({ quick: true });
 * assert.ok(r.zerosInReference > 0);
 * ```
 */
export function muStall(
  options: ExperimentOptions & { checkpoints?: readonly number[] } = {},
): MuStallResult {
  const seed = options.seed ?? 0;
  const checkpoints = options.checkpoints ??
    (options.quick ? [10, 50, 200] : [10, 100, 1000, 3000]);
  const m = options.quick ? 20 : 50, n = options.quick ? 16 : 40;
  // Sparse planted factors with exact zeros in H*, a little noise.
  const rng = Math.imul(seed + 1, 2654435761) >>> 0;
  const Wt = Matrix.generate(
    m,
    4,
    (i, a) => (((i * 7 + a * 13 + rng) % 5) < 2 ? 0 : 1 + ((i + a) % 3)),
  );
  const Ht = Matrix.generate(
    4,
    n,
    (a, j) => (((j * 11 + a * 5 + rng) % 4) === 0 ? 1 + (j % 2) : 0),
  );
  const V = addNoise(Wt.multiply(Ht), { noise: "gaussian", sigma: 0.01, seed });
  const init = initialize(V, 4, { method: "nndsvda", seed });
  const last = checkpoints[checkpoints.length - 1]!;
  const reference = nmf(V, {
    rank: 4,
    solver: "hals",
    init,
    maxIter: last,
    tol: 0,
    traceEvery: 10,
  });
  const zeroMask = reference.H.data.map((v) => (v === 0 ? 1 : 0));
  const zerosInReference = zeroMask.reduce((a, b) => a + b, 0);
  const table: MuStallResult["table"] = [];
  let mu: NmfResult | undefined;
  for (const iteration of checkpoints) {
    mu = nmf(V, { rank: 4, solver: "mu", init, maxIter: iteration, tol: 0, traceEvery: 10 });
    const threshold = 1e-6 * mu.H.max();
    let still = 0;
    for (let i = 0; i < zeroMask.length; i++) {
      if (zeroMask[i] === 1 && (mu.H.data[i] as number) > threshold) still++;
    }
    table.push({
      iteration,
      muStillPositive: still,
      muLossGap: (mu.loss - reference.loss) / reference.loss,
    });
  }
  const end = table[table.length - 1]!;
  const checks = [
    checkClaim(
      `HALS sets entries of H exactly to 0 (${zerosInReference} of ${reference.H.size})`,
      zerosInReference > 0,
      zerosInReference,
    ),
    checkClaim(
      `after ${end.iteration} MU iterations some of those entries are still above 1e-6·max(H)`,
      end.muStillPositive > 0,
      `${end.muStillPositive} of ${zerosInReference}`,
    ),
    checkClaim(
      `after ${end.iteration} MU iterations the loss is still above HALS's`,
      end.muLossGap > 0,
      end.muLossGap,
    ),
  ];
  return { reference, mu: mu!, zerosInReference, table, checks };
}

/**
 * Lee and Seung's auxiliary function, checked on numbers. For one column h of H (Frobenius loss
 * F(h) = ½‖v − Wh‖²) and the current point hᵗ > 0, with K = diag((WᵀWhᵗ)_a / hᵗ_a),
 *   G(h, hᵗ) = F(hᵗ) + (h − hᵗ)ᵀ∇F(hᵗ) + ½ (h − hᵗ)ᵀ K (h − hᵗ).
 * Claims: K − WᵀW is positive semidefinite (so G(h, hᵗ) ≥ F(h) for every h, checked at random
 * h), G(hᵗ, hᵗ) = F(hᵗ), and the minimizer of G is the multiplicative update, so
 * F(hᵗ⁺¹) ≤ G(hᵗ⁺¹, hᵗ) ≤ F(hᵗ).
 *
 * @example
 * ```ts
 * import { auxiliaryFunctionCheck } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(auxiliaryFunctionCheck({ quick: true }).checks.every((c) => c.passed));
 * ```
 */
export function auxiliaryFunctionCheck(
  options: ExperimentOptions & { samples?: number } = {},
): {
  table: { quantity: string; value: number }[];
  checks: ExperimentCheck[];
} {
  const seed = options.seed ?? 0;
  const m = options.quick ? 12 : 40, k = 4;
  const samples = options.samples ?? (options.quick ? 200 : 2000);
  const { W: Wp, E } = positivePlanted(m, 6, { rank: k, seed });
  const W = Wp, v = E.column(0).map((x, i) => x * (1 + 0.2 * Math.sin(i)));
  const start = initialize(E, k, { method: "random", seed: seed + 5 });
  const ht = start.H.column(0).map((x) => x + 0.1);
  const WtW = W.transpose().multiply(W);
  const Wh = (h: Float64Array) => {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += W.get(i, a) * (h[a] as number);
      out[i] = s;
    }
    return out;
  };
  const F = (h: Float64Array) => {
    const r = Wh(h);
    let s = 0;
    for (let i = 0; i < m; i++) s += 0.5 * ((v[i] as number) - (r[i] as number)) ** 2;
    return s;
  };
  // ∇F(hᵗ) = WᵀW hᵗ − Wᵀv, K = diag((WᵀW hᵗ)/hᵗ)
  const WtWh = new Float64Array(k), Wtv = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) WtWh[a]! += WtW.get(a, b) * (ht[b] as number);
    for (let i = 0; i < m; i++) Wtv[a]! += W.get(i, a) * (v[i] as number);
  }
  const grad = WtWh.map((g, a) => g - (Wtv[a] as number));
  const K = WtWh.map((g, a) => g / (ht[a] as number));
  const Ft = F(ht);
  const G = (h: Float64Array) => {
    let s = Ft;
    for (let a = 0; a < k; a++) {
      const d = (h[a] as number) - (ht[a] as number);
      s += d * (grad[a] as number) + 0.5 * (K[a] as number) * d * d;
    }
    return s;
  };
  const rng = createRng(seed + 9);
  let smallestGap = Infinity, smallestForm = Infinity;
  for (let t = 0; t < samples; t++) {
    const h = ht.map((x) => x * 3 * rng.uniform());
    smallestGap = Math.min(smallestGap, (G(h) - F(h)) / Ft);
    // xᵀ(K − WᵀW)x for a random direction x (any sign)
    const x = Array.from({ length: k }, () => rng.uniform() * 2 - 1);
    let form = 0;
    for (let a = 0; a < k; a++) {
      form += (K[a] as number) * (x[a] as number) ** 2;
      for (let b = 0; b < k; b++) form -= (x[a] as number) * WtW.get(a, b) * (x[b] as number);
    }
    smallestForm = Math.min(smallestForm, form / (K.reduce((p, q) => Math.max(p, q), 0)));
  }
  // argmin G: hᵗ − ∇F/K = hᵗ ⊙ Wᵀv / WᵀWhᵗ, the multiplicative update
  const next = ht.map((h, a) => h - (grad[a] as number) / (K[a] as number));
  const mu = ht.map((h, a) => h * (Wtv[a] as number) / (WtWh[a] as number));
  let updateDifference = 0;
  for (let a = 0; a < k; a++) {
    updateDifference = Math.max(
      updateDifference,
      Math.abs((next[a] as number) - (mu[a] as number)) / (mu[a] as number),
    );
  }
  const Fnext = F(next), Gnext = G(next);
  const table = [
    { quantity: "min over random h of (G(h, hᵗ) − F(h)) / F(hᵗ)", value: smallestGap },
    { quantity: "min over random x of xᵀ(K − WᵀW)x / max K", value: smallestForm },
    { quantity: "G(hᵗ, hᵗ) − F(hᵗ)", value: G(ht) - Ft },
    { quantity: "max relative |argmin G − MU update|", value: updateDifference },
    { quantity: "F(hᵗ)", value: Ft },
    { quantity: "G(hᵗ⁺¹, hᵗ)", value: Gnext },
    { quantity: "F(hᵗ⁺¹)", value: Fnext },
  ];
  const checks = [
    checkClaim(
      `G(h, hᵗ) ≥ F(h) at ${samples} random h (G majorizes F)`,
      smallestGap >= -1e-12,
      smallestGap,
    ),
    checkClaim(
      "K − WᵀW is positive semidefinite (random directions)",
      smallestForm >= -1e-12,
      smallestForm,
    ),
    checkClaim("G touches F at hᵗ: G(hᵗ, hᵗ) = F(hᵗ)", G(ht) === Ft, G(ht) - Ft),
    checkClaim(
      "the minimizer of G is the multiplicative update",
      updateDifference < 1e-12,
      updateDifference,
    ),
    checkClaim(
      "F(hᵗ⁺¹) ≤ G(hᵗ⁺¹, hᵗ) ≤ F(hᵗ): one MU step cannot increase the loss",
      Fnext <= Gnext * (1 + 1e-15) && Gnext <= Ft,
      `${Fnext.toPrecision(8)} ≤ ${Gnext.toPrecision(8)} ≤ ${Ft.toPrecision(8)}`,
    ),
  ];
  return { table, checks };
}

/** One row of {@linkcode extrapolationRace}'s table. */
export interface ExtrapolationRow {
  solver: string;
  extrapolate: boolean;
  finalLoss: number;
  /** The first iteration at which the loss is at most the plain run's final loss. */
  reachesPlainAt: number | null;
  /** Solver seconds to that iteration (trace evaluation excluded). */
  secondsToPlain: number | null;
  /**
   * Times the recorded loss went up: by more than 1e-12 (relative) for plain runs, 1e-9 for
   * extrapolated ones, whose best point is picked by a loss formed from Gram matrices (exact up
   * to rounding of order ε·‖V‖², measured up to 2e-12 of the loss here).
   */
  increases: number;
}

/** What {@linkcode extrapolationRace} returns. */
export interface ExtrapolationRaceResult {
  /** Plain and extrapolated runs of each solver, from the same start, in pairs. */
  runs: NmfResult[];
  table: ExtrapolationRow[];
  /**
   * Every run's loss above the lowest final loss of the four, relative and floored at 1e-12, by
   * iteration from 1 (series "hals", "hals + extrapolation", …): the curves to plot.
   */
  gaps: { series: string; x: number; y: number }[];
  checks: ExperimentCheck[];
}

/**
 * HALS and ANLS-BPP with and without Ang & Gillis's extrapolation (`extrapolate: true`), from the
 * same NNDSVDa start on V, the same number of iterations: how soon the extrapolated run gets down
 * to where the plain run ends.
 *
 * @example
 * ```ts
 * import { plantedNmf } from "../mod.ts";
 * import { extrapolationRace } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = plantedNmf(30, 24, { rank: 3, noise: "gaussian", sigma: 0.05, seed: 1 }).V;
 * const r = extrapolationRace(V, { rank: 3, maxIter: 60 });
 * assert.equal(r.table.length, 4);
 * ```
 */
export function extrapolationRace(
  V: Matrix,
  options: ExperimentOptions & { rank?: number; maxIter?: number } = {},
): ExtrapolationRaceResult {
  const rank = options.rank ?? 5;
  const maxIter = options.maxIter ?? (options.quick ? 60 : 300);
  const init = initialize(V, rank, { method: "nndsvda", seed: options.seed ?? 0 });
  const runs: NmfResult[] = [];
  const table: ExtrapolationRow[] = [];
  for (const solver of ["hals", "anls-bpp"] as const) {
    const plain = nmf(V, { rank, solver, init, maxIter, tol: 0, traceEvery: 1 });
    const fast = nmf(V, { rank, solver, init, maxIter, tol: 0, traceEvery: 1, extrapolate: true });
    runs.push(plain, fast);
    for (const r of [plain, fast]) {
      const reached = r.trace.find((e) => e.loss <= plain.loss);
      table.push({
        solver,
        extrapolate: r === fast,
        finalLoss: r.loss,
        reachesPlainAt: reached?.iteration ?? null,
        secondsToPlain: reached?.seconds ?? null,
        increases: countIncreases(r.trace, r === fast ? 1e-9 : 1e-12).increases,
      });
    }
  }
  const checks: ExperimentCheck[] = [];
  for (const solver of ["hals", "anls-bpp"]) {
    const fast = table.find((t) => t.solver === solver && t.extrapolate)!;
    checks.push(checkClaim(
      `${solver} extrapolated: the recorded loss never increases (beyond rounding, 1e-9 relative)`,
      fast.increases === 0,
      fast.increases,
    ));
    checks.push(checkClaim(
      `${solver} extrapolated reaches the plain run's final loss (after ${maxIter} iterations) in at most half as many`,
      fast.reachesPlainAt !== null && fast.reachesPlainAt <= maxIter / 2,
      fast.reachesPlainAt ?? "never",
    ));
  }
  const best = Math.min(...runs.map((r) => r.loss));
  const gaps = runs.flatMap((r, i) =>
    r.trace.slice(1).map((e) => ({
      series: `${r.solver}${i % 2 === 1 ? " + extrapolation" : ""}`,
      x: e.iteration,
      y: Math.max((e.loss - best) / best, 1e-12),
    }))
  );
  return { runs, table, gaps, checks };
}

/** One step of {@linkcode extrapolationWeights}. */
export interface ExtrapolationStep {
  iteration: number;
  /** β and its bound β̄ after the step (the weight the next step uses). */
  beta: number;
  betaMax: number;
  /** Whether the step raised the loss and restarted. */
  restarted: boolean;
  /** The loss of the step's extrapolated pair, and the lowest so far. */
  loss: number;
  bestLoss: number;
}

/**
 * The extrapolation weight β of `extrapolate: true`, step by step: the solver run directly (not
 * through `nmf`) so that its scheme can be read after every step. β creeps up while the loss falls
 * and drops by 1.5× at each restart, with its bound β̄ set to the β before.
 *
 * @example
 * ```ts
 * import { plantedNmf } from "../mod.ts";
 * import { extrapolationWeights } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = plantedNmf(30, 24, { rank: 3, noise: "gaussian", sigma: 0.05, seed: 1 }).V;
 * const r = extrapolationWeights(V, { rank: 3, maxIter: 50 });
 * assert.equal(r.steps.length, 50);
 * ```
 */
export function extrapolationWeights(
  V: Matrix,
  options: ExperimentOptions & { rank?: number; maxIter?: number; solver?: "hals" | "anls-bpp" } =
    {},
): { steps: ExtrapolationStep[]; restarts: number; checks: ExperimentCheck[] } {
  const rank = options.rank ?? 5;
  const maxIter = options.maxIter ?? (options.quick ? 60 : 300);
  const solver = SOLVERS[options.solver ?? "hals"]!;
  const { W, H } = initialize(V, rank, { method: "nndsvda", seed: options.seed ?? 0 });
  const state = solver.create({
    V,
    W,
    H,
    beta: 2,
    penalties: { l1W: 0, l1H: 0, l2W: 0, l2H: 0 },
    backend: portableBackend,
    settings: { extrapolate: true },
    mask: null,
  }) as { extrapolation: Extrapolation };
  const scheme = state.extrapolation;
  const steps: ExtrapolationStep[] = [];
  let ordered = true, shrinks = true, monotone = true;
  try {
    for (let iteration = 1; iteration <= maxIter; iteration++) {
      const before = scheme.beta, restarts = scheme.restarts, best = scheme.bestLoss;
      solver.step(state);
      const restarted = scheme.restarts > restarts;
      if (!(scheme.beta > 0 && scheme.beta <= scheme.betaMax && scheme.betaMax <= 1)) {
        ordered = false;
      }
      if (restarted && Math.abs(scheme.beta - before / EXTRAPOLATION_SHRINK) > 1e-15) {
        shrinks = false;
      }
      if (scheme.bestLoss > best) monotone = false;
      steps.push({
        iteration,
        beta: scheme.beta,
        betaMax: scheme.betaMax,
        restarted,
        loss: scheme.lastLoss,
        bestLoss: scheme.bestLoss,
      });
    }
  } finally {
    solver.release?.(state);
  }
  const restarts = scheme.restarts;
  const checks = [
    checkClaim("0 < β ≤ β̄ ≤ 1 after every step", ordered, ordered ? "held" : "violated"),
    checkClaim("every restart divides β by 1.5", shrinks, restarts),
    checkClaim("the lowest loss so far never rises", monotone, monotone ? "held" : "rose"),
    checkClaim(
      `restarts happen (the loss of the extrapolated point does rise)`,
      restarts > 0,
      restarts,
    ),
  ];
  return { steps, restarts, checks };
}
