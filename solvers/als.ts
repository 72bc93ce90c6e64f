/**
 * als — plain alternating least squares with projection onto ≥ 0, the crude ALS of the
 * textbooks (Paatero & Tapper 1994 introduced ALS for NMF; Berry, Browne, Langville, Pauca &
 * Plemmons 2007, "Algorithms and applications for approximate nonnegative matrix
 * factorization", Comput. Stat. Data Anal. 52(1), give this projected form).
 *
 * Objective: ½‖V − WH‖²_F + l1W·ΣW + ½l2W‖W‖² + l1H·ΣH + ½l2H‖H‖², W, H ≥ 0.
 *
 * Update: drop the constraint and set the gradient in H to zero: (WᵀW + l2H·I)H = WᵀV − l1H
 * (the normal equations, L1 entering as a constant shift because ΣH is linear on H ≥ 0). Solve
 * them, then clip:
 *   H ← max(0, (WᵀW + l2H·I)⁻¹(WᵀV − l1H)),   then   Wᵀ ← max(0, (HHᵀ + l2W·I)⁻¹(HVᵀ − l1W)).
 *
 * Why it is crude: clipping the unconstrained minimizer is *not* the constrained minimizer.
 * When one entry of the least-squares solution is negative, the other entries were computed
 * assuming it could be negative; setting it to 0 leaves them wrong (the right answer needs the
 * whole NNLS solve of `anls-bpp`). So a half-step can *increase* the loss, the sequence need not
 * converge, and it can cycle; ALS is fast per iteration and often fine early on, which is why it
 * is still taught and used as a warm-up. Compare its trace with `anls-bpp`, which solves the
 * same subproblems exactly.
 *
 * Singular Gram matrices (a dead or duplicated component, or rank > the data's rank): when the
 * Cholesky factorization meets a pivot that is not clearly positive, the system is re-factored
 * with a tiny ridge 1e-10·max(diag(Q)) added to the diagonal (1 if Q is all zero), which keeps
 * every entry finite; the ridge is not part of the reported loss.
 *
 * Scale drift: WH does not change under W·D, D⁻¹·H (D diagonal, positive), and the clipped
 * solves commute with that scaling, so without penalties nothing pins the scale of a component;
 * in practice one factor of a weak component shrinks towards 0 while the other grows without
 * bound (measured: ‖H_a‖ ≈ 4e6 after 300 iterations on a 20×15 random matrix). So when all
 * penalties are 0, each step ends by balancing every component, ‖W_a‖ = ‖H_a‖. This leaves
 * the product WH, the loss and the sequence of products unchanged; with penalties it is skipped
 * (they fix the scale themselves, and rescaling would change them).
 *
 * @module
 */

import { choleskyInto, choleskySolveInto } from "../linalg/cholesky.ts";
import { Matrix } from "../linalg/matrix.ts";
import {
  type AlternatingState,
  basisProblemInto,
  coefficientsProblemInto,
  createAlternatingState,
  type Subproblem,
  transposeInto,
} from "./subproblem.ts";
import type { Solver, SolverContext } from "./types.ts";

/** The relative size of the ridge added to a singular Gram matrix. */
export const ALS_RIDGE = 1e-10;

/** State of ALS, with its work buffers. */
export interface AlsState extends AlternatingState {
  /** k×k Cholesky factor and one column of length k. */
  readonly L: Matrix;
  readonly column: Float64Array;
  /** Ridges used in the last step (0 when the Gram matrix was positive definite). */
  ridgeH: number;
  ridgeW: number;
}

/** Allocate the state for V (m×n), W (m×k), H (k×n). */
export function createAls(context: SolverContext): AlsState {
  const k = context.W.cols;
  return {
    ...createAlternatingState(context),
    L: Matrix.zeros(k, k),
    column: new Float64Array(k),
    ridgeH: 0,
    ridgeW: 0,
  };
}

/**
 * X ← max(0, Q⁻¹C) column by column, with a ridge added to Q if it is singular. Returns the
 * ridge used (0 if none).
 */
export function projectedSolveInto(
  X: Matrix,
  sub: Subproblem,
  work: { L: Matrix; column: Float64Array },
): number {
  const { L, column } = work;
  const k = X.rows, c = X.cols, x = X.data, cc = sub.C.data, Q = sub.Q;
  let ridge = 0;
  if (choleskyInto(L, Q) > 0) {
    let maxDiag = 0;
    for (let a = 0; a < k; a++) maxDiag = Math.max(maxDiag, Q.data[a * k + a] as number);
    ridge = maxDiag > 0 ? ALS_RIDGE * maxDiag : 1;
    choleskyInto(L, Q, { shift: ridge, dropTolerance: 0 });
  }
  for (let j = 0; j < c; j++) {
    for (let a = 0; a < k; a++) column[a] = cc[a * c + j] as number;
    choleskySolveInto(column, L);
    for (let a = 0; a < k; a++) {
      const v = column[a] as number;
      x[a * c + j] = v > 0 ? v : 0;
    }
  }
  return ridge;
}

/**
 * Rescale each component a so that ‖W_a‖ = ‖H_a‖ (column a of W, row a of H); WH is
 * unchanged. Components with a zero factor are left alone.
 */
export function balanceInto(W: Matrix, H: Matrix): void {
  const k = W.cols, m = W.rows, n = H.cols, w = W.data, h = H.data;
  for (let a = 0; a < k; a++) {
    let nw = 0, nh = 0;
    for (let i = 0; i < m; i++) nw = Math.hypot(nw, w[i * k + a] as number);
    for (let j = 0; j < n; j++) nh = Math.hypot(nh, h[a * n + j] as number);
    if (!(nw > 0) || !(nh > 0)) continue;
    const s = Math.sqrt(nh) / Math.sqrt(nw);
    if (s === 1 || !Number.isFinite(s) || s === 0) continue;
    for (let i = 0; i < m; i++) w[i * k + a] = (w[i * k + a] as number) * s;
    for (let j = 0; j < n; j++) h[a * n + j] = (h[a * n + j] as number) / s;
  }
}

/** One outer iteration: H, then W, each the clipped least-squares solution. */
export function stepAls(state: AlsState): void {
  const { V, W, H, Wt, subH, subW, penalties: p } = state;
  coefficientsProblemInto(subH, { V, fixed: W, l1: p.l1H, l2: p.l2H });
  state.ridgeH = projectedSolveInto(H, subH, state);
  basisProblemInto(subW, { V, fixed: H, l1: p.l1W, l2: p.l2W });
  state.ridgeW = projectedSolveInto(Wt, subW, state);
  transposeInto(W, Wt);
  if (p.l1W === 0 && p.l1H === 0 && p.l2W === 0 && p.l2H === 0) balanceInto(W, H);
}

/**
 * The projected ALS solver (`solver: "als"`).
 *
 * @example Recover an exactly factorizable matrix
 * ```ts
 * import { Matrix, nmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 0], [0, 1, 3], [1, 3, 3]]); // [[1,0],[0,1],[1,1]]·[[1,2,0],[0,1,3]]
 * const r = nmf(V, { rank: 2, solver: "als", maxIter: 500, tol: 0 });
 * assert.ok(r.relativeError < 1e-8);
 * ```
 */
export const als: Solver<AlsState> = {
  name: "als",
  description:
    "alternating least squares, each solution clipped to ≥ 0 (crude, not monotone; Berry et al. 2007)",
  supportsBeta: (beta) => beta === 2,
  supportsSparse: true,
  supportsPenalties: true,
  create: createAls,
  step: stepAls,
};
