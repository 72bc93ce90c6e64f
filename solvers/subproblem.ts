/**
 * The convex subproblem that every Frobenius solver except `mu` works on.
 *
 * With W fixed, the penalized loss in H is
 *   ½‖V − WH‖² + l1H·ΣH + ½l2H‖H‖² = ½⟨H, QH⟩ − ⟨C, H⟩ + const,
 *   Q = WᵀW + l2H·I (k×k),   C = WᵀV − l1H (k×n, l1H subtracted from every entry),
 * a quadratic whose gradient is QH − C. With H fixed, the loss in Wᵀ (k×m) has the same form
 * with Q = HHᵀ + l2W·I and C = HVᵀ − l1W. (The L1 term is linear because the variables are
 * ≥ 0, so it folds into C.) Solving for Wᵀ instead of W lets one kernel serve both halves: the
 * rows of Wᵀ are contiguous, like the rows of H.
 *
 * @module
 */

import {
  type DataMatrix,
  factorTimesDataTransposeInto,
  transposeTimesDataInto,
} from "../linalg/data.ts";
import type { Backend } from "../linalg/kernels.ts";
import { Matrix } from "../linalg/matrix.ts";
import type { Penalties } from "../losses.ts";
import type { SolverContext, SolverState } from "./types.ts";

/** The data of one quadratic subproblem ½⟨X, QX⟩ − ⟨C, X⟩ over X ≥ 0 (X is k×c). */
export interface Subproblem {
  /** k×k: the Gram matrix plus the L2 weight on its diagonal. */
  readonly Q: Matrix;
  /** k×c: the correlation with the data minus the L1 weight. */
  readonly C: Matrix;
  /** The backend for the products. */
  readonly backend: Backend;
}

/** Options of {@linkcode createSubproblem}. */
export interface SubproblemOptions {
  /** The backend for the products. */
  backend: Backend;
}

/** Allocate a subproblem for a k×c unknown. */
export function createSubproblem(k: number, c: number, options: SubproblemOptions): Subproblem {
  return { Q: Matrix.zeros(k, k), C: Matrix.zeros(k, c), backend: options.backend };
}

/** What the subproblem is built from. */
export interface SubproblemSource {
  /** The data, m×n, dense or sparse (CSR: products then cost O(nnz·k)). */
  V: DataMatrix;
  /** The fixed factor: W (m×k) for the H-problem, H (k×n) for the Wᵀ-problem. */
  fixed: Matrix;
  /** L1 weight of the unknown. */
  l1: number;
  /** L2 weight of the unknown. */
  l2: number;
}

/** Q ← Q + l2·I, C ← C − l1: the penalties folded into a subproblem. */
export function penalizeInto(sub: Subproblem, l1: number, l2: number): void {
  const k = sub.Q.rows;
  if (l2 !== 0) {
    for (let a = 0; a < k; a++) sub.Q.data[a * k + a] = (sub.Q.data[a * k + a] as number) + l2;
  }
  if (l1 !== 0) {
    const c = sub.C.data;
    for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) - l1;
  }
}

/** The H-problem: Q ← WᵀW + l2·I, C ← WᵀV − l1 (`source.fixed` is W). */
export function coefficientsProblemInto(sub: Subproblem, source: SubproblemSource): Subproblem {
  const { V, fixed: W } = source, backend = sub.backend;
  backend.gemmInto(sub.Q, W, W, { transA: true });
  transposeTimesDataInto(sub.C, W, V, backend);
  penalizeInto(sub, source.l1, source.l2);
  return sub;
}

/** The Wᵀ-problem: Q ← HHᵀ + l2·I, C ← HVᵀ − l1 (`source.fixed` is H). */
export function basisProblemInto(sub: Subproblem, source: SubproblemSource): Subproblem {
  const { V, fixed: H } = source, backend = sub.backend;
  backend.gemmInto(sub.Q, H, H, { transB: true });
  factorTimesDataTransposeInto(sub.C, H, V, backend);
  penalizeInto(sub, source.l1, source.l2);
  return sub;
}

/** G ← QX − C, the gradient of the subproblem at X. */
export function subproblemGradientInto(G: Matrix, sub: Subproblem, X: Matrix): Matrix {
  G.data.set(sub.C.data);
  return sub.backend.gemmInto(G, sub.Q, X, { beta: -1 });
}

/** out ← Aᵀ (`out` must not be `A`). */
export function transposeInto(out: Matrix, A: Matrix): Matrix {
  const m = A.rows, n = A.cols, a = A.data, o = out.data;
  if (out.rows !== n || out.cols !== m) {
    throw new TypeError(`transposeInto: out is ${out.rows}×${out.cols}, expected ${n}×${m}`);
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) o[j * m + i] = a[i * n + j] as number;
  }
  return out;
}

/** What every alternating Frobenius solver keeps: the problem, Wᵀ and the two subproblems. */
export interface AlternatingState extends SolverState {
  readonly V: DataMatrix;
  readonly W: Matrix;
  readonly H: Matrix;
  readonly penalties: Penalties;
  /** k×m: the transpose of W, whose rows are solved like the rows of H. */
  readonly Wt: Matrix;
  /** The H-subproblem (k×n) and the Wᵀ-subproblem (k×m). */
  readonly subH: Subproblem;
  readonly subW: Subproblem;
}

/** Allocate the shared part of an alternating solver's state for V (m×n), W (m×k), H (k×n). */
export function createAlternatingState(context: SolverContext): AlternatingState {
  const { V, W, H, penalties, backend } = context;
  const m = V.rows, n = V.cols, k = W.cols;
  return {
    V,
    W,
    H,
    penalties,
    Wt: Matrix.zeros(k, m),
    subH: createSubproblem(k, n, { backend }),
    subW: createSubproblem(k, m, { backend }),
  };
}
