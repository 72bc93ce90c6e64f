/**
 * The beta-divergence family of NMF losses and their penalties.
 *
 * d_β(x | y) measures how far a data value x is from a model value y:
 * - β = 2, Frobenius: ½(x − y)²  — the negative log-likelihood of Gaussian noise;
 * - β = 1, Kullback–Leibler: x log(x/y) − x + y — of Poisson counts;
 * - β = 0, Itakura–Saito: x/y − log(x/y) − 1 — of multiplicative Gamma noise;
 * - otherwise (x^β + (β−1) y^β − β x y^(β−1)) / (β(β−1)).
 *
 * The sum over entries follows scikit-learn's `_beta_divergence` convention exactly, so numbers
 * printed by nmflab and scikit-learn can be compared directly.
 *
 * @module
 */

import {
  createCsrDivergenceWork,
  csrBetaDivergence,
  type CsrDivergenceWork,
} from "./linalg/csr.ts";
import { type DataMatrix, isSparse, storedValues, transposeTimesDataInto } from "./linalg/data.ts";
import { type Backend, dot, gramInto, portableBackend } from "./linalg/kernels.ts";
import { formatValue, Matrix, scaledNorm } from "./linalg/matrix.ts";

/** A beta given by name or by value. */
export type BetaName = "frobenius" | "kullback-leibler" | "itakura-saito";

/** Short names accepted for the named betas (as in scikit-learn and R's NMF). */
export type BetaAlias = "fro" | "euclidean" | "kl" | "poisson" | "is";

/** The beta parameter: a finite number or one of the three named divergences (or an alias). */
export type Beta = number | BetaName | BetaAlias;

const BETA_NAMES: Record<string, number> = {
  "frobenius": 2,
  "kullback-leibler": 1,
  "itakura-saito": 0,
};

/** Aliases accepted for the named betas (as in scikit-learn and R's NMF). */
const BETA_ALIASES: Record<BetaAlias, BetaName> = {
  "fro": "frobenius",
  "euclidean": "frobenius",
  "kl": "kullback-leibler",
  "poisson": "kullback-leibler",
  "is": "itakura-saito",
};

/**
 * The numeric value of a beta given by name or number.
 *
 * @example
 * ```ts
 * import { resolveBeta } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(resolveBeta("kullback-leibler"), 1);
 * assert.equal(resolveBeta(1.5), 1.5);
 * ```
 */
export function resolveBeta(beta: Beta, argument = "beta"): number {
  if (typeof beta === "number") {
    if (!Number.isFinite(beta)) {
      throw new RangeError(`${argument} must be a finite number, got ${formatValue(beta)}`);
    }
    return beta;
  }
  if (typeof beta === "string") {
    const key: string = BETA_ALIASES[beta as BetaAlias] ?? beta;
    const value = BETA_NAMES[key];
    if (value !== undefined) return value;
    throw new RangeError(
      `${argument} must be a number or one of "frobenius", "kullback-leibler", "itakura-saito" ` +
        `(aliases ${Object.keys(BETA_ALIASES).map((a) => `"${a}"`).join(", ")}), got ${
          formatValue(beta)
        }`,
    );
  }
  throw new TypeError(
    `${argument} must be a number or a divergence name, got ${formatValue(beta)}`,
  );
}

/**
 * d_β(x | y) for one pair of values, with the convention 0·log 0 = 0. Never negative: round-off
 * below 0 near x = y is returned as 0.
 */
export function betaDivergenceScalar(x: number, y: number, beta: number): number {
  if (beta === 2) return 0.5 * (x - y) * (x - y);
  let d: number;
  if (beta === 1) {
    if (x === 0) return y;
    d = x * Math.log(x / y) - x + y;
  } else if (beta === 0) {
    const r = x / y;
    d = r - Math.log(r) - 1;
  } else if (x === 0) {
    return Math.pow(y, beta) / beta;
  } else {
    d = (Math.pow(x, beta) + (beta - 1) * Math.pow(y, beta) - beta * x * Math.pow(y, beta - 1)) /
      (beta * (beta - 1));
  }
  // d ≥ 0 in exact arithmetic; near x = y the formula cancels and round-off can dip below 0.
  return d < 0 ? 0 : d;
}

/**
 * Σ_ij d_β(V_ij | (WH)_ij) for a model WH already formed; `V` and `WH` have the same shape.
 * Also returns ‖V − WH‖²_F, accumulated in the same pass.
 */
export function divergenceOfProduct(
  V: Matrix,
  WH: Matrix,
  beta: number,
  mask: Matrix | null = null,
): { divergence: number; residualNorm: number } {
  const v = V.data, y = WH.data, w = mask === null ? null : mask.data;
  let d = 0;
  // residual norm with scaling, as in scaledNorm
  let scale = 0, ssq = 1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number, m = y[i] as number;
    const weight = w === null ? 1 : w[i] as number;
    if (weight === 0) continue;
    d += weight * betaDivergenceScalar(x, m, beta);
    const r = Math.sqrt(weight) * Math.abs(x - m);
    if (r !== 0) {
      if (scale < r) {
        const q = scale / r;
        ssq = 1 + ssq * q * q;
        scale = r;
      } else {
        const q = r / scale;
        ssq += q * q;
      }
    }
  }
  return { divergence: d, residualNorm: scale * Math.sqrt(ssq) };
}

/**
 * The beta-divergence D_β(V | WH) = Σ_ij d_β(V_ij | (WH)_ij), in scikit-learn's convention:
 * β = 2 gives ½‖V − WH‖²_F, β = 1 gives Σ V log(V/WH) − V + WH, β = 0 gives Σ V/WH − log(V/WH) − 1.
 *
 * @example The same data, three losses
 * ```ts
 * import { Matrix, betaDivergence } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2], [3, 4]]);
 * const W = Matrix.fromRows([[1], [2]]);
 * const H = Matrix.fromRows([[1, 2]]);          // WH = [[1, 2], [2, 4]]
 * assert.equal(betaDivergence(V, W, H, "frobenius"), 0.5);
 * assert.ok(Math.abs(betaDivergence(V, W, H, 1) - (3 * Math.log(3 / 2) - 1)) < 1e-15);
 * ```
 */
export function betaDivergence(V: Matrix, W: Matrix, H: Matrix, beta: Beta = 2): number {
  const b = resolveBeta(beta);
  for (const [name, M] of [["V", V], ["W", W], ["H", H]] as const) {
    if (!(M instanceof Matrix)) {
      throw new TypeError(`betaDivergence: ${name} must be a Matrix, got ${formatValue(M)}`);
    }
  }
  if (W.rows !== V.rows || H.cols !== V.cols || W.cols !== H.rows) {
    throw new TypeError(
      `betaDivergence: shapes do not conform: V is ${V.rows}×${V.cols}, W is ${W.rows}×${W.cols}, ` +
        `H is ${H.rows}×${H.cols} (expected W m×k and H k×n)`,
    );
  }
  const WH = W.multiply(H);
  return divergenceOfProduct(V, WH, b).divergence;
}

/** Penalty weights added to the loss (each ≥ 0). */
export interface Penalties {
  /** Weight of Σ W_ia (L1, sparsity of W). @default 0 */
  l1W: number;
  /** Weight of Σ H_aj (L1, sparsity of H). @default 0 */
  l1H: number;
  /** Weight of ½‖W‖²_F (L2, ridge on W). @default 0 */
  l2W: number;
  /** Weight of ½‖H‖²_F (L2, ridge on H). @default 0 */
  l2H: number;
}

/** No penalties. */
export const NO_PENALTIES: Penalties = Object.freeze({ l1W: 0, l1H: 0, l2W: 0, l2H: 0 });

/** l1W·ΣW + ½l2W·‖W‖² + l1H·ΣH + ½l2H·‖H‖². */
export function penaltyValue(W: Matrix, H: Matrix, p: Penalties): number {
  let value = 0;
  if (p.l1W !== 0) value += p.l1W * W.sum();
  if (p.l1H !== 0) value += p.l1H * H.sum();
  if (p.l2W !== 0) value += 0.5 * p.l2W * dot(W, W);
  if (p.l2H !== 0) value += 0.5 * p.l2H * dot(H, H);
  return value;
}

/** Work buffers for {@linkcode evaluateObjective}, reused across calls. */
export interface ObjectiveWork {
  WtW: Matrix;
  HHt: Matrix;
  WtV: Matrix;
  WH: Matrix | null;
  normV: number;
  /** Buffers for a sparse V. */
  csr: CsrDivergenceWork | null;
}

/**
 * Allocate the work buffers for evaluating the objective of an m×n problem at rank k. With a
 * mask, ‖V‖ is the weighted norm √(Σ M V²) over the observed entries.
 */
export function createObjectiveWork(
  V: DataMatrix,
  k: number,
  mask: Matrix | null = null,
): ObjectiveWork {
  let normV: number;
  if (mask === null) normV = scaledNorm(storedValues(V));
  else if (isSparse(V)) throw new TypeError("createObjectiveWork: a mask needs a dense V");
  else {
    const weighted = new Float64Array(V.size);
    for (let i = 0; i < V.size; i++) {
      weighted[i] = Math.sqrt(mask.data[i] as number) * (V.data[i] as number);
    }
    normV = scaledNorm(weighted);
  }
  return {
    WtW: Matrix.zeros(k, k),
    HHt: Matrix.zeros(k, k),
    WtV: Matrix.zeros(k, V.cols),
    WH: null,
    normV,
    csr: isSparse(V) ? createCsrDivergenceWork(V, k) : null,
  };
}

/** The objective at (W, H): its divergence part, the penalties, and ‖V − WH‖_F / ‖V‖_F. */
export interface ObjectiveValue {
  /** Divergence plus penalties. */
  loss: number;
  /** D_β(V | WH) alone. */
  divergence: number;
  /** ‖V − WH‖_F / ‖V‖_F (0 when V = 0 and WH = 0). */
  relativeError: number;
}

/**
 * The objective D_β(V | WH) + penalties and the relative error. With a weight mask M, the
 * divergence is Σ M_ij d_β(V_ij | (WH)_ij) and the relative error ‖√M ⊙ (V − WH)‖ / ‖√M ⊙ V‖:
 * missing entries (M = 0) count for nothing.
 *
 * For β = 2 it avoids forming WH: ‖V − WH‖² = ‖V‖² − 2⟨WᵀV, H⟩ + ⟨WᵀW, HHᵀ⟩ costs one
 * k×m by m×n product instead of the m×n×k product of WH. When that difference is so small
 * (below 1e-9 of ‖V‖²) that cancellation could spoil it, the residual is formed explicitly.
 */
export function evaluateObjective(
  V: DataMatrix,
  W: Matrix,
  H: Matrix,
  beta: number,
  penalties: Penalties,
  work: ObjectiveWork,
  backend: Backend = portableBackend,
  mask: Matrix | null = null,
): ObjectiveValue {
  const pen = penaltyValue(W, H, penalties);
  const normV = work.normV;
  const relative = (residual: number) =>
    normV === 0 ? (residual === 0 ? 0 : Infinity) : residual / normV;
  if (isSparse(V)) {
    const work_ = work.csr ?? createCsrDivergenceWork(V, W.cols);
    const { divergence, residualNorm } = csrBetaDivergence(V, W, H, { beta, work: work_ });
    return { loss: divergence + pen, divergence, relativeError: relative(residualNorm) };
  }
  if (beta === 2 && mask === null && normV > 1e-100 && normV < 1e100) {
    gramInto(work.WtW, W, { backend });
    gramInto(work.HHt, H, { transpose: true, backend });
    transposeTimesDataInto(work.WtV, W, V, backend);
    const vv = normV * normV;
    const sq = vv - 2 * dot(work.WtV, H) + dot(work.WtW, work.HHt);
    if (sq > 1e-9 * vv) {
      return { loss: 0.5 * sq + pen, divergence: 0.5 * sq, relativeError: relative(Math.sqrt(sq)) };
    }
  }
  if (work.WH === null) work.WH = Matrix.zeros(V.rows, V.cols);
  backend.gemmInto(work.WH, W, H);
  const { divergence, residualNorm } = divergenceOfProduct(V, work.WH, beta, mask);
  return { loss: divergence + pen, divergence, relativeError: relative(residualNorm) };
}
