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
 * H is updated first, then W. A denominator that is exactly 0 (and a model entry (WH)_ij = 0
 * where a negative power of it is needed) is replaced by a tiny epsilon; nothing else is
 * regularized. Entries that underflow below the smallest normal double are flushed to 0.
 *
 * @module
 */

import { Matrix } from "../linalg/matrix.ts";
import type { Backend } from "../linalg/kernels.ts";
import type { Penalties } from "../losses.ts";
import type { Solver, SolverContext } from "./types.ts";

/** Replaces exact zeros in denominators. */
export const MU_EPSILON = 2.220446049250313e-16;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** The exponent γ(β) that makes the multiplicative update monotone (Févotte & Idier 2011). */
export function muExponent(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}

/** State of the multiplicative updates, with every work buffer allocated once. */
export interface MuState {
  readonly V: Matrix;
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
}

/** Allocate the state for V (m×n), W (m×k), H (k×n). */
export function createMu(context: SolverContext): MuState {
  const { V, W, H, beta, penalties, backend, mask } = context;
  const m = V.rows, n = V.cols, k = W.cols;
  const dense = beta !== 2 || mask !== null;
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
  };
}

/**
 * From the model WH, write A = M ⊙ V ⊙ (WH)^(β−2) and (unless B is null, β = 1 without mask)
 * B = M ⊙ (WH)^(β−1), where M is the weight mask (all ones when `mask` is null). A model entry
 * of 0 is replaced by MU_EPSILON.
 */
export function weightsInto(
  A: Matrix,
  B: Matrix | null,
  V: Matrix,
  WH: Matrix,
  beta: number,
  mask: Matrix | null = null,
): void {
  const a = A.data, v = V.data, y = WH.data;
  if (B === null) {
    // β = 1 without a mask: A = V / WH.
    for (let i = 0; i < a.length; i++) {
      const x = v[i] as number;
      const m = y[i] as number;
      a[i] = x === 0 ? 0 : x / (m === 0 ? MU_EPSILON : m);
    }
    return;
  }
  const b = B.data, w = mask === null ? null : mask.data;
  for (let i = 0; i < a.length; i++) {
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
    if (m === 0) m = MU_EPSILON;
    if (beta === 1) {
      a[i] = weight * (v[i] as number) / m;
      b[i] = weight;
    } else if (beta === 0) {
      const inv = 1 / m;
      b[i] = weight * inv;
      a[i] = weight * (v[i] as number) * inv * inv;
    } else {
      const p = Math.pow(m, beta - 2);
      a[i] = weight * (v[i] as number) * p;
      b[i] = weight * p * m;
    }
  }
}

/** X ← X ⊙ ((num) / (den + l1 + l2·X))^γ, with zero denominators guarded and underflow flushed. */
export function multiplicativeUpdateInto(
  X: Matrix,
  num: Matrix,
  den: Matrix,
  l1: number,
  l2: number,
  gamma: number,
): void {
  const x = X.data, a = num.data, b = den.data;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    let d = (b[i] as number) + l1 + l2 * xi;
    if (d === 0) d = MU_EPSILON;
    let r = (a[i] as number) / d;
    if (gamma !== 1) r = Math.pow(r, gamma);
    const next = xi * r;
    x[i] = next < SMALLEST_NORMAL ? 0 : next;
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
  if (beta === 2 && mask === null) {
    backend.gemmInto(numH, W, V, { transA: true });
    backend.gemmInto(gram, W, W, { transA: true });
    backend.gemmInto(denH, gram, H);
    multiplicativeUpdateInto(H, numH, denH, p.l1H, p.l2H, gamma);
    backend.gemmInto(numW, V, H, { transB: true });
    backend.gemmInto(gram, H, H, { transB: true });
    backend.gemmInto(denW, W, gram);
    multiplicativeUpdateInto(W, numW, denW, p.l1W, p.l2W, gamma);
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

/** The multiplicative-update solver. */
export const mu: Solver<MuState> = {
  name: "mu",
  description: "multiplicative updates, any beta (Lee & Seung 2001; Févotte & Idier 2011)",
  supportsBeta: () => true,
  supportsPenalties: true,
  supportsMask: true,
  create: createMu,
  step: stepMu,
};
