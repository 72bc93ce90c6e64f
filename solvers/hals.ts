/**
 * hals — hierarchical alternating least squares, i.e. exact coordinate descent on whole rows
 * of H and whole columns of W (Cichocki & Phan 2009, "Fast local algorithms for large scale
 * nonnegative matrix and tensor factorizations", IEICE Trans. Fundamentals E92-A(3)), with the
 * inner repeats of Gillis & Glineur 2012, "Accelerated multiplicative updates and hierarchical
 * ALS algorithms for nonnegative matrix factorization", Neural Computation 24(4).
 * scikit-learn's `solver="cd"` is the same method without the repeats: with `innerMaxIter: 1`
 * this solver reproduces its iterates (to 1e-9, penalties included; tests/sklearn_solvers_test.ts).
 *
 * Objective: ½‖V − WH‖²_F + l1W·ΣW + ½l2W‖W‖² + l1H·ΣH + ½l2H‖H‖², W, H ≥ 0.
 *
 * Update: with Q = WᵀW + l2H·I and C = WᵀV − l1H (see `subproblem.ts`), the loss as a function
 * of row a of H alone is ½Q_aa‖h‖² − ⟨C_a − Σ_{b≠a} Q_ab H_b, h⟩ + const: separable in the
 * entries of h, so its minimizer over h ≥ 0 is
 *   H_a ← max(0, (C_a − Σ_{b≠a} Q_ab H_b) / Q_aa),
 * one closed-form step per row. A sweep updates rows 1…k in turn (computed two rows at a time,
 * which share their reads of H: see `halsSweepInto`); the columns of W (rows of Wᵀ) are updated
 * the same way with Q = HHᵀ + l2W·I and C = HVᵀ − l1W. Every step is an exact minimization, so
 * the loss never increases.
 *
 * Acceleration: forming Q and C costs O(mnk), a sweep only O(k²n). So, as Gillis & Glineur
 * propose, the sweep over H is repeated with the same Q and C while the change ‖ΔH‖_F of a
 * sweep is more than 0.1 of the first sweep's, at most `innerMaxIter` (default 10) times; then
 * the same for W. H is updated first, then W (as `mu`). With one sweep (`innerMaxIter: 1`), each
 * row of W is swept as soon as its row of HVᵀ is known, so on a backend that offers a fused pass
 * (blas) the W update runs inside one pass over V that also forms the next WᵀV
 * (`linalg/fused_pass.ts`); with repeats the stopping rule looks at the whole of W, so it cannot.
 *
 * Extrapolation: with `extrapolate: true` each outer iteration runs inside Ang & Gillis 2019's
 * extrapolation with restarts (`extrapolation.ts`), with these repeated sweeps as its updates
 * (and without the fused pass, whose W update cannot see the extrapolated H).
 *
 * Missing data: with a weight mask M the loss is ½Σ M_ij (V − WH)²_ij and row a of H no longer
 * sees one shared Q: entry (a, j) minimizes ½Σ_i M_ij (E_ij + W_ia(h_aj − h))² over h ≥ 0, where
 * E = M ⊙ (V − WH) is the weighted residual, so
 *   h ← max(0, (Σ_i W_ia E_ij + h_aj Σ_i M_ij W_ia² − l1H) / (Σ_i M_ij W_ia² + l2H)),
 * after which E is updated in place (Cichocki & Phan's HALS with weights). One sweep over H then
 * one over W per outer iteration, O(m·n·k) each.
 *
 * Zeros and dead components: entries are clipped at exactly 0 (no floor). A row a with
 * Q_aa = 0 belongs to a dead component (its column of W, or row of H, is all zero): then the
 * loss does not depend on that row except through the L1 term, so its entries are set to 0
 * where the (linear) objective says so (C_aj < 0, e.g. l1 > 0) and left unchanged otherwise —
 * never divided by 0, so never NaN. A dead component can come back to life when the other
 * factor's update makes its Gram diagonal positive again.
 *
 * @module
 */

import { openSweeps } from "../linalg/cd_sweep.ts";
import { createExtrapolation, extrapolatedStepInto, type Extrapolation } from "./extrapolation.ts";
import type { FusedPass } from "../linalg/kernels.ts";
import { Matrix } from "../linalg/matrix.ts";
import {
  type AlternatingState,
  basisProblemInto,
  coefficientsProblemInto,
  createAlternatingState,
  penalizeInto,
  type Subproblem,
  transposeInto,
} from "./subproblem.ts";
import type { Solver, SolverContext } from "./types.ts";

/** Default most sweeps per factor and outer iteration. */
export const HALS_INNER_MAX_ITER = 10;
/** Repeat sweeps while a sweep changes the factor by more than this fraction of the first. */
export const HALS_DELTA = 0.1;

/** State of HALS, with its work buffers. */
export interface HalsState extends AlternatingState {
  /** Most sweeps per factor and outer iteration. */
  readonly innerMaxIter: number;
  /** One row of the unknown, length max(m, n). */
  readonly row: Float64Array;
  /** Weights (missing data) or null, and the weighted residual M ⊙ (V − WH) (m×n) with a mask. */
  readonly mask: Matrix | null;
  readonly residual: Matrix | null;
  /** With a mask: two work vectors of length n. */
  readonly maskWork: [Float64Array, Float64Array] | null;
  /** Sweeps taken in the last step: for H and for W. */
  sweepsH: number;
  sweepsW: number;
  /**
   * One sweep per factor (`innerMaxIter: 1`), dense V, no mask, on a backend that has one
   * (blas): the pass that reads V once per iteration (`linalg/fused_pass.ts`), which sweeps each
   * row of W as soon as its row of VHᵀ is known and leaves WᵀV for the new W in `WtV` (k×n).
   */
  readonly pass: FusedPass | null;
  readonly WtV: Matrix | null;
  /** With `extrapolate: true`: the extrapolation scheme (`extrapolation.ts`); else null. */
  readonly extrapolation: Extrapolation | null;
}

/** Allocate the state for V (m×n), W (m×k), H (k×n). */
export function createHals(context: SolverContext): HalsState {
  const { V, W, settings, mask, backend } = context;
  const m = V.rows, n = V.cols, k = W.cols;
  const innerMaxIter = settings.innerMaxIter ?? HALS_INNER_MAX_ITER;
  const extrapolate = settings.extrapolate === true && mask === null;
  const pass = innerMaxIter === 1 && mask === null && !extrapolate && V instanceof Matrix &&
      backend.openFusedPass !== undefined
    ? backend.openFusedPass(V, k, "cd")
    : null;
  return {
    ...createAlternatingState(context),
    mask,
    residual: mask === null ? null : Matrix.zeros(m, n),
    maskWork: mask === null ? null : [new Float64Array(n), new Float64Array(n)],
    innerMaxIter,
    row: new Float64Array(Math.max(m, n)),
    sweepsH: 0,
    sweepsW: 0,
    pass,
    WtV: pass === null ? null : Matrix.zeros(k, n),
    extrapolation: extrapolate ? createExtrapolation(V, context.W, context.H) : null,
  };
}

/**
 * One sweep of exact row updates of X (k×c) for the subproblem ½⟨X, QX⟩ − ⟨C, X⟩, X ≥ 0.
 * Returns ‖ΔX‖²_F, the squared change. `row` is a work buffer of length ≥ c.
 *
 * The rows go in pairs (a, a + 1) that share their reads of X (as kernels.wat's cdSweep does, which
 * gives the same bits): r = C_a − Σ_{b∉{a,a+1}} Q_ab X_b − Q_{a,a+1} X_{a+1}, then X_a from r,
 * then r' = C_{a+1} − Σ_{b∉{a,a+1}} Q_{a+1,b} X_b − Q_{a+1,a} X_a with the new X_a, then X_{a+1}:
 * the same Gauss–Seidel step as one row at a time (rows before a are new, after a + 1 old), each
 * sum in the order of b, skipping zero entries of Q. An odd last row goes alone.
 */
export function halsSweepInto(X: Matrix, sub: Subproblem, row: Float64Array): number {
  const k = X.rows, c = X.cols, x = X.data, q = sub.Q.data, cc = sub.C.data;
  if (pairRow.length < c) pairRow = new Float64Array(c);
  const r2 = pairRow;
  let change = 0;
  let a = 0;
  for (; a + 1 < k; a += 2) {
    const a2 = a + 1, xa = a * c, xa2 = a2 * c;
    for (let j = 0; j < c; j++) {
      row[j] = cc[xa + j] as number;
      r2[j] = cc[xa2 + j] as number;
    }
    for (let b = 0; b < k; b++) {
      if (b === a || b === a2) continue;
      const q1 = q[a * k + b] as number, q2 = q[a2 * k + b] as number, xb = b * c;
      if (q1 !== 0) {
        for (let j = 0; j < c; j++) row[j] = (row[j] as number) - q1 * (x[xb + j] as number);
      }
      if (q2 !== 0) {
        for (let j = 0; j < c; j++) r2[j] = (r2[j] as number) - q2 * (x[xb + j] as number);
      }
    }
    const qx = q[a * k + a2] as number;
    if (qx !== 0) {
      for (let j = 0; j < c; j++) row[j] = (row[j] as number) - qx * (x[xa2 + j] as number);
    }
    change += updateRowInto(x, xa, row, q[a * k + a] as number, c);
    const qy = q[a2 * k + a] as number;
    if (qy !== 0) {
      for (let j = 0; j < c; j++) r2[j] = (r2[j] as number) - qy * (x[xa + j] as number);
    }
    change += updateRowInto(x, xa2, r2, q[a2 * k + a2] as number, c);
  }
  if (a < k) {
    const xa = a * c;
    for (let j = 0; j < c; j++) row[j] = cc[xa + j] as number;
    for (let b = 0; b < a; b++) { // a = k − 1: every other row comes before it
      const qab = q[a * k + b] as number;
      if (qab === 0) continue;
      const xb = b * c;
      for (let j = 0; j < c; j++) row[j] = (row[j] as number) - qab * (x[xb + j] as number);
    }
    change += updateRowInto(x, xa, row, q[a * k + a] as number, c);
  }
  return change;
}

/** The second row of a pair in {@linkcode halsSweepInto} (grown as needed, never shrunk). */
let pairRow = new Float64Array(0);

/**
 * X_a ← max(0, r / d) over one row (d = Q_aa > 0), or, for a dead row (d ≤ 0, a linear
 * objective −⟨r, x⟩), 0 where r < 0. Returns the squared change.
 */
function updateRowInto(x: Float64Array, xa: number, r: Float64Array, d: number, c: number): number {
  let change = 0;
  if (d > 0) {
    const inv = 1 / d;
    for (let j = 0; j < c; j++) {
      const old = x[xa + j] as number;
      const t = (r[j] as number) * inv;
      const next = t > 0 ? t : 0;
      change += (next - old) * (next - old);
      x[xa + j] = next;
    }
  } else {
    for (let j = 0; j < c; j++) {
      const old = x[xa + j] as number;
      if ((r[j] as number) < 0 && old !== 0) {
        change += old * old;
        x[xa + j] = 0;
      }
    }
  }
  return change;
}

/**
 * Repeated sweeps on one factor with a fixed subproblem: at most `innerMaxIter`, stopping when
 * a sweep changes X by at most `HALS_DELTA` times the first sweep's change. Returns the number
 * of sweeps.
 */
export function halsUpdateInto(
  X: Matrix,
  sub: Subproblem,
  options: { row: Float64Array; innerMaxIter: number },
): number {
  // Large enough sweeps run in WebAssembly on every thread (linalg/cd_sweep.ts): the same X bit
  // for bit; the change may differ in its last bits (summed in another order).
  const session = openSweeps(X, sub);
  const sweep = session === null ? () => halsSweepInto(X, sub, options.row) : () => session.sweep();
  try {
    const first = sweep();
    let sweeps = 1;
    const threshold = HALS_DELTA * HALS_DELTA * first;
    while (sweeps < options.innerMaxIter && first > 0) {
      const change = sweep();
      sweeps++;
      if (change <= threshold) break;
    }
    return sweeps;
  } finally {
    session?.close();
  }
}

/** E ← M ⊙ (V − WH). */
function weightedResidualInto(E: Matrix, V: Matrix, W: Matrix, H: Matrix, M: Matrix): void {
  const m = V.rows, n = V.cols, k = W.cols, e = E.data, w = W.data, h = H.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const q = i * n + j, weight = M.data[q] as number;
      if (weight === 0) {
        e[q] = 0;
        continue;
      }
      let s = 0;
      for (let a = 0; a < k; a++) s += (w[i * k + a] as number) * (h[a * n + j] as number);
      e[q] = weight * ((V.data[q] as number) - s);
    }
  }
}

/** One weighted sweep over the rows of H, then one over the columns of W (see the header). */
function stepHalsMasked(state: HalsState): void {
  const { W, H, penalties: p } = state;
  const V = state.V as Matrix, M = state.mask as Matrix, E = state.residual as Matrix;
  const m = V.rows, n = V.cols, k = W.cols, w = W.data, h = H.data, e = E.data, mk = M.data;
  const [num, den] = state.maskWork as [Float64Array, Float64Array];
  weightedResidualInto(E, V, W, H, M);
  for (let a = 0; a < k; a++) {
    // row a of H: num_j = Σ_i W_ia E_ij, den_j = Σ_i M_ij W_ia²
    num.fill(0);
    den.fill(0);
    for (let i = 0; i < m; i++) {
      const wia = w[i * k + a] as number;
      if (wia === 0) continue;
      for (let j = 0; j < n; j++) {
        const q = i * n + j;
        num[j] = (num[j] as number) + wia * (e[q] as number);
        den[j] = (den[j] as number) + (mk[q] as number) * wia * wia;
      }
    }
    // new h_aj; num_j then holds the change h_aj(new) − h_aj(old)
    for (let j = 0; j < n; j++) {
      const old = h[a * n + j] as number, d = (den[j] as number) + p.l2H;
      const next = d > 0
        ? Math.max(0, ((num[j] as number) + old * (den[j] as number) - p.l1H) / d)
        : old;
      num[j] = next - old;
      h[a * n + j] = next;
    }
    for (let i = 0; i < m; i++) {
      const wia = w[i * k + a] as number;
      if (wia === 0) continue;
      for (let j = 0; j < n; j++) {
        const q = i * n + j;
        e[q] = (e[q] as number) - (mk[q] as number) * wia * (num[j] as number);
      }
    }
  }
  for (let a = 0; a < k; a++) {
    // column a of W, one entry at a time (each row i of E is touched once)
    for (let i = 0; i < m; i++) {
      let nu = 0, de = 0;
      for (let j = 0; j < n; j++) {
        const q = i * n + j, haj = h[a * n + j] as number;
        nu += haj * (e[q] as number);
        de += (mk[q] as number) * haj * haj;
      }
      const old = w[i * k + a] as number, d = de + p.l2W;
      if (!(d > 0)) continue;
      const next = Math.max(0, (nu + old * de - p.l1W) / d);
      const change = next - old;
      w[i * k + a] = next;
      if (change === 0) continue;
      for (let j = 0; j < n; j++) {
        const q = i * n + j;
        e[q] = (e[q] as number) - (mk[q] as number) * change * (h[a * n + j] as number);
      }
    }
  }
  state.sweepsH = 1;
  state.sweepsW = 1;
}

/** One outer iteration: repeated sweeps over H, then over W. */
export function stepHals(state: HalsState): void {
  if (state.mask !== null) {
    stepHalsMasked(state);
    return;
  }
  const { V, W, H, Wt, subH, subW, penalties: p, row, innerMaxIter, pass } = state;
  if (state.extrapolation !== null) {
    extrapolatedStepInto(state, state.extrapolation, (X, sub, factor) => {
      const sweeps = halsUpdateInto(X, sub, { row, innerMaxIter });
      if (factor === "H") state.sweepsH = sweeps;
      else state.sweepsW = sweeps;
    });
    return;
  }
  if (pass !== null) {
    // One sweep each, with V read once per iteration: the pass sweeps each row of W as soon as
    // its row of VHᵀ is known, and leaves WᵀV for the new W (the next C of the H-problem).
    const WtV = state.WtV as Matrix;
    if (state.untouched !== true && !pass.matches(W)) pass.start(W, WtV); // as in solvers/mu.ts
    subH.backend.gemmInto(subH.Q, W, W, { transA: true });
    subH.C.data.set(WtV.data);
    penalizeInto(subH, p.l1H, p.l2H);
    state.sweepsH = halsUpdateInto(H, subH, { row, innerMaxIter: 1 });
    subW.backend.gemmInto(subW.Q, H, H, { transB: true });
    penalizeInto(subW, 0, p.l2W); // Q = HHᵀ + l2·I; the pass subtracts l1 itself
    pass.run(W, H, subW.Q, WtV, { l1: p.l1W, l2: 0 });
    state.sweepsW = 1;
    return;
  }
  coefficientsProblemInto(subH, { V, fixed: W, l1: p.l1H, l2: p.l2H });
  state.sweepsH = halsUpdateInto(H, subH, { row, innerMaxIter });
  basisProblemInto(subW, { V, fixed: H, l1: p.l1W, l2: p.l2W });
  transposeInto(Wt, W);
  state.sweepsW = halsUpdateInto(Wt, subW, { row, innerMaxIter });
  transposeInto(W, Wt);
}

/**
 * The HALS / coordinate-descent solver (`solver: "hals"`, alias `"cd"`).
 *
 * @example Recover an exactly factorizable matrix
 * ```ts
 * import { Matrix, nmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 0], [0, 1, 3], [1, 3, 3]]); // [[1,0],[0,1],[1,1]]·[[1,2,0],[0,1,3]]
 * const r = nmf(V, { rank: 2, solver: "hals", maxIter: 500, tol: 0 });
 * assert.ok(r.relativeError < 1e-8);
 * ```
 */
export const hals: Solver<HalsState> = {
  name: "hals",
  description:
    "hierarchical ALS / coordinate descent with inner repeats (Cichocki & Phan 2009; Gillis & Glineur 2012)",
  supportsBeta: (beta) => beta === 2,
  supportsSparse: true,
  supportsPenalties: true,
  supportsMask: true,
  create: createHals,
  step: stepHals,
  release: (state) => state.pass?.close(),
};
