/**
 * Notebook 2 — constraints and gradient descent (seed questions 1 and 3: "how do I constrain W,
 * H ≥ 0?" and "can't I just use gradient descent?").
 *
 * For f(W, H) = ½‖V − WH‖²_F the gradients are ∇_H f = WᵀWH − WᵀV and ∇_W f = WHHᵀ − VHᵀ.
 * - Plain gradient descent ignores the constraint: entries go negative.
 * - Projected gradient descent clips to the feasible set after each step: X ← max(0, X − η∇).
 * - Multiplicative updates are gradient descent with the per-entry step η = H / (WᵀWH):
 *   H − η ⊙ (WᵀWH − WᵀV) = H ⊙ WᵀV / (WᵀWH), feasible by construction.
 * - A fixed step that is too large makes gradient descent diverge.
 * - At a solution the KKT conditions hold: X ≥ 0, ∇_X f ≥ 0, X ⊙ ∇_X f = 0.
 *
 * @module
 */

import {
  initialize,
  type Matrix,
  nmf,
  type NmfResult,
  plantedNmf,
  type TraceEntry,
} from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** The Frobenius-loss gradients ∇_W f = W(HHᵀ) − VHᵀ and ∇_H f = (WᵀW)H − WᵀV. */
export function frobeniusGradients(
  V: Matrix,
  W: Matrix,
  H: Matrix,
): { gradW: Matrix; gradH: Matrix } {
  const Wt = W.transpose(), Ht = H.transpose();
  const WtW = Wt.multiply(W), WtV = Wt.multiply(V), HHt = H.multiply(Ht), VHt = V.multiply(Ht);
  const gradH = WtW.multiply(H).map((v, i, j) => v - WtV.get(i, j));
  const gradW = W.multiply(HHt).map((v, i, j) => v - VHt.get(i, j));
  return { gradW, gradH };
}

/** The problem used throughout notebook 2: planted sparse factors, 50×40, rank 4, a little noise. */
export function descentProblem(options: ExperimentOptions = {}): { V: Matrix; rank: number } {
  const m = options.quick ? 20 : 50, n = options.quick ? 16 : 40;
  const p = plantedNmf(m, n, {
    rank: 4,
    structure: "sparse",
    density: 0.4,
    noise: "gaussian",
    sigma: 0.02,
    seed: options.seed ?? 0,
  });
  return { V: p.V, rank: 4 };
}

/** The step 1/L, L = max(‖WᵀW‖_F, ‖HHᵀ‖_F) at (W, H): the `gd` solver's default rule. */
export function firstStep(W: Matrix, H: Matrix): number {
  const WtW = W.transpose().multiply(W), HHt = H.multiply(H.transpose());
  return 1 / Math.max(WtW.frobeniusNorm(), HHt.frobeniusNorm());
}

/** What {@linkcode negativeEntries} returns. */
export interface NegativeEntriesResult {
  /** Plain gradient descent (no projection). */
  plain: NmfResult;
  /** The same steps, projected onto W, H ≥ 0. */
  projected: NmfResult;
  /** Negative entries of W and H per iteration, both runs (for a chart). */
  table: { series: string; x: number; y: number }[];
  checks: ExperimentCheck[];
}

/**
 * Run fixed-step gradient descent (half the 1/L step by default, stable on this problem) with
 * and without projection from the same start and count the negative entries of W and H after
 * every iteration.
 *
 * @example
 * ```ts
 * import { negativeEntries } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = negativeEntries({ quick: true });
 * assert.ok(r.checks.every((c) => c.passed));
 * ```
 */
export function negativeEntries(
  options: ExperimentOptions & {
    maxIter?: number;
    /** The fixed step as a multiple of 1/L (see {@linkcode firstStep}). @default 0.5 */
    stepMultiple?: number;
  } = {},
): NegativeEntriesResult {
  const { V, rank } = descentProblem(options);
  const maxIter = options.maxIter ?? (options.quick ? 40 : 100);
  const init = initialize(V, rank, { method: "random", seed: options.seed ?? 0 });
  const stepSize = (options.stepMultiple ?? 0.5) * firstStep(init.W, init.H);
  const common = { rank, solver: "gd" as const, init, maxIter, tol: 0, stepSize };
  const plain = nmf(V, { ...common, project: false });
  const projected = nmf(V, { ...common, project: true });
  const table = [
    ...plain.trace.map((e) => ({ series: "gradient descent", x: e.iteration, y: e.negatives })),
    ...projected.trace.map((e) => ({ series: "projected", x: e.iteration, y: e.negatives })),
  ];
  const most = Math.max(...plain.trace.map((e) => e.negatives));
  const size = V.rows * rank + rank * V.cols;
  const projectedNegatives = Math.max(...projected.trace.map((e) => e.negatives));
  const checks = [
    checkClaim(
      "unconstrained gradient descent makes entries of W, H negative",
      most > 0,
      `${most} of ${size} entries at worst`,
    ),
    checkClaim(
      "projected gradient descent keeps every entry ≥ 0 at every iteration",
      projectedNegatives === 0 && projected.W.min() >= 0 && projected.H.min() >= 0,
      projectedNegatives,
    ),
  ];
  return { plain, projected, table, checks };
}

/**
 * MU as rescaled gradient descent: at a random (W, H), the gradient step on H with the per-entry
 * step H / (WᵀWH) equals the multiplicative update H ⊙ WᵀV / (WᵀWH), and likewise for W with
 * step W / (WHHᵀ). Returns the largest relative difference of each.
 *
 * @example
 * ```ts
 * import { muAsGradientStep } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(muAsGradientStep({ quick: true }).checks.every((c) => c.passed));
 * ```
 */
export function muAsGradientStep(options: ExperimentOptions = {}): {
  table: {
    factor: string;
    maxRelativeDifference: number;
    smallestStep: number;
    largestStep: number;
  }[];
  checks: ExperimentCheck[];
} {
  const { V, rank } = descentProblem(options);
  const { W, H } = initialize(V, rank, { method: "random", seed: (options.seed ?? 0) + 1 });
  const { gradW, gradH } = frobeniusGradients(V, W, H);
  const Wt = W.transpose(), Ht = H.transpose();
  const WtWH = Wt.multiply(W).multiply(H), WtV = Wt.multiply(V);
  const WHHt = W.multiply(H.multiply(Ht)), VHt = V.multiply(Ht);
  const table = [];
  for (
    const [factor, X, grad, den, num] of [
      ["H", H, gradH, WtWH, WtV],
      ["W", W, gradW, WHHt, VHt],
    ] as const
  ) {
    const step = X.map((x, i, j) => x / den.get(i, j));
    const descent = X.map((x, i, j) => x - step.get(i, j) * grad.get(i, j));
    const multiplicative = X.map((x, i, j) => x * num.get(i, j) / den.get(i, j));
    let worst = 0;
    for (let i = 0; i < X.size; i++) {
      const a = descent.data[i] as number, b = multiplicative.data[i] as number;
      worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
    }
    table.push({
      factor,
      maxRelativeDifference: worst,
      smallestStep: step.min(),
      largestStep: step.max(),
    });
  }
  const checks = table.map((row) =>
    checkClaim(
      `gradient step on ${row.factor} with per-entry step ${
        row.factor === "H" ? "H/(WᵀWH)" : "W/(WHHᵀ)"
      } equals the multiplicative update (relative difference < 1e-12)`,
      row.maxRelativeDifference < 1e-12,
      row.maxRelativeDifference,
    )
  );
  return { table, checks };
}

/** What {@linkcode stepSizeSweep} returns. */
export interface StepSizeSweepResult {
  /** The step 1/L of the solver's default rule at the start. */
  baseStep: number;
  /** One run per multiple of the base step. */
  runs: { multiple: number; stepSize: number; result: NmfResult }[];
  table: {
    multiple: number;
    stepSize: number;
    finalLoss: number;
    stopReason: string;
    increases: number;
  }[];
  checks: ExperimentCheck[];
}

/** Times the loss went up between recorded iterations. */
export function lossIncreases(trace: readonly TraceEntry[], slack = 1e-12): number {
  let count = 0;
  for (let t = 1; t < trace.length; t++) {
    if ((trace[t]!.loss) > (trace[t - 1]!.loss) * (1 + slack)) count++;
  }
  return count;
}

/**
 * Projected gradient descent with fixed steps: multiples of 1/L, L = max(‖WᵀW‖_F, ‖HHᵀ‖_F) at
 * the start (the solver's default). Small steps descend steadily; a step far above 1/L
 * overshoots and diverges (the driver stops the run with `stopReason: "diverged"`) or at least
 * makes the loss go up.
 *
 * @example
 * ```ts
 * import { stepSizeSweep } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = stepSizeSweep({ quick: true });
 * assert.equal(r.runs.length, 4);
 * ```
 */
export function stepSizeSweep(
  options: ExperimentOptions & { multiples?: readonly number[]; maxIter?: number } = {},
): StepSizeSweepResult {
  const { V, rank } = descentProblem(options);
  const multiples = options.multiples ?? [0.5, 1, 3, 30];
  const maxIter = options.maxIter ?? (options.quick ? 60 : 200);
  const init = initialize(V, rank, { method: "random", seed: options.seed ?? 0 });
  const baseStep = firstStep(init.W, init.H);
  const runs = multiples.map((multiple) => ({
    multiple,
    stepSize: multiple * baseStep,
    result: nmf(V, { rank, solver: "gd", init, maxIter, tol: 0, stepSize: multiple * baseStep }),
  }));
  const table = runs.map((r) => ({
    multiple: r.multiple,
    stepSize: r.stepSize,
    finalLoss: r.result.loss,
    stopReason: r.result.stopReason,
    increases: lossIncreases(r.result.trace),
  }));
  const smallest = table[0]!, largest = table[table.length - 1]!;
  const initialLoss = runs[0]!.result.trace[0]!.loss;
  const checks = [
    checkClaim(
      `with step ${smallest.multiple}/L the loss never increases`,
      smallest.increases === 0 && smallest.finalLoss < initialLoss,
      `${smallest.increases} increases, loss ${initialLoss.toPrecision(4)} → ${
        smallest.finalLoss.toPrecision(4)
      }`,
    ),
    checkClaim(
      `with step ${largest.multiple}/L gradient descent diverges or the loss goes up`,
      largest.stopReason === "diverged" || largest.increases > 0 ||
        !(largest.finalLoss < initialLoss),
      `${largest.stopReason}, ${largest.increases} increases, final loss ${largest.finalLoss}`,
    ),
  ];
  return { baseStep, runs, table, checks };
}

/** What {@linkcode compareDescent} returns. */
export interface CompareDescentResult {
  /** gd (fixed step 1/L, projected), pgd (projected gradient with line search), mu. */
  runs: NmfResult[];
  table: { solver: string; iterations: number; finalLoss: number; seconds: number; kkt: number }[];
  checks: ExperimentCheck[];
}

/**
 * The same start, three first-order methods: projected gradient descent with a fixed step
 * (`gd`), projected gradient with an Armijo line search (`pgd`, Lin 2007) and multiplicative
 * updates (`mu`), each for the same number of outer iterations.
 *
 * @example
 * ```ts
 * import { compareDescent } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = compareDescent({ quick: true });
 * assert.deepEqual(r.table.map((t) => t.solver), ["gd", "pgd", "mu"]);
 * ```
 */
export function compareDescent(
  options: ExperimentOptions & { maxIter?: number } = {},
): CompareDescentResult {
  const { V, rank } = descentProblem(options);
  const maxIter = options.maxIter ?? (options.quick ? 50 : 300);
  const init = initialize(V, rank, { method: "nndsvda", seed: options.seed ?? 0 });
  const runs = (["gd", "pgd", "mu"] as const).map((solver) =>
    nmf(V, { rank, solver, init, maxIter, tol: 0 })
  );
  const table = runs.map((r) => ({
    solver: r.solver,
    iterations: r.iterations,
    finalLoss: r.loss,
    seconds: r.trace[r.trace.length - 1]!.seconds,
    kkt: r.trace[r.trace.length - 1]!.kkt,
  }));
  const [gd, pgd, mu] = table as [typeof table[0], typeof table[0], typeof table[0]];
  const perIteration = (t: typeof gd) => t.seconds / Math.max(1, t.iterations);
  const checks = [
    checkClaim(
      "projected gradient with line search (pgd) ends with the lowest loss of the three",
      pgd.finalLoss <= gd.finalLoss && pgd.finalLoss <= mu.finalLoss,
      `pgd ${pgd.finalLoss.toPrecision(6)}, gd ${gd.finalLoss.toPrecision(6)}, mu ${
        mu.finalLoss.toPrecision(6)
      }`,
    ),
    checkClaim(
      "fixed-step projected gradient descent ends below MU after the same number of iterations",
      gd.finalLoss < mu.finalLoss,
      `gd ${gd.finalLoss.toPrecision(6)} < mu ${mu.finalLoss.toPrecision(6)}`,
    ),
    checkClaim(
      "pgd costs the most time per iteration (its line search evaluates the loss several times)",
      perIteration(pgd) > perIteration(gd) && perIteration(pgd) > perIteration(mu),
      `pgd ${(1e3 * perIteration(pgd)).toFixed(3)} ms, gd ${
        (1e3 * perIteration(gd)).toFixed(3)
      } ms, mu ${(1e3 * perIteration(mu)).toFixed(3)} ms`,
    ),
  ];
  return { runs, table, checks };
}

/** The three KKT conditions at (W, H), each as one number (0 at an exact stationary point). */
export interface KktReport {
  /** min over W, H (≥ 0: feasible). */
  smallestEntry: number;
  /** max(0, −min ∇) over both factors, relative to max |∇| at the initial point. */
  gradientViolation: number;
  /** max |X ⊙ ∇_X f| over both factors, relative to max |X ⊙ ∇_X f| at the initial point. */
  complementarity: number;
}

/** The KKT conditions of the Frobenius problem at (W, H), scaled by their values at (W₀, H₀). */
export function kktConditions(
  V: Matrix,
  factors: { W: Matrix; H: Matrix },
  start: { W: Matrix; H: Matrix },
): KktReport {
  const measure = (W: Matrix, H: Matrix) => {
    const { gradW, gradH } = frobeniusGradients(V, W, H);
    let minGrad = Infinity, maxGrad = 0, comp = 0;
    for (const [X, G] of [[W, gradW], [H, gradH]] as const) {
      for (let i = 0; i < X.size; i++) {
        const g = G.data[i] as number;
        minGrad = Math.min(minGrad, g);
        maxGrad = Math.max(maxGrad, Math.abs(g));
        comp = Math.max(comp, Math.abs((X.data[i] as number) * g));
      }
    }
    return { minGrad, maxGrad, comp };
  };
  const s = measure(start.W, start.H), e = measure(factors.W, factors.H);
  return {
    smallestEntry: Math.min(factors.W.min(), factors.H.min()),
    gradientViolation: Math.max(0, -e.minGrad) / s.maxGrad,
    complementarity: e.comp / s.comp,
  };
}

/**
 * The KKT conditions at the end of long runs of HALS and MU (and at the end of `compareDescent`'s
 * runs when given): feasibility holds exactly; gradient sign and complementarity approach 0.
 *
 * @example
 * ```ts
 * import { kktAtEnd } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = kktAtEnd({ quick: true });
 * assert.ok(r.table.every((t) => t.smallestEntry >= 0));
 * ```
 */
export function kktAtEnd(
  options: ExperimentOptions & { maxIter?: number } = {},
): { table: (KktReport & { solver: string; iterations: number })[]; checks: ExperimentCheck[] } {
  const { V, rank } = descentProblem(options);
  const maxIter = options.maxIter ?? (options.quick ? 100 : 1000);
  const start = initialize(V, rank, { method: "nndsvda", seed: options.seed ?? 0 });
  const table = (["hals", "mu", "gd"] as const).map((solver) => {
    const r = nmf(V, { rank, solver, init: start, maxIter, tol: 0 });
    return { solver: r.solver as string, iterations: r.iterations, ...kktConditions(V, r, start) };
  });
  const hals = table[0]!;
  const checks = [
    checkClaim(
      "every solver's factors are feasible (min entry ≥ 0)",
      table.every((t) => t.smallestEntry >= 0),
      Math.min(...table.map((t) => t.smallestEntry)),
    ),
    checkClaim(
      `after ${maxIter} HALS iterations the gradient-sign and complementarity conditions hold to 1e-4 (relative to the start)`,
      hals.gradientViolation < 1e-4 && hals.complementarity < 1e-4,
      `${hals.gradientViolation.toExponential(2)}, ${hals.complementarity.toExponential(2)}`,
    ),
  ];
  return { table, checks };
}
