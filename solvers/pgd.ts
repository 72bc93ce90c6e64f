/**
 * pgd — alternating projected gradient with an Armijo line search on each subproblem
 * (Lin 2007, "Projected gradient methods for nonnegative matrix factorization", Neural
 * Computation 19(10); the alternating variant of its Section 4 and its `nlssubprob`).
 *
 * Objective: ½‖V − WH‖²_F + l1W·ΣW + ½l2W‖W‖² + l1H·ΣH + ½l2H‖H‖², W, H ≥ 0.
 *
 * Update: with W fixed, f(H) = ½⟨H, QH⟩ − ⟨C, H⟩ (Q = WᵀW + l2H·I, C = WᵀV − l1H) has gradient
 * ∇f = QH − C. One inner iteration moves along it and projects back onto H ≥ 0:
 *   H⁺ = max(0, H − α∇f),
 * accepting α when the decrease is sufficient (Armijo along the projection arc):
 *   f(H⁺) − f(H) = ⟨∇f, d⟩ + ½⟨d, Qd⟩ ≤ σ⟨∇f, d⟩,   d = H⁺ − H,   σ = 0.01
 * (exact, because f is quadratic). Lin's step rule: start each subproblem from one α; if the
 * first α fails, shrink it by β = 0.1 until it succeeds; if it succeeds, grow it by 1/β while it
 * keeps succeeding and take the last success. Lin starts from α = 1, which ties the method to
 * the units of the data (on V·10⁻³⁰⁰ twenty trials of ×10 never reach a useful step); here the
 * start is α = 1/‖Q‖_F instead — the same for a unit-scale Gram matrix, a step that always
 * passes the test, and invariant under V → cV, so rescaled data give rescaled factors. At most `innerMaxIter` (default 20) inner
 * iterations per subproblem, each with at most 20 trial steps; the subproblem stops early
 * when its projected-gradient norm is below its tolerance, which starts at 0.001 times the
 * gradient norm at the initial point and is divided by 10 each time a subproblem is already
 * solved at its first check (Lin's rule). Then the same for Wᵀ with Q = HHᵀ + l2W·I, C = HVᵀ −
 * l1W. Every accepted step decreases the loss, so the loss never increases. H is updated first,
 * then W (Lin's code does W first; the order only shifts the sequence by half a step).
 *
 * @module
 */

import type { Backend } from "../linalg/kernels.ts";
import { Matrix, scaledNorm } from "../linalg/matrix.ts";
import {
  type AlternatingState,
  basisProblemInto,
  coefficientsProblemInto,
  createAlternatingState,
  type Subproblem,
  subproblemGradientInto,
  transposeInto,
} from "./subproblem.ts";
import type { Solver, SolverContext } from "./types.ts";

/** Default most inner (projected-gradient) iterations per subproblem. */
export const PGD_INNER_MAX_ITER = 20;
/** Lin's step factor β: shrink by it, grow by its inverse. */
export const PGD_BETA = 0.1;
/** Lin's sufficient-decrease constant σ. */
export const PGD_SIGMA = 0.01;
/** Most trial steps of one line search. */
export const PGD_MAX_TRIALS = 20;

/** Work buffers of one projected-gradient subproblem (all k×c). */
export interface PgdWork {
  readonly G: Matrix;
  readonly next: Matrix;
  readonly previous: Matrix;
  readonly D: Matrix;
  readonly QD: Matrix;
}

/** Allocate the work buffers for a k×c unknown. */
export function createPgdWork(k: number, c: number): PgdWork {
  return {
    G: Matrix.zeros(k, c),
    next: Matrix.zeros(k, c),
    previous: Matrix.zeros(k, c),
    D: Matrix.zeros(k, c),
    QD: Matrix.zeros(k, c),
  };
}

/** State of alternating projected gradient. */
export interface PgdState extends AlternatingState {
  readonly backend: Backend;
  readonly innerMaxIter: number;
  readonly workH: PgdWork;
  readonly workW: PgdWork;
  /** The subproblems' projected-gradient tolerances (Lin's tolH, tolW). */
  tolH: number;
  tolW: number;
  /** Projected-gradient steps of the last outer iteration, for H and for Wᵀ. */
  innerH: number;
  innerW: number;
}

/** ‖P∇f‖: the norm of the gradient entries that are negative or whose variable is positive. */
export function projectedGradientNorm(G: Matrix, X: Matrix): number {
  const g = G.data, x = X.data;
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const v = g[i] as number;
    if (v < 0 || (x[i] as number) > 0) s += v * v;
  }
  return Math.sqrt(s);
}

/** Allocate the state for V (m×n), W (m×k), H (k×n) and Lin's initial tolerances. */
export function createPgd(context: SolverContext): PgdState {
  const { V, W, H, penalties: p, backend, settings } = context;
  const m = V.rows, n = V.cols, k = W.cols;
  const state: PgdState = {
    ...createAlternatingState(context),
    backend,
    innerMaxIter: settings.innerMaxIter ?? PGD_INNER_MAX_ITER,
    workH: createPgdWork(k, n),
    workW: createPgdWork(k, m),
    tolH: 0,
    tolW: 0,
    innerH: 0,
    innerW: 0,
  };
  // Lin: tol = 0.001 · ‖[∇_W f; ∇_H fᵀ]‖_F at the initial point.
  coefficientsProblemInto(state.subH, { V, fixed: W, l1: p.l1H, l2: p.l2H });
  subproblemGradientInto(state.workH.G, state.subH, H);
  basisProblemInto(state.subW, { V, fixed: H, l1: p.l1W, l2: p.l2W });
  transposeInto(state.Wt, W);
  subproblemGradientInto(state.workW.G, state.subW, state.Wt);
  const gH = scaledNorm(state.workH.G.data), gW = scaledNorm(state.workW.G.data);
  const initial = Math.hypot(gH, gW);
  state.tolH = state.tolW = 0.001 * initial;
  return state;
}

/**
 * Lin's projected gradient for min ½⟨X, QX⟩ − ⟨C, X⟩ over X ≥ 0 (X is k×c), in place.
 * Returns the number of projected-gradient steps taken (0 when X already met `tol`).
 */
export function pgdSubproblemInto(
  X: Matrix,
  sub: Subproblem,
  options: { work: PgdWork; tol: number; maxIter: number },
): number {
  const { G, next, previous, D, QD } = options.work;
  const x = X.data, g = G.data, xn = next.data, xp = previous.data, d = D.data, qd = QD.data;
  const qNorm = scaledNorm(sub.Q.data);
  let alpha = qNorm > 0 && Number.isFinite(qNorm) ? 1 / qNorm : 1;
  let steps = 0;
  for (; steps < options.maxIter; steps++) {
    subproblemGradientInto(G, sub, X);
    const pg = projectedGradientNorm(G, X);
    if (pg < options.tol || pg === 0) break;
    let decrease = false;
    let accepted = false;
    for (let trial = 1; trial <= PGD_MAX_TRIALS; trial++) {
      let gd = 0;
      for (let i = 0; i < x.length; i++) {
        const xi = x[i] as number;
        const v = xi - alpha * (g[i] as number);
        const y = v > 0 ? v : 0;
        xn[i] = y;
        d[i] = y - xi;
        gd += (g[i] as number) * (y - xi);
      }
      sub.backend.gemmInto(QD, sub.Q, D);
      let dQd = 0;
      for (let i = 0; i < d.length; i++) dQd += (d[i] as number) * (qd[i] as number);
      const sufficient = (1 - PGD_SIGMA) * gd + 0.5 * dQd < 0;
      if (trial === 1) {
        decrease = !sufficient;
        xp.set(x);
      }
      if (decrease) {
        if (sufficient) {
          x.set(xn);
          accepted = true;
          break;
        }
        alpha *= PGD_BETA;
      } else {
        let same = true;
        for (let i = 0; i < xn.length && same; i++) same = xn[i] === xp[i];
        if (!sufficient || same) {
          x.set(xp);
          accepted = true;
          break;
        }
        alpha /= PGD_BETA;
        xp.set(xn);
      }
    }
    // growing ran out of trials: keep the last sufficient point
    if (!accepted && !decrease) x.set(xp);
  }
  return steps;
}

/** One outer iteration: a projected-gradient subproblem for H, then for Wᵀ. */
export function stepPgd(state: PgdState): void {
  const { V, W, H, Wt, subH, subW, penalties: p, innerMaxIter } = state;
  coefficientsProblemInto(subH, { V, fixed: W, l1: p.l1H, l2: p.l2H });
  state.innerH = pgdSubproblemInto(H, subH, {
    work: state.workH,
    tol: state.tolH,
    maxIter: innerMaxIter,
  });
  if (state.innerH === 0) state.tolH *= 0.1;
  basisProblemInto(subW, { V, fixed: H, l1: p.l1W, l2: p.l2W });
  transposeInto(Wt, W);
  state.innerW = pgdSubproblemInto(Wt, subW, {
    work: state.workW,
    tol: state.tolW,
    maxIter: innerMaxIter,
  });
  if (state.innerW === 0) state.tolW *= 0.1;
  transposeInto(W, Wt);
}

/**
 * The alternating projected-gradient solver (`solver: "pgd"`, alias `"pg"`).
 *
 * @example Recover an exactly factorizable matrix
 * ```ts
 * import { Matrix, nmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 0], [0, 1, 3], [1, 3, 3]]); // [[1,0],[0,1],[1,1]]·[[1,2,0],[0,1,3]]
 * const r = nmf(V, { rank: 2, solver: "pgd", maxIter: 500, tol: 0 });
 * assert.ok(r.relativeError < 1e-8);
 * ```
 */
export const pgd: Solver<PgdState> = {
  name: "pgd",
  description: "alternating projected gradient with Armijo line search (Lin 2007)",
  supportsBeta: (beta) => beta === 2,
  supportsSparse: true,
  supportsPenalties: true,
  create: createPgd,
  step: stepPgd,
};
