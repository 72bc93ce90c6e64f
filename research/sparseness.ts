/**
 * Sparseness in Hoyer's sense, and NMF with sparseness constraints (Hoyer 2004, "Non-negative
 * matrix factorization with sparseness constraints", JMLR 5).
 *
 * Measure: for x ∈ ℝⁿ (n ≥ 2, x ≠ 0),
 *   sparseness(x) = (√n − ‖x‖₁/‖x‖₂) / (√n − 1),
 * which is 1 exactly when x has a single non-zero entry (‖x‖₁ = ‖x‖₂) and 0 exactly when all
 * entries have the same magnitude (‖x‖₁ = √n‖x‖₂). It ignores scale: sparseness(cx) =
 * sparseness(x). nmflab defines the sparseness of the zero vector as 1 (no active entries).
 *
 * Constrained NMF: minimize ½‖V − WH‖²_F subject to W, H ≥ 0, every column of W having
 * sparseness `sparsenessW` and every row of H having sparseness `sparsenessH` (either
 * constraint may be left out). Hoyer's algorithm alternates:
 * - constrained factor: a projected gradient step, X ← P(X − μ∇X), where P maps each
 *   column/row to the closest non-negative vector with the required L1 and L2 norms (below),
 *   and μ is halved until the loss does not increase, then grown by 1.2 for the next step;
 * - unconstrained factor: the Lee–Seung multiplicative update (as `mu`: a zero denominator is
 *   guarded, nothing else is added, so the step stays monotone).
 * Rows of H are kept at unit L2 norm (the constraint fixes the scale; without it the scale is
 * moved into W so that WH is unchanged), so the loss never increases.
 *
 * Projection P (Hoyer's Figure 1): the closest s ≥ 0 to x with Σs = L1 and Σs² = L2². Start on
 * the L1 hyperplane (x + (L1 − Σx)/n), move along the line from the centre of the hyperplane
 * through the point to the sphere of radius L2; if entries went negative, fix them at 0,
 * re-project the rest onto the hyperplane and repeat (at most n rounds). The step to the
 * sphere is written from the centre m of the current face, ‖m + t(v − m)‖² = L1²/d + t²‖v − m‖²
 * (d active entries), which is Hoyer's quadratic without its cancellation. For a target
 * sparseness s and an L2 norm r, the L1 norm is r·(√n − (√n − 1)s).
 *
 * @module
 */

import type { Backend } from "../linalg/kernels.ts";
import { formatValue, Matrix } from "../linalg/matrix.ts";
import { NO_PENALTIES } from "../losses.ts";
import { multiplicativeUpdateInto } from "../solvers/mu.ts";
import type { Solver, SolverContext } from "../solvers/types.ts";
import { validateData } from "../nmf.ts";
import { checkMatrix, checkNumber, checkOptionKeys } from "./checks.ts";
import {
  COMMON_FIT_KEYS,
  type CommonFitOptions,
  type FitResult,
  runResearchSolver,
} from "./fit.ts";

/**
 * Hoyer's sparseness of a vector, in [0, 1].
 *
 * @example
 * ```ts
 * import { hoyerSparseness } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(hoyerSparseness([0, 0, 3, 0]), 1);
 * assert.equal(hoyerSparseness([2, 2, 2, 2]), 0);
 * ```
 */
export function hoyerSparseness(x: ArrayLike<number>): number {
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw new TypeError(`hoyerSparseness: x must be an array of numbers, got ${formatValue(x)}`);
  }
  const n = x.length;
  if (n < 2) {
    throw new RangeError(`hoyerSparseness: x must have at least 2 entries, got ${n}`);
  }
  let l1 = 0, max = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`hoyerSparseness: x must be finite, got x[${i}] = ${formatValue(v)}`);
    }
    l1 += Math.abs(v);
    max = Math.max(max, Math.abs(v));
  }
  if (max === 0) return 1;
  let l2 = 0;
  for (let i = 0; i < n; i++) {
    const v = (x[i] as number) / max;
    l2 += v * v;
  }
  const ratio = l1 / max / Math.sqrt(l2);
  const root = Math.sqrt(n);
  return Math.min(1, Math.max(0, (root - ratio) / (root - 1)));
}

/** Options of {@linkcode sparseness}. */
export interface SparsenessOptions {
  /** Measure each column (as for W) or each row (as for H). @default "columns" */
  axis?: "columns" | "rows";
}

/** What {@linkcode sparseness} returns. */
export interface SparsenessResult {
  /** Hoyer's sparseness of every column (or row). */
  values: number[];
  /** Their mean. */
  mean: number;
}

/**
 * Hoyer's sparseness of every column (or row) of a matrix, and their mean.
 *
 * @example
 * ```ts
 * import { Matrix, sparseness } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.fromRows([[1, 1], [0, 1], [0, 1], [0, 1]]);
 * assert.deepEqual(sparseness(W).values, [1, 0]);
 * assert.equal(sparseness(W).mean, 0.5);
 * ```
 */
export function sparseness(M: Matrix, options: SparsenessOptions = {}): SparsenessResult {
  checkMatrix("sparseness", "M", M);
  checkOptionKeys("sparseness", options, ["axis"]);
  const axis = options.axis ?? "columns";
  if (axis !== "columns" && axis !== "rows") {
    throw new RangeError(`sparseness: axis must be "columns" or "rows", got ${formatValue(axis)}`);
  }
  const values: number[] = [];
  const count = axis === "columns" ? M.cols : M.rows;
  for (let t = 0; t < count; t++) {
    values.push(hoyerSparseness(axis === "columns" ? M.column(t) : M.row(t)));
  }
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  return { values, mean };
}

/**
 * Write into `out` the non-negative vector closest (Euclidean) to `x` with Σout = l1 and
 * ‖out‖₂ = l2 (Hoyer's projection). Needs l2 ≤ l1 ≤ √n·l2 (else no such vector exists).
 * `out` may be `x` itself.
 *
 * @example Project onto a sparseness of 0.8 keeping the L2 norm 1
 * ```ts
 * import { hoyerProjectInto, hoyerSparseness } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const n = 10, s = 0.8;
 * const x = Float64Array.from({ length: n }, (_, i) => 1 + i / 10);
 * const out = new Float64Array(n);
 * hoyerProjectInto(out, x, Math.sqrt(n) - (Math.sqrt(n) - 1) * s, 1);
 * assert.ok(Math.abs(hoyerSparseness(out) - s) < 1e-12);
 * assert.ok(out.every((v) => v >= 0));
 * ```
 */
export function hoyerProjectInto(
  out: Float64Array,
  x: ArrayLike<number>,
  l1: number,
  l2: number,
): Float64Array {
  const n = x.length;
  if (out.length !== n) {
    throw new TypeError(`hoyerProjectInto: out must have length ${n} (as x), got ${out.length}`);
  }
  if (!(l2 >= 0) || !(l1 >= l2 * (1 - 1e-12)) || !(l1 <= Math.sqrt(n) * l2 * (1 + 1e-12))) {
    throw new RangeError(
      `hoyerProjectInto: need 0 ≤ l2 ≤ l1 ≤ √n·l2 (n = ${n}), got l1 = ${formatValue(l1)}, l2 = ${
        formatValue(l2)
      }`,
    );
  }
  const k2 = l2 * l2;
  if (l2 === 0) return out.fill(0);
  // The point is kept as mid + dev (mid the centre of the current face, Σdev = 0), so that
  // tiny deviations keep their own precision instead of being rounded against mid.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] as number;
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = (x[i] as number) - sum / n;
  const zero = new Uint8Array(n);
  let zeros = 0;
  for (let round = 0; round <= n; round++) {
    const active = n - zeros;
    // Project onto the L1 hyperplane of the face (also removes round-off from Σdev).
    let drift = 0, before = 0;
    for (let i = 0; i < n; i++) {
      if (zero[i]) continue;
      drift += dev[i] as number;
      before += (dev[i] as number) ** 2;
    }
    drift /= active;
    for (let i = 0; i < n; i++) if (!zero[i]) dev[i] = (dev[i] as number) - drift;
    // ‖mid + t·dev‖² = l1²/active + t²‖dev‖²: the sphere is reached at t = √(room / ‖dev‖²).
    const room = k2 - l1 * l1 / active;
    if (room <= 0) {
      // The sphere lies inside the centre (round-off at sparseness 0 or 1): take the centre.
      dev.fill(0);
      break;
    }
    let a = 0;
    for (let i = 0; i < n; i++) if (!zero[i]) a += (dev[i] as number) ** 2;
    if (a <= 1e-300 || a <= 1e-12 * before) {
      // The point is the centre of the face (what is left of dev after centring is round-off):
      // every direction in the face is as close; take the first active coordinate.
      const p = zero.indexOf(0);
      for (let i = 0; i < n; i++) if (!zero[i]) dev[i] = (i === p ? 1 : 0) - 1 / active;
      a = 1 - 1 / active;
    }
    const t = Math.sqrt(room / a);
    const mid = l1 / active;
    let negative = false;
    for (let i = 0; i < n; i++) {
      if (zero[i]) continue;
      dev[i] = t * (dev[i] as number);
      if (mid + (dev[i] as number) <= 0) negative = true;
    }
    if (!negative) break;
    for (let i = 0; i < n; i++) {
      if (!zero[i] && mid + (dev[i] as number) <= 0) {
        zero[i] = 1;
        dev[i] = 0;
        zeros++;
      }
    }
  }
  // Polish: remove the round-off sum of dev and rescale it to the sphere once more, so both
  // norms hold to machine precision even when the steps amplified rounding.
  const active = n - zeros;
  const mid = l1 / active;
  let drift = 0;
  for (let i = 0; i < n; i++) if (!zero[i]) drift += dev[i] as number;
  drift /= active;
  let a = 0;
  for (let i = 0; i < n; i++) {
    if (zero[i]) continue;
    dev[i] = (dev[i] as number) - drift;
    a += (dev[i] as number) ** 2;
  }
  const room = k2 - l1 * l1 / active;
  const scale = room > 0 && a > 0 ? Math.sqrt(room / a) : 0;
  for (let i = 0; i < n; i++) {
    out[i] = zero[i] ? 0 : Math.max(0, mid + scale * (dev[i] as number));
  }
  return out;
}

/** The L1 norm that gives sparseness s to a vector of length n and L2 norm r. */
function l1For(n: number, s: number, r: number): number {
  const root = Math.sqrt(n);
  return r * (root - (root - 1) * s);
}

/** State of Hoyer's algorithm. */
export interface SparseNmfState {
  /** The data, m×n. */
  readonly V: Matrix;
  /** The basis, m×k (updated in place). */
  readonly W: Matrix;
  /** The coefficients, k×n (updated in place; rows of unit L2 norm). */
  readonly H: Matrix;
  /** The products backend. */
  readonly backend: Backend;
  /** Target sparseness of the columns of W, or null for none. */
  readonly sparsenessW: number | null;
  /** Target sparseness of the rows of H, or null for none. */
  readonly sparsenessH: number | null;
  /** Current step size of the projected gradient step on W (adapted every iteration). */
  stepW: number;
  /** Current step size of the projected gradient step on H. */
  stepH: number;
  /** m×k: WHHᵀ, then the gradient WHHᵀ − VHᵀ. */
  readonly gradW: Matrix;
  /** k×n: WᵀWH, then the gradient WᵀWH − WᵀV. */
  readonly gradH: Matrix;
  /** m×k: the trial point of the line search on W. */
  readonly trialW: Matrix;
  /** k×n: the trial point of the line search on H. */
  readonly trialH: Matrix;
  /** k×k: WᵀW, then HHᵀ. */
  readonly gram: Matrix;
  /** m×k: VHᵀ. */
  readonly VHt: Matrix;
  /** k×n: WᵀV. */
  readonly WtV: Matrix;
  /** m×n: the model WH for the line-search losses. */
  readonly WH: Matrix;
  /** Length m: one column being projected. */
  readonly column: Float64Array;
  /** Length n: one row being projected. */
  readonly row: Float64Array;
}

function residual(state: SparseNmfState, W: Matrix, H: Matrix): number {
  state.backend.gemmInto(state.WH, W, H);
  const v = state.V.data, y = state.WH.data;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const d = (v[i] as number) - (y[i] as number);
    s += d * d;
  }
  return 0.5 * s;
}

function projectRowsInto(H: Matrix, s: number, row: Float64Array): void {
  const n = H.cols;
  const l1 = l1For(n, s, 1);
  for (let a = 0; a < H.rows; a++) {
    const view = H.data.subarray(a * n, (a + 1) * n);
    row.set(view);
    hoyerProjectInto(view, row, l1, 1);
  }
}

function projectColumnsInto(W: Matrix, s: number, column: Float64Array): void {
  const m = W.rows, k = W.cols;
  for (let a = 0; a < k; a++) {
    let r = 0;
    for (let i = 0; i < m; i++) r += (W.data[i * k + a] as number) ** 2;
    r = Math.sqrt(r);
    for (let i = 0; i < m; i++) column[i] = W.data[i * k + a] as number;
    hoyerProjectInto(column, column, l1For(m, s, r), r);
    for (let i = 0; i < m; i++) W.data[i * k + a] = column[i] as number;
  }
}

/** Scale every row of H to unit L2 norm and the matching column of W up (WH unchanged). */
function normalizeRows(W: Matrix, H: Matrix): void {
  const n = H.cols, k = H.rows;
  for (let a = 0; a < k; a++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += (H.data[a * n + j] as number) ** 2;
    r = Math.sqrt(r);
    if (r === 0) continue;
    for (let j = 0; j < n; j++) H.data[a * n + j] = (H.data[a * n + j] as number) / r;
    for (let i = 0; i < W.rows; i++) W.data[i * k + a] = (W.data[i * k + a] as number) * r;
  }
}

/** Hoyer's sparseness-constrained NMF as a solver for the shared driver. */
export function sparseNmfSolver(
  sparsenessW: number | null,
  sparsenessH: number | null,
): Solver<SparseNmfState> {
  return {
    // Not one of nmf's built-in names: sparseNmf runs through the driver directly.
    name: "sparse-nmf",
    description: "NMF with sparseness constraints, projected gradient + MU (Hoyer 2004)",
    supportsBeta: (beta) => beta === 2,
    supportsPenalties: false,
    create(context: SolverContext): SparseNmfState {
      const { V, W, H, backend } = context;
      if (!(V instanceof Matrix)) {
        throw new TypeError(
          `sparseNmf: V must be a dense Matrix (sparse data is not supported), got ${
            formatValue(V)
          }`,
        );
      }
      const m = V.rows, n = V.cols, k = W.cols;
      const state: SparseNmfState = {
        V,
        W,
        H,
        backend,
        sparsenessW,
        sparsenessH,
        stepW: 1,
        stepH: 1,
        gradW: Matrix.zeros(m, k),
        gradH: Matrix.zeros(k, n),
        trialW: Matrix.zeros(m, k),
        trialH: Matrix.zeros(k, n),
        gram: Matrix.zeros(k, k),
        VHt: Matrix.zeros(m, k),
        WtV: Matrix.zeros(k, n),
        WH: Matrix.zeros(m, n),
        column: new Float64Array(m),
        row: new Float64Array(n),
      };
      // Hoyer starts from factors that already satisfy the constraints.
      if (sparsenessW !== null) projectColumnsInto(W, sparsenessW, state.column);
      if (sparsenessH !== null) projectRowsInto(H, sparsenessH, state.row);
      else normalizeRows(W, H);
      return state;
    },
    step(state: SparseNmfState): void {
      const { V, W, H, backend, gram, gradW, gradH, trialW, trialH, VHt, WtV } = state;
      // H
      backend.gemmInto(WtV, W, V, { transA: true });
      backend.gemmInto(gram, W, W, { transA: true });
      backend.gemmInto(gradH, gram, H); // WᵀWH
      if (state.sparsenessH !== null) {
        const g = gradH.data, c = WtV.data;
        for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) - (c[i] as number);
        const before = residual(state, W, H);
        for (;;) {
          const h = H.data, t = trialH.data;
          for (let i = 0; i < t.length; i++) {
            t[i] = (h[i] as number) - state.stepH * (g[i] as number);
          }
          projectRowsInto(trialH, state.sparsenessH, state.row);
          if (residual(state, W, trialH) <= before) {
            H.data.set(trialH.data);
            break;
          }
          state.stepH /= 2;
          if (state.stepH < 1e-200) break; // no descent left: keep H
        }
        state.stepH *= 1.2;
      } else {
        multiplicativeUpdateInto(H, WtV, gradH, 0, 0, 1);
        normalizeRows(W, H);
      }
      // W
      backend.gemmInto(VHt, V, H, { transB: true });
      backend.gemmInto(gram, H, H, { transB: true });
      backend.gemmInto(gradW, W, gram); // WHHᵀ
      if (state.sparsenessW !== null) {
        const g = gradW.data, c = VHt.data;
        for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) - (c[i] as number);
        const before = residual(state, W, H);
        for (;;) {
          const w = W.data, t = trialW.data;
          for (let i = 0; i < t.length; i++) {
            t[i] = (w[i] as number) - state.stepW * (g[i] as number);
          }
          projectColumnsInto(trialW, state.sparsenessW, state.column);
          if (residual(state, trialW, H) <= before) {
            W.data.set(trialW.data);
            break;
          }
          state.stepW /= 2;
          if (state.stepW < 1e-200) break;
        }
        state.stepW *= 1.2;
      } else {
        multiplicativeUpdateInto(W, VHt, gradW, 0, 0, 1);
      }
    },
  };
}

/** Options of {@linkcode sparseNmf}. */
export interface SparseNmfOptions extends CommonFitOptions {
  /** Required sparseness of every column of W, in [0, 1]; `undefined` leaves W unconstrained. @default undefined */
  sparsenessW?: number;
  /** Required sparseness of every row of H, in [0, 1]; `undefined` leaves H unconstrained. @default undefined */
  sparsenessH?: number;
}

/** What {@linkcode sparseNmf} returns. */
export interface SparseNmfResult extends FitResult {
  /** Hoyer's sparseness of each column of W. */
  sparsenessW: number[];
  /** Hoyer's sparseness of each row of H (rows of H have unit L2 norm). */
  sparsenessH: number[];
}

/**
 * NMF with Hoyer's sparseness constraints on the columns of W and/or the rows of H.
 *
 * @example Columns of W with sparseness exactly 0.7
 * ```ts
 * import { createRng, Matrix, sparseNmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const rng = createRng(1);
 * const V = Matrix.generate(20, 15, () => rng.uniform());
 * const r = sparseNmf(V, { rank: 3, sparsenessW: 0.7, maxIter: 50 });
 * assert.ok(r.sparsenessW.every((s) => Math.abs(s - 0.7) < 1e-9));
 * ```
 */
export function sparseNmf(V: Matrix, options: SparseNmfOptions): SparseNmfResult {
  checkMatrix("sparseNmf", "V", V);
  validateData(V, "sparseNmf");
  checkOptionKeys("sparseNmf", options, [...COMMON_FIT_KEYS, "sparsenessW", "sparsenessH"]);
  const sW = options.sparsenessW === undefined
    ? null
    : checkNumber("sparseNmf", "sparsenessW", options.sparsenessW, 0, 1);
  const sH = options.sparsenessH === undefined
    ? null
    : checkNumber("sparseNmf", "sparsenessH", options.sparsenessH, 0, 1);
  if (sW !== null && V.rows < 2) {
    throw new RangeError(`sparseNmf: sparsenessW needs V to have at least 2 rows, got ${V.rows}`);
  }
  if (sH !== null && V.cols < 2) {
    throw new RangeError(
      `sparseNmf: sparsenessH needs V to have at least 2 columns, got ${V.cols}`,
    );
  }
  const { extraTrace: _, ...fit } = runResearchSolver(V, options, {
    caller: "sparseNmf",
    solver: sparseNmfSolver(sW, sH),
    penalties: NO_PENALTIES,
  });
  return {
    ...fit,
    sparsenessW: V.rows >= 2 ? sparseness(fit.W).values : [],
    sparsenessH: V.cols >= 2 ? sparseness(fit.H, { axis: "rows" }).values : [],
  };
}
