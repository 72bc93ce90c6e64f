/**
 * Non-negative least squares with many right-hand sides, by block principal pivoting
 * (Kim & Park 2011, "Fast nonnegative matrix factorization: an active-set-like method and
 * comparisons", SIAM J. Sci. Comput. 33(6); Algorithm 2 there).
 *
 * Problem: min_X ‖AX − B‖²_F subject to X ≥ 0, given only G = AᵀA (k×k) and C = AᵀB (k×n).
 * Each column x of X solves its own problem, whose KKT conditions are
 *   y = Gx − c,   x ≥ 0,   y ≥ 0,   x_i y_i = 0.
 * Guess a passive set F (the entries allowed to be positive) and its complement G: then
 * x_G = 0, y_F = 0 and x_F solves the small system G[F,F] x_F = c_F, y_G = G[G,F] x_F − c_G.
 * If x_F ≥ 0 and y_G ≥ 0 the guess was right. Otherwise block principal pivoting exchanges all
 * infeasible indices between F and G at once (fast), and falls back to exchanging only the
 * largest one when the number of infeasible indices stops shrinking for 3 rounds (which
 * guarantees termination).
 *
 * Columns that share a passive set share one Cholesky factorization of G[F,F] (the
 * column-grouping trick of the paper), so n right-hand sides usually cost a few factorizations.
 * A singular G[F,F] (rank-deficient A) is handled by dropping dependent pivots (see
 * `cholesky.ts`); a penalty is folded in by the caller: L2 adds l2 to the diagonal of G, L1
 * subtracts l1 from C.
 *
 * @module
 */

import { choleskyInto, choleskySolveInto } from "./cholesky.ts";
import { formatValue, Matrix } from "./matrix.ts";

/** Work buffers of {@linkcode nnlsInto} for a k×n unknown; reuse them across calls. */
export interface NnlsWork {
  readonly k: number;
  readonly n: number;
  /** passive[j·k + i] = 1 when X_ij is in the passive set. */
  readonly passive: Uint8Array;
  /** The dual variables y = Gx − c, k×n (0 on the passive set). */
  readonly Y: Matrix;
  /** Per column: the backup-rule counter α and the best infeasible count β. */
  readonly alpha: Int32Array;
  readonly beta: Int32Array;
  /** Columns still to (re)solve. */
  readonly todo: Int32Array;
  /** The Cholesky factor of G[F,F]. */
  readonly L: Matrix;
  /** Index lists of the passive and active sets. */
  readonly passiveIndex: Int32Array;
  readonly activeIndex: Int32Array;
  /** Right-hand side / solution of one column. */
  readonly x: Float64Array;
}

/** Allocate the work buffers for a k×n unknown. */
export function createNnlsWork(k: number, n: number): NnlsWork {
  return {
    k,
    n,
    passive: new Uint8Array(k * n),
    Y: Matrix.zeros(k, n),
    alpha: new Int32Array(n),
    beta: new Int32Array(n),
    todo: new Int32Array(n),
    L: Matrix.zeros(k, k),
    passiveIndex: new Int32Array(k),
    activeIndex: new Int32Array(k),
    x: new Float64Array(k),
  };
}

/** Options of {@linkcode nnlsInto}. */
export interface NnlsOptions {
  /**
   * Start from the passive set {i : X_ij > 0} of the X passed in (as alternating NNLS does
   * between outer iterations, where the previous solution is an excellent guess).
   * @default false
   */
  warmStart?: boolean;
  /** Most pivoting rounds; the result is then clipped to ≥ 0 and reported unconverged. @default 10·k + 100 */
  maxIter?: number;
  /** Work buffers from {@linkcode createNnlsWork}(k, n). @default allocated for this call */
  work?: NnlsWork;
}

/** What {@linkcode nnlsInto} reports. */
export interface NnlsReport {
  /** Pivoting rounds taken (0 when the starting passive set was already optimal). */
  iterations: number;
  /** Whether every column satisfied the KKT conditions. */
  converged: boolean;
}

function checkFinite(name: string, M: Matrix): void {
  const d = M.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i] as number)) {
      throw new RangeError(
        `nnlsInto: ${name} must be finite, got ${name}[${Math.floor(i / M.cols)}][${
          i % M.cols
        }] = ${formatValue(d[i])}`,
      );
    }
  }
}

/**
 * Solve min ‖AX − B‖²_F s.t. X ≥ 0 for X (k×n), given AtA = AᵀA (k×k) and AtB = AᵀB (k×n),
 * writing the solution into `X`.
 *
 * @example A 2×2 problem whose unconstrained solution has a negative entry
 * ```ts
 * import { Matrix, nnlsInto } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const A = Matrix.fromRows([[1, 0], [1, 1], [0, 1]]);
 * const b = Matrix.fromRows([[2], [1], [-1]]);     // unconstrained: x = [5/3, −4/3]
 * const AtA = A.transpose().multiply(A), AtB = A.transpose().multiply(b);
 * const X = Matrix.zeros(2, 1);
 * const report = nnlsInto(X, AtA, AtB);
 * assert.ok(report.converged);
 * assert.ok(Math.abs(X.get(0, 0) - 1.5) < 1e-12); // x₂ = 0, x₁ = (2 + 1)/2
 * assert.equal(X.get(1, 0), 0);
 * ```
 */
export function nnlsInto(
  X: Matrix,
  AtA: Matrix,
  AtB: Matrix,
  options: NnlsOptions = {},
): NnlsReport {
  if (!(AtA instanceof Matrix) || AtA.rows !== AtA.cols) {
    throw new TypeError(`nnlsInto: AtA must be a square k×k Matrix, got ${formatValue(AtA)}`);
  }
  const k = AtA.rows;
  if (!(AtB instanceof Matrix) || AtB.rows !== k) {
    throw new TypeError(
      `nnlsInto: AtB must be a Matrix with ${k} rows (as AtA), got ${formatValue(AtB)}`,
    );
  }
  const n = AtB.cols;
  if (!(X instanceof Matrix) || X.rows !== k || X.cols !== n) {
    throw new TypeError(`nnlsInto: X must be a ${k}×${n} Matrix, got ${formatValue(X)}`);
  }
  checkFinite("AtA", AtA);
  checkFinite("AtB", AtB);
  const maxIter = options.maxIter ?? 10 * k + 100;
  if (!Number.isInteger(maxIter) || maxIter < 0) {
    throw new RangeError(
      `nnlsInto: options.maxIter must be a non-negative integer, got ${formatValue(maxIter)}`,
    );
  }
  const work = options.work ?? createNnlsWork(k, n);
  if (work.k !== k || work.n !== n) {
    throw new TypeError(
      `nnlsInto: options.work was made for ${work.k}×${work.n}, expected ${k}×${n}`,
    );
  }
  const { passive, alpha, beta, todo } = work;
  const x = X.data;
  if (options.warmStart) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < k; i++) passive[j * k + i] = (x[i * n + j] as number) > 0 ? 1 : 0;
    }
  } else passive.fill(0);
  alpha.fill(3);
  beta.fill(k + 1);
  // scale for the dual-feasibility tolerance
  let maxG = 0;
  for (let i = 0; i < k * k; i++) maxG = Math.max(maxG, Math.abs(AtA.data[i] as number));
  for (let j = 0; j < n; j++) todo[j] = j;
  solveColumns(X, AtA, AtB, work, n);

  const y = work.Y.data, c = AtB.data;
  let iterations = 0;
  let converged = false;
  for (;;) {
    let count = 0;
    for (let j = 0; j < n; j++) {
      let cmax = 0, xmax = 0;
      for (let i = 0; i < k; i++) {
        cmax = Math.max(cmax, Math.abs(c[i * n + j] as number));
        xmax = Math.max(xmax, Math.abs(x[i * n + j] as number));
      }
      const tolY = 1e-12 * k * (cmax + maxG * xmax);
      let infeasible = 0, last = -1;
      for (let i = 0; i < k; i++) {
        const bad = passive[j * k + i] === 1
          ? (x[i * n + j] as number) < 0
          : (y[i * n + j] as number) < -tolY;
        if (bad) {
          infeasible++;
          last = i;
        }
      }
      if (infeasible === 0) continue;
      todo[count++] = j;
      let exchangeAll = true;
      if (infeasible < (beta[j] as number)) {
        beta[j] = infeasible;
        alpha[j] = 3;
      } else if ((alpha[j] as number) >= 1) {
        alpha[j] = (alpha[j] as number) - 1;
      } else exchangeAll = false;
      if (exchangeAll) {
        for (let i = 0; i < k; i++) {
          const p = j * k + i;
          const bad = passive[p] === 1
            ? (x[i * n + j] as number) < 0
            : (y[i * n + j] as number) < -tolY;
          if (bad) passive[p] = passive[p] === 1 ? 0 : 1;
        }
      } else {
        const p = j * k + last;
        passive[p] = passive[p] === 1 ? 0 : 1;
      }
    }
    if (count === 0) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;
    solveColumns(X, AtA, AtB, work, count);
  }
  if (!converged) {
    for (let i = 0; i < x.length; i++) if (!((x[i] as number) > 0)) x[i] = 0;
  }
  return { iterations, converged };
}

/**
 * For the columns listed in work.todo[0..count), solve the equality-constrained problem of the
 * current passive sets: x_F = G[F,F]⁻¹ c_F, x_G = 0, y_G = G[G,F] x_F − c_G, y_F = 0.
 * Columns with the same passive set share one factorization.
 */
function solveColumns(X: Matrix, G: Matrix, C: Matrix, work: NnlsWork, count: number): void {
  const { k, n, passive, todo, L, passiveIndex, activeIndex } = work;
  const xs = work.x, x = X.data, y = work.Y.data, g = G.data, c = C.data;
  // group the columns by passive set
  const groups = new Map<string, number[]>();
  const codes: number[] = [];
  for (let t = 0; t < count; t++) {
    const j = todo[t] as number;
    codes.length = 0;
    for (let i = 0; i < k; i += 16) {
      let code = 0;
      const end = Math.min(k, i + 16);
      for (let b = i; b < end; b++) code = code * 2 + (passive[j * k + b] as number);
      codes.push(code);
    }
    const key = String.fromCharCode(...codes);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [j]);
    else group.push(j);
  }
  for (const columns of groups.values()) {
    const first = columns[0] as number;
    let p = 0, q = 0;
    for (let i = 0; i < k; i++) {
      if (passive[first * k + i] === 1) passiveIndex[p++] = i;
      else activeIndex[q++] = i;
    }
    if (p > 0) choleskyInto(L, G, { index: passiveIndex, size: p });
    for (const j of columns) {
      for (let a = 0; a < p; a++) xs[a] = c[(passiveIndex[a] as number) * n + j] as number;
      if (p > 0) choleskySolveInto(xs, L, { size: p });
      for (let a = 0; a < p; a++) {
        const i = passiveIndex[a] as number;
        x[i * n + j] = xs[a] as number;
        y[i * n + j] = 0;
      }
      for (let b = 0; b < q; b++) {
        const i = activeIndex[b] as number;
        x[i * n + j] = 0;
        let v = -(c[i * n + j] as number);
        for (let a = 0; a < p; a++) {
          v += (g[i * k + (passiveIndex[a] as number)] as number) * (xs[a] as number);
        }
        y[i * n + j] = v;
      }
    }
  }
}
