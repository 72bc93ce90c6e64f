/**
 * Notebook 4 — initialization.
 *
 * NMF is non-convex: where a solver ends depends on where it starts. The experiments run 30+
 * seeded random starts against the SVD-based NNDSVD family (Boutsidis & Gallopoulos 2008:
 * NNDSVD keeps the zeros of the positive parts of the singular vectors, NNDSVDa fills them with
 * the mean of V, NNDSVDar with small random values) and random-acol (columns of W as averages
 * of random columns of V), and compare the final losses and the iterations needed to reach the
 * tolerance. Then the zero lock of exercises 4 and 9: a multiplicative update multiplies an
 * entry by a ratio, so an entry that starts at 0 stays 0, and an all-zero start never moves.
 *
 * @module
 */

import { initialize, type InitName, Matrix, nmf, plantedNmf, runSeeds } from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** The problem of notebook 4: 50×40, planted rank 5, sparse factors, Gaussian noise σ = 0.05. */
export function initializationProblem(
  options: ExperimentOptions = {},
): { V: Matrix; rank: number } {
  const m = options.quick ? 20 : 50, n = options.quick ? 16 : 40;
  const p = plantedNmf(m, n, {
    rank: 5,
    structure: "sparse",
    density: 0.5,
    noise: "gaussian",
    sigma: 0.05,
    seed: options.seed ?? 0,
  });
  return { V: p.V, rank: 5 };
}

/** One finished run of {@linkcode initializationStudy}. */
export interface InitRun {
  method: string;
  seed: number;
  loss: number;
  iterations: number;
  converged: boolean;
}

/** Per-method summary of {@linkcode initializationStudy}. */
export interface InitSummary {
  method: string;
  runs: number;
  bestLoss: number;
  medianLoss: number;
  worstLoss: number;
  medianIterations: number;
  /** Runs that met the tolerance before maxIter. */
  converged: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : 0.5 * (s[mid - 1]! + s[mid]!);
}

/** Options of {@linkcode initializationStudy}. */
export interface InitializationStudyOptions extends ExperimentOptions {
  /** Seeded restarts of each random method. @default 30 (6 when quick) */
  restarts?: number;
  /** Most MU iterations per run. @default 1000 (200 when quick) */
  maxIter?: number;
  /** The stopping tolerance (relative loss decrease). @default 1e-4 */
  tol?: number;
}

/**
 * Fit V with MU (Frobenius) from every initialization: 30 seeds each of random, random-acol and
 * NNDSVDar, one run each of the deterministic NNDSVD, NNDSVDa and SPA (k columns of V picked by
 * successive projection). Returns every run and a summary per method.
 *
 * @example
 * ```ts
 * import { initializationStudy } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = initializationStudy({ quick: true });
 * assert.equal(r.summary.length, 6);
 * ```
 */
export function initializationStudy(options: InitializationStudyOptions = {}): {
  V: Matrix;
  runs: InitRun[];
  summary: InitSummary[];
  checks: ExperimentCheck[];
} {
  const { V, rank } = initializationProblem(options);
  const restarts = options.restarts ?? (options.quick ? 6 : 30);
  const maxIter = options.maxIter ?? (options.quick ? 200 : 1000);
  const tol = options.tol ?? 1e-4;
  const seeds = runSeeds(options.seed ?? 0, restarts);
  const plan: [InitName, number[]][] = [
    ["random", seeds],
    ["random-acol", seeds],
    ["nndsvdar", seeds],
    ["nndsvd", [0]],
    ["nndsvda", [0]],
    ["spa", [0]],
  ];
  const runs: InitRun[] = [];
  for (const [method, methodSeeds] of plan) {
    for (const seed of methodSeeds) {
      const r = nmf(V, {
        rank,
        solver: "mu",
        init: method,
        seed,
        maxIter,
        tol,
        warn: () => {},
      });
      runs.push({ method, seed, loss: r.loss, iterations: r.iterations, converged: r.converged });
    }
  }
  const summary = plan.map(([method]) => {
    const mine = runs.filter((r) => r.method === method);
    const losses = mine.map((r) => r.loss);
    return {
      method,
      runs: mine.length,
      bestLoss: Math.min(...losses),
      medianLoss: median(losses),
      worstLoss: Math.max(...losses),
      medianIterations: median(mine.map((r) => r.iterations)),
      converged: mine.filter((r) => r.converged).length,
    };
  });
  const get = (m: string) => summary.find((s) => s.method === m)!;
  const random = get("random"), nndsvd = get("nndsvd"), nndsvda = get("nndsvda");
  const checks = [
    checkClaim(
      `${restarts} random starts end at different losses (worst/best − 1 > 1e-3): local minima`,
      random.worstLoss / random.bestLoss - 1 > 1e-3,
      random.worstLoss / random.bestLoss - 1,
    ),
    checkClaim(
      "NNDSVD with MU ends above NNDSVDa: its zeros are locked (exercise 4)",
      nndsvd.bestLoss > nndsvda.bestLoss,
      `nndsvd ${nndsvd.bestLoss.toPrecision(5)} > nndsvda ${nndsvda.bestLoss.toPrecision(5)}`,
    ),
    checkClaim(
      "NNDSVDa reaches the tolerance in fewer MU iterations than the median random start",
      nndsvda.medianIterations < random.medianIterations,
      `${nndsvda.medianIterations} < ${random.medianIterations}`,
    ),
  ];
  return { V, runs, summary, checks };
}

/** What {@linkcode zeroLock} returns. */
export interface ZeroLockResult {
  table: { case: string; solver: string; iterations: number; value: number; note: string }[];
  /** The warnings `nmf` raised for the zero entries of an MU start. */
  warnings: string[];
  checks: ExperimentCheck[];
}

/**
 * Exercises 4 and 9. MU multiplies each entry by a non-negative ratio, so (a) an entry of W or
 * H that starts at exactly 0 is still exactly 0 after hundreds of iterations (for β = 2 and
 * β = 1), while HALS from the same start moves it; (b) from W = 0, H = 0 nothing ever moves:
 * the loss after 100 iterations equals the loss at the start.
 *
 * @example
 * ```ts
 * import { zeroLock } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(zeroLock({ quick: true }).checks.every((c) => c.passed));
 * ```
 */
export function zeroLock(options: ExperimentOptions & { maxIter?: number } = {}): ZeroLockResult {
  const { V, rank } = initializationProblem(options);
  const maxIter = options.maxIter ?? (options.quick ? 50 : 300);
  const start = initialize(V, rank, { method: "random", seed: options.seed ?? 0 });
  const W0 = start.W.clone(), H0 = start.H.clone();
  W0.set(0, 0, 0);
  H0.set(1, 2, 0);
  const warnings: string[] = [];
  const table: ZeroLockResult["table"] = [];
  for (const [solver, beta] of [["mu", 2], ["mu", 1], ["hals", 2]] as const) {
    const r = nmf(V, {
      rank,
      solver,
      beta,
      init: { W: W0, H: H0 },
      maxIter,
      tol: 0,
      warn: (m) => warnings.push(m),
    });
    const label = `${solver}${solver === "mu" ? ` β = ${beta}` : ""}`;
    table.push({
      case: "W[0][0] = 0 at start",
      solver: label,
      iterations: r.iterations,
      value: r.W.get(0, 0),
      note: "W[0][0] at the end",
    });
    table.push({
      case: "H[1][2] = 0 at start",
      solver: label,
      iterations: r.iterations,
      value: r.H.get(1, 2),
      note: "H[1][2] at the end",
    });
  }
  const zeros = { W: Matrix.zeros(V.rows, rank), H: Matrix.zeros(rank, V.cols) };
  const still = nmf(V, {
    rank,
    solver: "mu",
    init: zeros,
    maxIter: 100,
    tol: 0,
    warn: (m) => warnings.push(m),
  });
  const moved = Math.max(still.W.max(), still.H.max());
  table.push({
    case: "W = 0, H = 0 at start",
    solver: "mu β = 2",
    iterations: still.iterations,
    value: moved,
    note: "largest entry of W, H at the end",
  });
  const muRows = table.filter((t) =>
    t.solver.startsWith("mu") && t.case !== "W = 0, H = 0 at start"
  );
  const halsRows = table.filter((t) => t.solver === "hals");
  const checks = [
    checkClaim(
      `under MU (β = 2 and β = 1) an entry that starts at 0 is exactly 0 after ${maxIter} iterations`,
      muRows.every((t) => t.value === 0),
      muRows.map((t) => t.value).join(", "),
    ),
    checkClaim(
      "HALS from the same start moves the zero entries",
      halsRows.some((t) => t.value > 0),
      halsRows.map((t) => t.value.toPrecision(3)).join(", "),
    ),
    checkClaim(
      "from W = 0, H = 0 MU never moves: every entry is still 0 and the loss is unchanged",
      moved === 0 && still.loss === still.trace[0]!.loss,
      `max entry ${moved}, loss ${still.trace[0]!.loss.toPrecision(6)} → ${
        still.loss.toPrecision(6)
      }`,
    ),
    checkClaim(
      "nmf warns when an MU start has zeros",
      warnings.length > 0,
      warnings.length,
    ),
  ];
  return { table, warnings, checks };
}
