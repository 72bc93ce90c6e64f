/**
 * mu — multiplicative updates (Lee & Seung 2001, "Algorithms for non-negative matrix
 * factorization", NIPS 13; any beta: Févotte & Idier 2011, "Algorithms for nonnegative matrix
 * factorization with the β-divergence", Neural Computation 23(9)).
 *
 * Objective: D_β(V | WH) + l1H·ΣH + ½l2H‖H‖² + l1W·ΣW + ½l2W‖W‖².
 *
 * Update: split the gradient into its positive and negative parts, ∇_H = ∇⁺ − ∇⁻ with
 *   ∇⁺ = Wᵀ(WH)^(β−1) + l1H + l2H·H,   ∇⁻ = Wᵀ[V ⊙ (WH)^(β−2)].
 * Gradient descent with the entrywise step H/∇⁺ gives H − (H/∇⁺)(∇⁺ − ∇⁻) = H ⊙ ∇⁻/∇⁺:
 *   H ← H ⊙ (∇⁻ / ∇⁺)^γ(β),  γ = 1/(2−β) for β < 1, 1 for 1 ≤ β ≤ 2, 1/(β−1) for β > 2,
 * and symmetrically for W. The exponent γ makes each update minimize an auxiliary
 * (majorizing) function, so the loss never increases; the products keep H, W ≥ 0 for free.
 * For β = 2 this is H ← H ⊙ WᵀV / (WᵀWH), the textbook's Algorithm 58.1.
 *
 * With a weight mask M (missing data), every V and (WH) above is multiplied by M entrywise:
 * the same auxiliary-function argument applies to Σ M_ij d_β(V_ij | (WH)_ij).
 *
 * H is updated first, then W (`updateFirst: "W"` in `nmf` reverses that). Row i of the new W
 * needs only row i of VHᵀ, so where the backend offers a fused pass (blas; β = 2, dense V, no mask)
 * the W update runs inside one pass over V that also forms WᵀV for the next H update
 * (`linalg/fused_pass.ts`): the same iterates up to rounding, V read once per iteration. The pass
 * then runs the H update too, split over its threads by columns of H (`FusedPass.stepMu`).
 *
 * A denominator that is exactly 0 (and a model entry (WH)_ij = 0
 * where a negative power of it is needed) is replaced by a tiny epsilon; nothing else is
 * regularized. Entries that underflow below the smallest normal double are flushed to 0.
 *
 * @module
 */

import type { CsrMatrix } from "../linalg/csr.ts";
import {
  type DataMatrix,
  dataTimesTransposeInto,
  isSparse,
  transposeTimesDataInto,
} from "../linalg/data.ts";
import { Matrix } from "../linalg/matrix.ts";
import type { Backend, FusedPass } from "../linalg/kernels.ts";
import type { Penalties } from "../losses.ts";
import {
  addDensePowerProducts,
  sampledWeightsInto,
  sparseTimesTransposeInto,
  transposeTimesSparseInto,
} from "./sparse.ts";
import { MODEL_EPSILON, modelFloor } from "./guard.ts";
import type { Solver, SolverContext, SolverState } from "./types.ts";

/** Replaces exact zeros in denominators (and model values of 0, see `guard.ts`). */
export const MU_EPSILON = MODEL_EPSILON;

/** The exponent γ(β) that makes the multiplicative update monotone (Févotte & Idier 2011). */
export function muExponent(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}

/** State of the multiplicative updates, with every work buffer allocated once. */
export interface MuState extends SolverState {
  readonly V: DataMatrix;
  readonly W: Matrix;
  readonly H: Matrix;
  readonly beta: number;
  readonly gamma: number;
  readonly penalties: Penalties;
  readonly backend: Backend;
  /** Weights (0 = missing) or null. */
  readonly mask: Matrix | null;
  /** k×n: numerator and denominator for H. */
  readonly numH: Matrix;
  readonly denH: Matrix;
  /** m×k: numerator and denominator for W. */
  readonly numW: Matrix;
  readonly denW: Matrix;
  /** k×k Gram matrix (β = 2). */
  readonly gram: Matrix;
  /** m×n model WH and the two weighted matrices (β ≠ 2 only). */
  readonly WH: Matrix | null;
  readonly A: Matrix | null;
  readonly B: Matrix | null;
  /** length k: column sums of W or row sums of H (β = 1). */
  readonly sums: Float64Array;
  /** Sparse V only: weights at the nonzeros of V (β ≠ 2), and one dense row of WH (β ∉ {1, 2}). */
  readonly sparseA: CsrMatrix | null;
  readonly row: Float64Array | null;
  /**
   * β = 2, dense V, no mask, on a backend that has one (blas): the pass that reads V once per
   * iteration (`linalg/fused_pass.ts`); numH then carries WᵀV from one step to the next.
   */
  readonly pass: FusedPass | null;
}

/** Allocate the state for V (m×n), W (m×k), H (k×n). */
export function createMu(context: SolverContext): MuState {
  const { V, W, H, beta, penalties, backend, mask } = context;
  const m = V.rows, n = V.cols, k = W.cols;
  const sparse = isSparse(V);
  const dense = !sparse && (beta !== 2 || mask !== null);
  return {
    V,
    W,
    H,
    beta,
    gamma: muExponent(beta),
    penalties,
    backend,
    mask,
    numH: Matrix.zeros(k, n),
    denH: Matrix.zeros(k, n),
    numW: Matrix.zeros(m, k),
    denW: Matrix.zeros(m, k),
    gram: Matrix.zeros(k, k),
    WH: dense ? Matrix.zeros(m, n) : null,
    A: dense ? Matrix.zeros(m, n) : null,
    B: dense && (beta !== 1 || mask !== null) ? Matrix.zeros(m, n) : null,
    sums: new Float64Array(k),
    sparseA: sparse && beta !== 2 ? V.withValues(new Float64Array(V.nnz)) : null,
    row: sparse && beta !== 2 && beta !== 1 ? new Float64Array(n) : null,
    pass: !sparse && beta === 2 && mask === null && backend.openFusedPass !== undefined
      ? backend.openFusedPass(V, k, "mu")
      : null,
  };
}

/**
 * From the model WH, write A = M ⊙ V ⊙ (WH)^(β−2) and (unless B is null, β = 1 without mask)
 * B = M ⊙ (WH)^(β−1), where M is the weight mask (all ones when `mask` is null). Model values
 * are guarded as `guard.ts` says; A is exactly 0 where V is.
 */
export function weightsInto(
  A: Matrix,
  B: Matrix | null,
  V: Matrix,
  WH: Matrix,
  beta: number,
  mask: Matrix | null = null,
): void {
  // One loop per case, and the guard of `guard.ts` written out as a statement: V8 compiles
  // `x / safeModel(m, floor)` in these loops 3-4× slower (measured) than the same arithmetic in
  // this form. `m <= floor` catches 0 (→ MODEL_EPSILON), tiny and negative values (→ floor);
  // NaN passes through, as in safeModel.
  const a = A.data, v = V.data, y = WH.data, floor = modelFloor(beta), eps = MODEL_EPSILON;
  const size = a.length;
  if (B === null) {
    // β = 1 without a mask: A = V / WH.
    for (let i = 0; i < size; i++) {
      const x = v[i] as number;
      if (x === 0) {
        a[i] = 0;
        continue;
      }
      let m = y[i] as number;
      if (m <= floor) m = m === 0 ? eps : floor;
      a[i] = x / m;
    }
    return;
  }
  const b = B.data, w = mask === null ? null : mask.data;
  for (let i = 0; i < size; i++) {
    const weight = w === null ? 1 : w[i] as number;
    if (weight === 0) {
      a[i] = 0;
      b[i] = 0;
      continue;
    }
    let m = y[i] as number;
    if (beta === 2) {
      a[i] = weight * (v[i] as number);
      b[i] = weight * m;
      continue;
    }
    if (m <= floor) m = m === 0 ? eps : floor;
    const x = v[i] as number;
    if (beta === 1) {
      a[i] = weight * x / m;
      b[i] = weight;
    } else if (beta === 0) {
      const inv = 1 / m;
      b[i] = weight * inv;
      a[i] = weight * x * inv * inv;
    } else {
      const p = Math.pow(m, beta - 2);
      a[i] = x === 0 ? 0 : weight * x * p;
      b[i] = weight * p * m;
    }
  }
}

/**
 * X ← X ⊙ ((num) / (den + l1 + l2·X))^γ, with zero denominators guarded and underflow flushed.
 * An entry that is 0 stays 0, even where the ratio overflowed (0·∞); other NaN and ∞ pass through.
 */
export function multiplicativeUpdateInto(
  X: Matrix,
  num: Matrix,
  den: Matrix,
  l1: number,
  l2: number,
  gamma: number,
): void {
  // Written for V8 (measured on 16×1797 under Deno 2.9.6: 197 → 37 µs): one loop per γ; the rare
  // cases (underflow, 0·∞) behind the one test `next >= tiny` that a normal result passes, not a
  // `continue` for zero entries; and the two constants as literals (tiny = the smallest normal
  // double, eps = MU_EPSILON, both checked by tests/solvers_test.ts), which compiled faster than
  // module constants.
  const x = X.data, a = num.data, b = den.data;
  const tiny = 2.2250738585072014e-308, eps = 2.220446049250313e-16;
  if (gamma === 1) {
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      let d = (b[i] as number) + l1 + l2 * xi;
      if (d === 0) d = eps;
      const next = xi * ((a[i] as number) / d);
      if (next >= tiny) x[i] = next;
      else x[i] = next < tiny || xi === 0 ? 0 : next;
    }
    return;
  }
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    let d = (b[i] as number) + l1 + l2 * xi;
    if (d === 0) d = eps;
    const next = xi * Math.pow((a[i] as number) / d, gamma);
    if (next >= tiny) x[i] = next;
    else x[i] = next < tiny || xi === 0 ? 0 : next;
  }
}

function columnSumsInto(out: Float64Array, W: Matrix): void {
  out.fill(0);
  const k = W.cols, w = W.data;
  for (let i = 0; i < W.rows; i++) {
    for (let a = 0; a < k; a++) out[a] = (out[a] as number) + (w[i * k + a] as number);
  }
}

function rowSumsInto(out: Float64Array, H: Matrix): void {
  const n = H.cols, h = H.data;
  for (let a = 0; a < H.rows; a++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += h[a * n + j] as number;
    out[a] = s;
  }
}

/** One multiplicative sweep: H, then W. */
export function stepMu(state: MuState): void {
  const { V, W, H, beta, gamma, penalties: p, backend, numH, denH, numW, denW, gram, mask } = state;
  const k = W.cols;
  const pass = state.pass;
  if (pass !== null) {
    // The same updates with V read once: the pass leaves WᵀV for the new W in numH. Anything
    // that changed W between steps (a callback, a caller of step) is caught by comparing it with
    // the pass's copy, unless the driver says nothing else ran (state.untouched).
    // The pass also runs the H update, split over its threads by columns.
    if (state.untouched !== true && !pass.matches(W)) pass.start(W, numH);
    pass.stepMu(W, H, p);
    return;
  }
  if (beta === 2 && mask === null) {
    transposeTimesDataInto(numH, W, V, backend);
    backend.gemmInto(gram, W, W, { transA: true });
    backend.gemmInto(denH, gram, H);
    multiplicativeUpdateInto(H, numH, denH, p.l1H, p.l2H, gamma);
    dataTimesTransposeInto(numW, V, H, backend);
    backend.gemmInto(gram, H, H, { transB: true });
    backend.gemmInto(denW, W, gram);
    multiplicativeUpdateInto(W, numW, denW, p.l1W, p.l2W, gamma);
    return;
  }
  if (isSparse(V)) {
    stepMuSparse(state, V);
    return;
  }
  const WH = state.WH as Matrix, A = state.A as Matrix, B = state.B;
  // H update
  backend.gemmInto(WH, W, H);
  weightsInto(A, B, V, WH, beta, mask);
  backend.gemmInto(numH, W, A, { transA: true });
  if (B === null) {
    // β = 1: Wᵀ·1 is the column sums of W, the same for every column of H.
    const sums = state.sums;
    columnSumsInto(sums, W);
    const n = H.cols, d = denH.data;
    for (let a = 0; a < k; a++) d.fill(sums[a] as number, a * n, (a + 1) * n);
  } else {
    backend.gemmInto(denH, W, B, { transA: true });
  }
  multiplicativeUpdateInto(H, numH, denH, p.l1H, p.l2H, gamma);
  // W update
  backend.gemmInto(WH, W, H);
  weightsInto(A, B, V, WH, beta, mask);
  backend.gemmInto(numW, A, H, { transB: true });
  if (B === null) {
    const sums = state.sums;
    rowSumsInto(sums, H);
    const d = denW.data;
    for (let i = 0; i < W.rows; i++) d.set(sums, i * k);
  } else {
    backend.gemmInto(denW, B, H, { transB: true });
  }
  multiplicativeUpdateInto(W, numW, denW, p.l1W, p.l2W, gamma);
}

/**
 * The multiplicative sweep for a sparse V and β ≠ 2, without any m×n buffer (see
 * `sparse.ts`): numerators from V ⊙ (WH)^(β−2) at the nonzeros of V, denominators from the dense
 * (WH)^(β−1) one row at a time (for β = 1, the sums of the factors).
 */
function stepMuSparse(state: MuState, V: CsrMatrix): void {
  const { W, H, beta, gamma, penalties: p, numH, denH, numW, denW } = state;
  const A = state.sparseA as CsrMatrix, row = state.row ?? new Float64Array(0);
  sampledWeightsInto(A, V, W, H, beta);
  numH.data.fill(0);
  transposeTimesSparseInto(numH, W, A);
  denH.data.fill(0);
  addDensePowerProducts(denH, null, W, H, beta, row);
  multiplicativeUpdateInto(H, numH, denH, p.l1H, p.l2H, gamma);
  sampledWeightsInto(A, V, W, H, beta);
  numW.data.fill(0);
  sparseTimesTransposeInto(numW, A, H);
  denW.data.fill(0);
  addDensePowerProducts(null, denW, W, H, beta, row);
  multiplicativeUpdateInto(W, numW, denW, p.l1W, p.l2W, gamma);
}

/** The multiplicative-update solver. */
export const mu: Solver<MuState> = {
  name: "mu",
  description: "multiplicative updates, any beta (Lee & Seung 2001; Févotte & Idier 2011)",
  supportsBeta: () => true,
  supportsPenalties: true,
  supportsMask: true,
  supportsSparse: true,
  create: createMu,
  step: stepMu,
  release: (state) => state.pass?.close(),
};
