/**
 * First-order optimality (KKT) of the NMF problem min f(W, H) s.t. W, H ≥ 0.
 *
 * At a KKT point X ≥ 0, ∇f ≥ 0 and X ⊙ ∇f = 0 (for X = W and X = H). All three hold exactly
 * when min(X, ∇f) = 0 entrywise, so ‖min(X, ∇_X f)‖_F (the "natural residual") measures how far
 * a point is from stationarity, for any solver, in the same units. It is what the trace's `kkt`
 * field records (divided by its value at the initial point).
 *
 * The gradient of D_β(V | WH) is ∇_H = Wᵀ[(WH)^(β−2) ⊙ (WH − V)], ∇_W = [(WH)^(β−2) ⊙ (WH − V)]Hᵀ;
 * for β = 2 that is WᵀWH − WᵀV and WHHᵀ − VHᵀ. Penalties add l1 + l2·X.
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
import type { Backend } from "../linalg/kernels.ts";
import { Matrix, scaledNorm } from "../linalg/matrix.ts";
import type { Penalties } from "../losses.ts";
import {
  addDensePowerProducts,
  sampledWeightsInto,
  sparseTimesTransposeInto,
  transposeTimesSparseInto,
} from "./sparse.ts";
import { modelFloor, safeModel } from "./guard.ts";

/** Work buffers for {@linkcode kktResidual}. */
export interface KktWork {
  gradW: Matrix;
  gradH: Matrix;
  WtW: Matrix;
  HHt: Matrix;
  WH: Matrix | null;
  R: Matrix | null;
  /** Sparse V: V ⊙ (WH)^(β−2) at the nonzeros, and one dense row. */
  A: CsrMatrix | null;
  row: Float64Array | null;
}

/** Allocate the buffers for an m×n problem at rank k. */
export function createKktWork(m: number, n: number, k: number): KktWork {
  return {
    gradW: Matrix.zeros(m, k),
    gradH: Matrix.zeros(k, n),
    WtW: Matrix.zeros(k, k),
    HHt: Matrix.zeros(k, k),
    WH: null,
    R: null,
    A: null,
    row: null,
  };
}

/** Write ∇_W f and ∇_H f of D_β(V | WH) + penalties into `work.gradW`, `work.gradH`. */
export function gradientInto(
  work: KktWork,
  V: DataMatrix,
  W: Matrix,
  H: Matrix,
  beta: number,
  penalties: Penalties,
  backend: Backend,
  mask: Matrix | null = null,
): void {
  const { gradW, gradH } = work;
  if (beta === 2 && mask === null) {
    // gradH = WᵀW·H − WᵀV, gradW = W·HHᵀ − VHᵀ (V dense or sparse)
    backend.gemmInto(work.WtW, W, W, { transA: true });
    backend.gemmInto(work.HHt, H, H, { transB: true });
    transposeTimesDataInto(gradH, W, V, backend);
    backend.gemmInto(gradH, work.WtW, H, { beta: -1 });
    dataTimesTransposeInto(gradW, V, H, backend);
    backend.gemmInto(gradW, W, work.HHt, { beta: -1 });
  } else if (isSparse(V)) {
    // gradient = Wᵀ(B − A), (B − A)Hᵀ with A sparse and B = (WH)^(β−1) (see sparse.ts)
    if (work.A === null) work.A = V.withValues(new Float64Array(V.nnz));
    if (work.row === null) work.row = new Float64Array(V.cols);
    sampledWeightsInto(work.A, V, W, H, beta);
    gradH.data.fill(0);
    gradW.data.fill(0);
    addDensePowerProducts(gradH, gradW, W, H, beta, work.row);
    transposeTimesSparseInto(gradH, W, work.A, -1);
    sparseTimesTransposeInto(gradW, work.A, H, -1);
  } else {
    if (work.WH === null) work.WH = Matrix.zeros(V.rows, V.cols);
    if (work.R === null) work.R = Matrix.zeros(V.rows, V.cols);
    backend.gemmInto(work.WH, W, H);
    const y = work.WH.data, v = V.data, r = work.R.data, w = mask === null ? null : mask.data;
    const floor = modelFloor(beta);
    for (let i = 0; i < r.length; i++) {
      const x = v[i] as number;
      const weight = w === null ? 1 : w[i] as number;
      // M ⊙ [(WH)^(β−1) − V ⊙ (WH)^(β−2)], model values guarded as in guard.ts
      if (weight === 0) r[i] = 0;
      else if (beta === 2) r[i] = weight * ((y[i] as number) - x);
      else {
        const m = safeModel(y[i] as number, floor), p = Math.pow(m, beta - 2);
        r[i] = weight * (p * m - (x === 0 ? 0 : x * p));
      }
    }
    backend.gemmInto(gradH, W, work.R, { transA: true });
    backend.gemmInto(gradW, work.R, H, { transB: true });
  }
  addPenaltyGradient(gradW, W, penalties.l1W, penalties.l2W);
  addPenaltyGradient(gradH, H, penalties.l1H, penalties.l2H);
}

function addPenaltyGradient(G: Matrix, X: Matrix, l1: number, l2: number): void {
  if (l1 === 0 && l2 === 0) return;
  const g = G.data, x = X.data;
  for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) + l1 + l2 * (x[i] as number);
}

/** ‖min(X, G)‖_F over both factors: 0 exactly at a KKT point. */
export function naturalResidual(W: Matrix, gradW: Matrix, H: Matrix, gradH: Matrix): number {
  const parts = new Float64Array(W.size + H.size);
  let p = 0;
  for (let i = 0; i < W.size; i++) {
    parts[p++] = Math.min(W.data[i] as number, gradW.data[i] as number);
  }
  for (let i = 0; i < H.size; i++) {
    parts[p++] = Math.min(H.data[i] as number, gradH.data[i] as number);
  }
  return scaledNorm(parts);
}

/** The KKT residual ‖min(W, ∇_W f)‖² + ‖min(H, ∇_H f)‖², square-rooted. */
export function kktResidual(
  work: KktWork,
  V: DataMatrix,
  W: Matrix,
  H: Matrix,
  beta: number,
  penalties: Penalties,
  backend: Backend,
  mask: Matrix | null = null,
): number {
  gradientInto(work, V, W, H, beta, penalties, backend, mask);
  return naturalResidual(W, work.gradW, H, work.gradH);
}
