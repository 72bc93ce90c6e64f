/**
 * gd — plain gradient descent on both factors at once with a fixed step, optionally projected
 * onto W, H ≥ 0. It is here to answer the seed question "why not just gradient descent?" by
 * experiment, not to be used: compare its trace with `pgd`, `hals` or `anls-bpp`.
 *
 * Objective: ½‖V − WH‖²_F + l1W·ΣW + ½l2W‖W‖² + l1H·ΣH + ½l2H‖H‖² (the L1 terms are the plain
 * sums ΣW, ΣH, as in `losses.ts`: with `project: false` they are linear, not |W|).
 *
 * Update: the gradients at the current point (W, H),
 *   ∇_H = (WᵀW + l2H·I)H − (WᵀV − l1H),   ∇_W = W(HHᵀ + l2W·I) − (VHᵀ − l1W),
 * are both evaluated before either factor moves, then
 *   H ← H − η∇_H,   W ← W − η∇_W,   and, if `project` (default true), X ← max(0, X).
 * Step η: `stepSize`, or by default 1/L with L = max(‖WᵀW + l2H·I‖_F, ‖HHᵀ + l2W·I‖_F)
 * computed ONCE at the initial point (1 if L = 0). Each block's gradient is Lipschitz with
 * constant ‖WᵀW + l2H·I‖₂ ≤ ‖WᵀW + l2H·I‖_F (resp. for W), so 1/L is a safe step for either
 * block alone *at the start*; it is not a guarantee for the joint step, and it goes stale as
 * W and H change (the loss is not even Lipschitz-smooth globally: it is quartic). That is the
 * lesson: a fixed step is either too small (slow) or eventually too large (oscillation,
 * divergence — the driver then stops with stopReason "diverged").
 *
 * With `project: false` nothing is clipped: entries go negative whenever the unconstrained
 * descent direction says so, and the trace's `negatives` column counts them.
 *
 * @module
 */

import { Matrix, scaledNorm } from "../linalg/matrix.ts";
import {
  type AlternatingState,
  basisProblemInto,
  coefficientsProblemInto,
  createAlternatingState,
  subproblemGradientInto,
  transposeInto,
} from "./subproblem.ts";
import type { Solver, SolverContext } from "./types.ts";

/** State of plain gradient descent. */
export interface GdState extends AlternatingState {
  /** The fixed step η. */
  readonly stepSize: number;
  /** Whether to clip to ≥ 0 after each step. */
  readonly project: boolean;
  /** k×n and k×m gradients (the second for Wᵀ). */
  readonly gradH: Matrix;
  readonly gradWt: Matrix;
}

function buildSubproblems(state: GdState): void {
  const { V, W, H, penalties: p } = state;
  coefficientsProblemInto(state.subH, { V, fixed: W, l1: p.l1H, l2: p.l2H });
  basisProblemInto(state.subW, { V, fixed: H, l1: p.l1W, l2: p.l2W });
}

/** Allocate the state for V (m×n), W (m×k), H (k×n); fix the step at the initial point. */
export function createGd(context: SolverContext): GdState {
  const { V, W, settings } = context;
  const m = V.rows, n = V.cols, k = W.cols;
  const state: GdState = {
    ...createAlternatingState(context),
    stepSize: 0,
    project: settings.project ?? true,
    gradH: Matrix.zeros(k, n),
    gradWt: Matrix.zeros(k, m),
  };
  let step = settings.stepSize;
  if (step === undefined) {
    buildSubproblems(state);
    const lipschitz = Math.max(scaledNorm(state.subH.Q.data), scaledNorm(state.subW.Q.data));
    step = lipschitz > 0 && Number.isFinite(lipschitz) ? 1 / lipschitz : 1;
  }
  return { ...state, stepSize: step };
}

/** X ← X − ηG, then max(0, ·) if `project`. */
export function gradientStepInto(
  X: Matrix,
  G: Matrix,
  options: { stepSize: number; project: boolean },
): Matrix {
  const x = X.data, g = G.data, eta = options.stepSize;
  if (options.project) {
    for (let i = 0; i < x.length; i++) {
      const v = (x[i] as number) - eta * (g[i] as number);
      x[i] = v > 0 ? v : v <= 0 ? 0 : v; // NaN stays NaN, so divergence is seen
    }
  } else {
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - eta * (g[i] as number);
  }
  return X;
}

/** One simultaneous step on W and H. */
export function stepGd(state: GdState): void {
  const { W, H, Wt, subH, subW, gradH, gradWt } = state;
  buildSubproblems(state);
  subproblemGradientInto(gradH, subH, H);
  transposeInto(Wt, W);
  subproblemGradientInto(gradWt, subW, Wt);
  gradientStepInto(H, gradH, state);
  gradientStepInto(Wt, gradWt, state);
  transposeInto(W, Wt);
}

/**
 * The plain fixed-step gradient-descent solver (`solver: "gd"`), projected unless
 * `project: false`.
 *
 * @example Without projection, entries go negative (and the trace counts them)
 * ```ts
 * import { Matrix, nmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[2, 1, 0], [1, 2, 1], [0, 1, 2]]);
 * const free = nmf(V, { rank: 2, solver: "gd", project: false, maxIter: 2000, tol: 0 });
 * assert.ok(free.trace.at(-1)!.negatives > 0);
 * const projected = nmf(V, { rank: 2, solver: "gd", maxIter: 2000, tol: 0 });
 * assert.equal(projected.trace.at(-1)!.negatives, 0);
 * ```
 */
export const gd: Solver<GdState> = {
  name: "gd",
  description:
    "plain simultaneous gradient descent with a fixed step, projection optional (a counter-example)",
  supportsBeta: (beta) => beta === 2,
  supportsSparse: true,
  supportsPenalties: true,
  create: createGd,
  step: stepGd,
};
