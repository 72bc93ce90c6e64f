/**
 * Transform: project new data on a fitted basis. With W fixed, the coefficients of new columns
 * X solve the non-negative least-squares problem min_H ‖X − WH‖²_F subject to H ≥ 0, one
 * independent problem per column (scikit-learn's `NMF.transform` for the Frobenius loss). It is
 * solved exactly, by block principal pivoting on the normal equations (`nnlsInto`): only WᵀW
 * (k×k) and WᵀX (k×n) are needed.
 *
 * Optional penalties match the core's: l1H·ΣH + ½·l2H·‖H‖², folded into the normal equations
 * as WᵀX − l1H and WᵀW + l2H·I.
 *
 * @module
 */

import { type BackendName, resolveBackend } from "../linalg/backend.ts";
import { formatValue, Matrix } from "../linalg/matrix.ts";
import { nnlsInto } from "../linalg/nnls.ts";
import { validateData } from "../nmf.ts";
import { checkMatrix, checkNumber, checkOptionKeys } from "./checks.ts";

/** Options of {@linkcode transform}. */
export interface TransformOptions {
  /** L1 penalty weight on H (adds l1H·ΣH). @default 0 */
  l1H?: number;
  /** L2 penalty weight on H (adds ½·l2H·‖H‖²). @default 0 */
  l2H?: number;
  /** Products backend. @default "auto" */
  backend?: BackendName;
}

/** Check that W is a finite non-negative m×k basis for data with `rows` rows. */
export function checkBasis(caller: string, W: unknown, rows: number): Matrix {
  checkMatrix(caller, "W", W);
  if (W.rows !== rows || W.cols === 0) {
    throw new TypeError(
      `${caller}: W must have ${rows} rows (one per row of the data) and at least one column, got ${W.rows}×${W.cols}`,
    );
  }
  for (let i = 0; i < W.size; i++) {
    const v = W.data[i] as number;
    if (!(v >= 0) || v === Infinity) {
      throw new RangeError(
        `${caller}: W must be non-negative and finite, got W[${Math.floor(i / W.cols)}][${
          i % W.cols
        }] = ${formatValue(v)}`,
      );
    }
  }
  return W;
}

/**
 * The non-negative coefficients H (k×n) of new data X (m×n) on a fixed basis W (m×k):
 * argmin_{H ≥ 0} ‖X − WH‖²_F (+ optional penalties).
 *
 * @example Recover the coefficients of data built from W
 * ```ts
 * import { Matrix, transform } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.fromRows([[1, 0], [0, 1], [1, 1]]);
 * const H = Matrix.fromRows([[2, 0, 1], [1, 3, 0]]);
 * const found = transform(W, W.multiply(H));
 * found.data.forEach((v, i) => assert.ok(Math.abs(v - H.data[i]!) < 1e-12));
 * ```
 */
export function transform(W: Matrix, X: Matrix, options: TransformOptions = {}): Matrix {
  checkOptionKeys("transform", options, ["l1H", "l2H", "backend"]);
  checkMatrix("transform", "X", X);
  validateData(X, "transform");
  checkBasis("transform", W, X.rows);
  const l1 = checkNumber("transform", "l1H", options.l1H ?? 0, 0);
  const l2 = checkNumber("transform", "l2H", options.l2H ?? 0, 0);
  const { backend } = resolveBackend(options.backend ?? "auto");
  const k = W.cols, n = X.cols;
  const G = Matrix.zeros(k, k), C = Matrix.zeros(k, n);
  backend.gemmInto(G, W, W, { transA: true });
  backend.gemmInto(C, W, X, { transA: true });
  if (l2 !== 0) {
    for (let a = 0; a < k; a++) {
      G.data[a * k + a] = (G.data[a * k + a] as number) + l2;
    }
  }
  if (l1 !== 0) { for (let i = 0; i < C.size; i++) C.data[i] = (C.data[i] as number) - l1; }
  const H = Matrix.zeros(k, n);
  nnlsInto(H, G, C);
  return H;
}
