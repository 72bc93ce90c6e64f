/**
 * anls-bpp — alternating non-negative least squares, each half solved exactly by block
 * principal pivoting (Kim & Park 2011, "Fast nonnegative matrix factorization: an active-set-like
 * method and comparisons", SIAM J. Sci. Comput. 33(6)).
 *
 * Objective: ½‖V − WH‖²_F + l1W·ΣW + ½l2W‖W‖² + l1H·ΣH + ½l2H‖H‖², W, H ≥ 0.
 *
 * Update: with W fixed the loss is a convex quadratic in H, ½⟨H, QH⟩ − ⟨C, H⟩ with
 * Q = WᵀW + l2H·I and C = WᵀV − l1H: an NNLS problem with n right-hand sides, solved to
 * optimality (its KKT conditions H ≥ 0, QH − C ≥ 0, H ⊙ (QH − C) = 0 hold exactly) by
 * `nnlsInto` (linalg/nnls.ts):
 *   H ← argmin_{H ≥ 0} ½‖V − WH‖² + penalties,   then   Wᵀ ← argmin_{Wᵀ ≥ 0} (same with H fixed).
 * Each half-step minimizes exactly, so the loss never increases, and every limit point is a
 * stationary point (two-block coordinate descent, Grippo & Sciandrone 2000). Each solve starts
 * from the passive set of the previous iterate (warm start), so late iterations pivot little.
 * With `extrapolate: true` the two exact solves are the updates of Ang & Gillis 2019's
 * extrapolation with restarts (`extrapolation.ts`).
 *
 * @module
 */

import { createNnlsWork, nnlsInto, type NnlsWork } from "../linalg/nnls.ts";
import { createExtrapolation, extrapolatedStepInto, type Extrapolation } from "./extrapolation.ts";
import {
  type AlternatingState,
  basisProblemInto,
  coefficientsProblemInto,
  createAlternatingState,
  transposeInto,
} from "./subproblem.ts";
import type { Solver, SolverContext } from "./types.ts";

/** State of ANLS-BPP, with its work buffers. */
export interface AnlsBppState extends AlternatingState {
  readonly workH: NnlsWork;
  readonly workW: NnlsWork;
  /** Pivoting rounds of the last step, for H and for W. */
  pivotsH: number;
  pivotsW: number;
  /** With `extrapolate: true`: the extrapolation scheme (`extrapolation.ts`); else null. */
  readonly extrapolation: Extrapolation | null;
}

/** Allocate the state for V (m×n), W (m×k), H (k×n). */
export function createAnlsBpp(context: SolverContext): AnlsBppState {
  const m = context.V.rows, n = context.V.cols, k = context.W.cols;
  return {
    ...createAlternatingState(context),
    workH: createNnlsWork(k, n),
    workW: createNnlsWork(k, m),
    pivotsH: 0,
    pivotsW: 0,
    extrapolation: context.settings.extrapolate === true
      ? createExtrapolation(context.V, context.W, context.H)
      : null,
  };
}

/** One outer iteration: H ← NNLS(W), then W ← NNLS(H). */
export function stepAnlsBpp(state: AnlsBppState): void {
  const { V, W, H, Wt, subH, subW, penalties: p } = state;
  if (state.extrapolation !== null) {
    extrapolatedStepInto(state, state.extrapolation, (X, sub, factor) => {
      const work = factor === "H" ? state.workH : state.workW;
      const pivots = nnlsInto(X, sub.Q, sub.C, { warmStart: true, work }).iterations;
      if (factor === "H") state.pivotsH = pivots;
      else state.pivotsW = pivots;
    });
    return;
  }
  coefficientsProblemInto(subH, { V, fixed: W, l1: p.l1H, l2: p.l2H });
  state.pivotsH = nnlsInto(H, subH.Q, subH.C, { warmStart: true, work: state.workH }).iterations;
  basisProblemInto(subW, { V, fixed: H, l1: p.l1W, l2: p.l2W });
  transposeInto(Wt, W);
  state.pivotsW = nnlsInto(Wt, subW.Q, subW.C, { warmStart: true, work: state.workW }).iterations;
  transposeInto(W, Wt);
}

/**
 * The ANLS solver with block principal pivoting (`solver: "anls-bpp"`, alias `"bpp"`).
 *
 * @example Recover an exactly factorizable matrix
 * ```ts
 * import { Matrix, nmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 0], [0, 1, 3], [1, 3, 3]]); // [[1,0],[0,1],[1,1]]·[[1,2,0],[0,1,3]]
 * const r = nmf(V, { rank: 2, solver: "anls-bpp", maxIter: 500, tol: 0 });
 * assert.ok(r.relativeError < 1e-8);
 * ```
 */
export const anlsBpp: Solver<AnlsBppState> = {
  name: "anls-bpp",
  description:
    "alternating non-negative least squares by block principal pivoting (Kim & Park 2011)",
  supportsBeta: (beta) => beta === 2,
  supportsSparse: true,
  supportsPenalties: true,
  create: createAnlsBpp,
  step: stepAnlsBpp,
};
