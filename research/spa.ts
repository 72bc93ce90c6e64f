/**
 * Separable NMF by the successive projection algorithm (Gillis & Vavasis 2014): pick k columns
 * of V whose conic (or convex) hull contains the others, then W = V[:, columns] and H by
 * non-negative least squares. The selection itself lives in `init/spa.ts`, because it is also
 * the initialization `init: "spa"` of `nmf`; this file is the research-facing entry point.
 *
 * @module
 */

import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { validateData } from "../nmf.ts";
import { factorsFromColumns, spaColumns } from "../init/spa.ts";
import { checkInteger, checkMatrix, checkOptionKeys } from "./checks.ts";

export { factorsFromColumns, spaColumns, type SpaOptions } from "../init/spa.ts";

/** Options of {@linkcode spa}. */
export interface SpaFitOptions {
  /** How many columns to select (the rank k). */
  rank: number;
  /**
   * Scale each column of V to unit L1 norm before selecting (for data whose columns are
   * conic, not convex, combinations of the selected ones).
   * @default false
   */
  normalize?: boolean;
}

/** What {@linkcode spa} returns. */
export interface SpaResult {
  /** Indices of the selected columns of V, in the order SPA picked them. */
  columns: number[];
  /** m×k: the selected columns of V. */
  W: Matrix;
  /** k×n: argmin_{H ≥ 0} ‖V − WH‖_F. */
  H: Matrix;
  /** ‖V − WH‖_F / ‖V‖_F. */
  relativeError: number;
}

/**
 * Separable NMF: select `rank` columns of V by SPA and fit H ≥ 0 on them.
 *
 * @example Recover the extreme columns of a separable matrix
 * ```ts
 * import { Matrix, spa } from "../mod.ts";
 * import assert from "node:assert/strict";
 * // columns 1 and 3 are the "pure" ones; 0 and 2 mix them
 * const V = Matrix.fromRows([[0.5, 1, 0.25, 0], [0.5, 0, 0.75, 1], [1, 2, 0.5, 0]]);
 * const { columns, relativeError } = spa(V, { rank: 2 });
 * assert.deepEqual([...columns].sort(), [1, 3]);
 * assert.ok(relativeError < 1e-12);
 * ```
 */
export function spa(V: Matrix, options: SpaFitOptions): SpaResult {
  checkMatrix("spa", "V", V);
  validateData(V, "spa");
  checkOptionKeys("spa", options, ["rank", "normalize"]);
  checkInteger("spa", "rank", options.rank, 1, V.cols);
  if (options.normalize !== undefined && typeof options.normalize !== "boolean") {
    throw new TypeError(`spa: normalize must be a boolean, got ${formatValue(options.normalize)}`);
  }
  const columns = spaColumns(V, options.rank, { normalize: options.normalize ?? false });
  const { W, H } = factorsFromColumns(V, columns);
  const WH = W.multiply(H);
  let r = 0;
  for (let i = 0; i < V.size; i++) {
    const d = (V.data[i] as number) - (WH.data[i] as number);
    r += d * d;
  }
  const norm = V.frobeniusNorm();
  return { columns, W, H, relativeError: norm === 0 ? 0 : Math.sqrt(r) / norm };
}
