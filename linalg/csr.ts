/**
 * Sparse matrices in compressed sparse row (CSR) form, and the products NMF needs from them in
 * O(nnz·k) time: V·B, Vᵀ·B (or Bᵀ·V, which is WᵀV), WH sampled at the nonzeros of V, and the
 * β-divergence D_β(V | WH) computed without storing the dense m×n model WH.
 *
 * Row i holds the entries `values[t]` at columns `indices[t]` for `indptr[i] ≤ t < indptr[i+1]`,
 * columns strictly increasing within a row. Entries not stored are zero.
 *
 * @module
 */

import { csrSimdInto } from "./csr_simd.ts";
import { formatValue, Matrix } from "./matrix.ts";

function fail(name: string, message: string): never {
  throw new TypeError(`CsrMatrix: ${name} ${message}`);
}

function checkSize(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    if (typeof value === "number" && Number.isInteger(value)) {
      throw new RangeError(`CsrMatrix: ${name} must be a non-negative integer, got ${value}`);
    }
    fail(name, `must be a non-negative integer, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * A sparse real matrix in compressed sparse row form. The constructor validates the structure
 * (it never copies); use {@linkcode CsrMatrix.fromDense} or {@linkcode CsrMatrix.fromCoo} to
 * build one.
 *
 * @example From a dense matrix and back
 * ```ts
 * import { CsrMatrix, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = CsrMatrix.fromDense(Matrix.fromRows([[0, 2, 0], [1, 0, 3]]));
 * assert.equal(V.nnz, 3);
 * assert.deepEqual([...V.indptr], [0, 1, 3]);
 * assert.deepEqual(V.toDense().toRows(), [[0, 2, 0], [1, 0, 3]]);
 * ```
 */
export class CsrMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row pointers, length rows + 1: row i is `indptr[i] ≤ t < indptr[i + 1]`. */
  readonly indptr: Int32Array;
  /** Column of each stored entry, strictly increasing within a row. */
  readonly indices: Int32Array;
  /** Value of each stored entry (finite). */
  readonly values: Float64Array;

  /** Wrap (not copy) validated CSR arrays as a `rows`×`cols` matrix. */
  constructor(
    rows: number,
    cols: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float64Array,
  ) {
    checkSize("rows", rows);
    checkSize("cols", cols);
    if (!(indptr instanceof Int32Array)) {
      fail("indptr", `must be an Int32Array, got ${formatValue(indptr)}`);
    }
    if (!(indices instanceof Int32Array)) {
      fail("indices", `must be an Int32Array, got ${formatValue(indices)}`);
    }
    if (!(values instanceof Float64Array)) {
      fail("values", `must be a Float64Array, got ${formatValue(values)}`);
    }
    if (indptr.length !== rows + 1) {
      fail("indptr", `has length ${indptr.length}, expected rows + 1 = ${rows + 1}`);
    }
    const nnz = values.length;
    if (indices.length !== nnz) {
      fail("indices", `has length ${indices.length}, expected values.length = ${nnz}`);
    }
    if (indptr[0] !== 0 || indptr[rows] !== nnz) {
      fail("indptr", `must start at 0 and end at nnz = ${nnz}, got ${indptr[0]} … ${indptr[rows]}`);
    }
    for (let i = 0; i < rows; i++) {
      const start = indptr[i] as number, end = indptr[i + 1] as number;
      if (end < start) fail("indptr", `decreases at row ${i} (${start} then ${end})`);
      let previous = -1;
      for (let t = start; t < end; t++) {
        const j = indices[t] as number;
        if (j <= previous || j >= cols) {
          fail(
            "indices",
            j >= cols
              ? `holds column ${j} in row ${i}, expected < cols = ${cols}`
              : `must be strictly increasing within a row, got ${previous} then ${j} in row ${i}`,
          );
        }
        previous = j;
        const v = values[t] as number;
        if (!Number.isFinite(v)) {
          throw new RangeError(
            `CsrMatrix: values must be finite, got ${formatValue(v)} at (${i}, ${j})`,
          );
        }
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /** The stored entries of a dense matrix that are not zero. */
  static fromDense(M: Matrix): CsrMatrix {
    if (!(M instanceof Matrix)) {
      throw new TypeError(`CsrMatrix.fromDense: M must be a Matrix, got ${formatValue(M)}`);
    }
    const d = M.data;
    let nnz = 0;
    for (let t = 0; t < d.length; t++) if (d[t] !== 0) nnz++;
    const indptr = new Int32Array(M.rows + 1);
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    let t = 0;
    for (let i = 0; i < M.rows; i++) {
      for (let j = 0; j < M.cols; j++) {
        const v = d[i * M.cols + j] as number;
        if (v !== 0) {
          indices[t] = j;
          values[t] = v;
          t++;
        }
      }
      indptr[i + 1] = t;
    }
    return new CsrMatrix(M.rows, M.cols, indptr, indices, values);
  }

  /**
   * Build from coordinate (row, column, value) triplets in any order; duplicates are summed and
   * zeros are kept as stored entries.
   *
   * @example
   * ```ts
   * import { CsrMatrix } from "../mod.ts";
   * import assert from "node:assert/strict";
   * const V = CsrMatrix.fromCoo(2, 3, { rows: [1, 0, 1], cols: [2, 1, 2], values: [1, 5, 2] });
   * assert.deepEqual(V.toDense().toRows(), [[0, 5, 0], [0, 0, 3]]);
   * ```
   */
  static fromCoo(
    rows: number,
    cols: number,
    triplets: {
      rows: ArrayLike<number>;
      cols: ArrayLike<number>;
      values: ArrayLike<number>;
    },
  ): CsrMatrix {
    checkSize("rows", rows);
    checkSize("cols", cols);
    const r = triplets.rows, c = triplets.cols, v = triplets.values;
    const count = v.length;
    if (r.length !== count || c.length !== count) {
      fail(
        "triplets",
        `must have rows, cols and values of equal length, got ${r.length}, ${c.length}, ${count}`,
      );
    }
    const order = new Int32Array(count);
    for (let t = 0; t < count; t++) {
      const i = r[t] as number, j = c[t] as number;
      if (!Number.isInteger(i) || i < 0 || i >= rows) {
        throw new RangeError(`CsrMatrix.fromCoo: row ${formatValue(i)} outside 0…${rows - 1}`);
      }
      if (!Number.isInteger(j) || j < 0 || j >= cols) {
        throw new RangeError(`CsrMatrix.fromCoo: column ${formatValue(j)} outside 0…${cols - 1}`);
      }
      order[t] = t;
    }
    order.sort((a, b) =>
      ((r[a] as number) - (r[b] as number)) || ((c[a] as number) - (c[b] as number))
    );
    const indptr = new Int32Array(rows + 1);
    const indicesTmp = new Int32Array(count);
    const valuesTmp = new Float64Array(count);
    let nnz = 0, lastRow = -1, lastCol = -1;
    for (let s = 0; s < count; s++) {
      const t = order[s] as number;
      const i = r[t] as number, j = c[t] as number;
      if (i === lastRow && j === lastCol) {
        valuesTmp[nnz - 1] = (valuesTmp[nnz - 1] as number) + (v[t] as number);
      } else {
        indicesTmp[nnz] = j;
        valuesTmp[nnz] = v[t] as number;
        nnz++;
        indptr[i + 1] = (indptr[i + 1] as number) + 1;
        lastRow = i;
        lastCol = j;
      }
    }
    for (let i = 0; i < rows; i++) {
      indptr[i + 1] = (indptr[i + 1] as number) + (indptr[i] as number);
    }
    return new CsrMatrix(rows, cols, indptr, indicesTmp.slice(0, nnz), valuesTmp.slice(0, nnz));
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.values.length;
  }

  /** Fraction of entries stored, nnz / (rows · cols) (0 for an empty shape). */
  get density(): number {
    const size = this.rows * this.cols;
    return size === 0 ? 0 : this.nnz / size;
  }

  /** A matrix with the same pattern (indptr, indices shared, not copied) and new values. */
  withValues(values: Float64Array): CsrMatrix {
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, values);
  }

  /** The dense copy. */
  toDense(): Matrix {
    const M = Matrix.zeros(this.rows, this.cols);
    const d = M.data;
    for (let i = 0; i < this.rows; i++) {
      for (let t = this.indptr[i] as number; t < (this.indptr[i + 1] as number); t++) {
        d[i * this.cols + (this.indices[t] as number)] = this.values[t] as number;
      }
    }
    return M;
  }

  /** The transpose, as a new CSR matrix (the CSC form of this one). */
  transpose(): CsrMatrix {
    const nnz = this.nnz;
    const indptr = new Int32Array(this.cols + 1);
    for (let t = 0; t < nnz; t++) {
      const j = this.indices[t] as number;
      indptr[j + 1] = (indptr[j + 1] as number) + 1;
    }
    for (let j = 0; j < this.cols; j++) {
      indptr[j + 1] = (indptr[j + 1] as number) + (indptr[j] as number);
    }
    const next = indptr.slice(0, this.cols);
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    for (let i = 0; i < this.rows; i++) {
      for (let t = this.indptr[i] as number; t < (this.indptr[i + 1] as number); t++) {
        const j = this.indices[t] as number;
        const s = next[j] as number;
        next[j] = s + 1;
        indices[s] = i;
        values[s] = this.values[t] as number;
      }
    }
    return new CsrMatrix(this.cols, this.rows, indptr, indices, values);
  }

  /** ‖V‖_F, from the stored values. */
  frobeniusNorm(): number {
    let s = 0;
    for (let t = 0; t < this.values.length; t++) s += (this.values[t] as number) ** 2;
    return Math.sqrt(s);
  }

  /** Smallest entry, counting the implicit zeros (NaN-free by construction). */
  min(): number {
    let low = this.nnz < this.rows * this.cols ? 0 : Infinity;
    for (let t = 0; t < this.values.length; t++) low = Math.min(low, this.values[t] as number);
    return low;
  }
}

/** Options of the sparse products: `out ← alpha · product + beta · out`. */
export interface CsrProductOptions {
  /** Scale of the product. @default 1 */
  alpha?: number;
  /** Scale of the previous content of `out` (0 overwrites it). @default 0 */
  beta?: number;
}

function scaleOut(out: Matrix, beta: number): void {
  const o = out.data;
  if (beta === 0) o.fill(0);
  else if (beta !== 1) { for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) * beta; }
}

function shape(name: string, M: Matrix, rows: number, cols: number): void {
  if (!(M instanceof Matrix)) {
    throw new TypeError(`${name} must be a Matrix, got ${formatValue(M)}`);
  }
  if (M.rows !== rows || M.cols !== cols) {
    throw new TypeError(`${name} is ${M.rows}×${M.cols}, expected ${rows}×${cols}`);
  }
}

function checkCsr(name: string, V: unknown): asserts V is CsrMatrix {
  if (!(V instanceof CsrMatrix)) {
    throw new TypeError(`${name} must be a CsrMatrix, got ${formatValue(V)}`);
  }
}

/**
 * `out ← alpha · V · op(B) + beta · out` for sparse V (m×n): op(B) is B (n×p) or, with
 * `transB`, Bᵀ for B stored p×n — so `csrMatmulInto(VHt, V, H, { transB: true })` is VHᵀ.
 * Costs O(nnz · p).
 *
 * @example
 * ```ts
 * import { CsrMatrix, csrMatmulInto, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = CsrMatrix.fromDense(Matrix.fromRows([[1, 0], [0, 2]]));
 * const H = Matrix.fromRows([[1, 2], [3, 4], [5, 6]]); // 3×2
 * const out = Matrix.zeros(2, 3);
 * csrMatmulInto(out, V, H, { transB: true });
 * assert.deepEqual(out.toRows(), [[1, 3, 5], [4, 8, 12]]);
 * ```
 */
export function csrMatmulInto(
  out: Matrix,
  V: CsrMatrix,
  B: Matrix,
  options: CsrProductOptions & {
    /** Use Bᵀ (B stored p×n) instead of B (n×p). @default false */
    transB?: boolean;
  } = {},
): Matrix {
  checkCsr("csrMatmulInto: V", V);
  const transB = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const p = transB ? B.rows : B.cols;
  shape("csrMatmulInto: B", B, transB ? p : V.cols, transB ? V.cols : p);
  shape("csrMatmulInto: out", out, V.rows, p);
  const beta = options.beta ?? 0;
  if (csrSimdInto(out.data, V, B.data, p, transB, false, false, alpha, beta)) return out;
  scaleOut(out, beta);
  const n = V.cols;
  const o = out.data, ptr = V.indptr, idx = V.indices, val = V.values;
  // With transB, gather Bᵀ (n×p) first so the inner loop runs over contiguous rows.
  const b = transB ? transposeToScratch(B.data, p, n) : B.data;
  for (let i = 0; i < V.rows; i++) {
    const start = ptr[i] as number, end = ptr[i + 1] as number;
    const oi = i * p;
    for (let t = start; t < end; t++) {
      const s = alpha * (val[t] as number), bj = (idx[t] as number) * p;
      for (let a = 0; a < p; a++) o[oi + a] = (o[oi + a] as number) + s * (b[bj + a] as number);
    }
  }
  return out;
}

let scratch = new Float64Array(0);

function scratchOf(length: number): Float64Array {
  if (scratch.length < length) scratch = new Float64Array(length);
  return scratch;
}

/** The transpose of a rows×cols row-major array, in the module's scratch buffer (cols×rows). */
function transposeToScratch(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = scratchOf(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c] as number;
  }
  return t;
}

/**
 * `out ← alpha · Vᵀ · B + beta · out` for sparse V (m×n) and B (m×p): out is n×p. With
 * `transOut`, out is p×n and receives the transpose, Bᵀ · V — so
 * `csrTransposeMatmulInto(WtV, V, W, { transOut: true })` is WᵀV. Costs O(nnz · p).
 *
 * @example
 * ```ts
 * import { CsrMatrix, csrTransposeMatmulInto, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = CsrMatrix.fromDense(Matrix.fromRows([[1, 0], [0, 2]]));
 * const W = Matrix.fromRows([[1, 2], [3, 4]]);
 * const WtV = Matrix.zeros(2, 2);
 * csrTransposeMatmulInto(WtV, V, W, { transOut: true });
 * assert.deepEqual(WtV.toRows(), [[1, 6], [2, 8]]);
 * ```
 */
export function csrTransposeMatmulInto(
  out: Matrix,
  V: CsrMatrix,
  B: Matrix,
  options: CsrProductOptions & {
    /** Write Bᵀ·V (p×n) instead of Vᵀ·B (n×p). @default false */
    transOut?: boolean;
  } = {},
): Matrix {
  checkCsr("csrTransposeMatmulInto: V", V);
  const transOut = options.transOut ?? false;
  const alpha = options.alpha ?? 1;
  const p = B.cols, n = V.cols;
  shape("csrTransposeMatmulInto: B", B, V.rows, p);
  shape("csrTransposeMatmulInto: out", out, transOut ? p : n, transOut ? n : p);
  const beta = options.beta ?? 0;
  if (csrSimdInto(out.data, V, B.data, p, false, true, transOut, alpha, beta)) return out;
  scaleOut(out, beta);
  const b = B.data, ptr = V.indptr, idx = V.indices, val = V.values;
  // With transOut, accumulate Vᵀ·B (n×p, contiguous rows) in scratch, then add its transpose.
  const o = transOut ? scratchOf(n * p).fill(0, 0, n * p) : out.data;
  const scale = transOut ? 1 : alpha;
  for (let i = 0; i < V.rows; i++) {
    const start = ptr[i] as number, end = ptr[i + 1] as number;
    const bi = i * p;
    for (let t = start; t < end; t++) {
      const s = scale * (val[t] as number), oj = (idx[t] as number) * p;
      for (let a = 0; a < p; a++) o[oj + a] = (o[oj + a] as number) + s * (b[bi + a] as number);
    }
  }
  if (transOut) {
    const d = out.data;
    for (let a = 0; a < p; a++) {
      for (let j = 0; j < n; j++) {
        d[a * n + j] = (d[a * n + j] as number) + alpha * (o[j * p + a] as number);
      }
    }
  }
  return out;
}

/**
 * The model WH evaluated only at the stored entries of `out` (whose pattern is V's, e.g.
 * `V.withValues(new Float64Array(V.nnz))`): `out.values[t] = Σ_a W[i, a] · H[a, j]` for the
 * stored entry t = (i, j). Costs O(nnz · k); the dense m×n product is never formed.
 *
 * @example
 * ```ts
 * import { CsrMatrix, Matrix, sampledProductInto } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = CsrMatrix.fromDense(Matrix.fromRows([[0, 5], [7, 0]]));
 * const model = V.withValues(new Float64Array(V.nnz));
 * sampledProductInto(model, Matrix.fromRows([[1], [2]]), Matrix.fromRows([[3, 4]]));
 * assert.deepEqual([...model.values], [4, 6]); // (WH)[0,1] = 4, (WH)[1,0] = 6
 * ```
 */
export function sampledProductInto(out: CsrMatrix, W: Matrix, H: Matrix): CsrMatrix {
  checkCsr("sampledProductInto: out", out);
  const k = W.cols, n = out.cols;
  shape("sampledProductInto: W", W, out.rows, k);
  shape("sampledProductInto: H", H, k, n);
  const w = W.data, ptr = out.indptr, idx = out.indices, val = out.values;
  const ht = transposeToScratch(H.data, k, n); // Hᵀ, n×k: column j of H is contiguous
  for (let i = 0; i < out.rows; i++) {
    const wi = i * k;
    for (let t = ptr[i] as number; t < (ptr[i + 1] as number); t++) {
      const hj = (idx[t] as number) * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += (w[wi + a] as number) * (ht[hj + a] as number);
      val[t] = s;
    }
  }
  return out;
}

/** Work buffers of {@linkcode csrBetaDivergence}, reusable across calls with the same V and k. */
export interface CsrDivergenceWork {
  /** WH sampled at the pattern of V. */
  readonly model: CsrMatrix;
  /** k×k Gram matrices WᵀW and HHᵀ. */
  readonly WtW: Matrix;
  readonly HHt: Matrix;
  /** One dense row of WH (general β only). */
  readonly row: Float64Array;
}

/** Allocate the work buffers of {@linkcode csrBetaDivergence} for V and rank k. */
export function createCsrDivergenceWork(V: CsrMatrix, k: number): CsrDivergenceWork {
  checkCsr("createCsrDivergenceWork: V", V);
  return {
    model: V.withValues(new Float64Array(V.nnz)),
    WtW: Matrix.zeros(k, k),
    HHt: Matrix.zeros(k, k),
    row: new Float64Array(V.cols),
  };
}

/** Options of {@linkcode csrBetaDivergence}. */
export interface CsrDivergenceOptions {
  /** The numeric β (2 Frobenius, 1 Kullback–Leibler; β ≤ 0 needs V without implicit zeros). */
  beta: number;
  /** Preallocated buffers from {@linkcode createCsrDivergenceWork}. @default allocated per call */
  work?: CsrDivergenceWork;
}

function smallGramInto(out: Matrix, A: Matrix, transpose: boolean): void {
  // k×k Gram matrix of a tall (or wide) factor; small, so a direct loop is enough.
  const k = out.rows, d = A.data, o = out.data;
  o.fill(0);
  if (!transpose) {
    const m = A.rows;
    for (let i = 0; i < m; i++) {
      const ri = i * k;
      for (let a = 0; a < k; a++) {
        const x = d[ri + a] as number;
        if (x === 0) continue;
        for (let b = a; b < k; b++) {
          o[a * k + b] = (o[a * k + b] as number) + x * (d[ri + b] as number);
        }
      }
    }
  } else {
    const n = A.cols;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (d[a * n + j] as number) * (d[b * n + j] as number);
        o[a * k + b] = s;
      }
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) o[a * k + b] = o[b * k + a] as number;
}

/**
 * D_β(V | WH) for sparse V, in the convention of `betaDivergence` (β = 2 gives ½‖V − WH‖²), plus
 * ‖V − WH‖_F — without storing the dense model WH:
 * - every β: WH is sampled at the nonzeros (O(nnz·k)) and ‖WH‖² = ⟨WᵀW, HHᵀ⟩ (O((m+n)k²)), so
 *   ‖V − WH‖² = Σ_nz (v − wh)² + (‖WH‖² − Σ_nz wh²);
 * - β = 1: Σ_nz [v log(v/wh) − v] + Σ_all WH, with Σ_all WH = Σ_a (Σ_i W_ia)(Σ_j H_aj);
 * - other β > 0: the implicit zeros contribute d_β(0 | y) = y^β/β, summed over one dense row of
 *   WH at a time (O(m·n·k) time but O(n) memory).
 *
 * @example
 * ```ts
 * import { betaDivergence, CsrMatrix, csrBetaDivergence, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const dense = Matrix.fromRows([[0, 2], [3, 0]]);
 * const W = Matrix.fromRows([[1], [2]]), H = Matrix.fromRows([[1, 1]]);
 * const { divergence } = csrBetaDivergence(CsrMatrix.fromDense(dense), W, H, { beta: 1 });
 * assert.ok(Math.abs(divergence - betaDivergence(dense, W, H, 1)) < 1e-12);
 * ```
 */
export function csrBetaDivergence(
  V: CsrMatrix,
  W: Matrix,
  H: Matrix,
  options: CsrDivergenceOptions,
): { divergence: number; residualNorm: number } {
  checkCsr("csrBetaDivergence: V", V);
  const beta = options.beta;
  if (typeof beta !== "number" || !Number.isFinite(beta)) {
    throw new RangeError(
      `csrBetaDivergence: beta must be a finite number, got ${formatValue(beta)}`,
    );
  }
  const k = W.cols;
  shape("csrBetaDivergence: W", W, V.rows, k);
  shape("csrBetaDivergence: H", H, k, V.cols);
  const m = V.rows, n = V.cols;
  const implicitZeros = m * n - V.nnz;
  if (beta <= 0 && implicitZeros > 0) {
    throw new RangeError(
      `csrBetaDivergence: beta ${beta} ≤ 0 is infinite at zero entries, and V has ${implicitZeros} implicit zeros`,
    );
  }
  const work = options.work ?? createCsrDivergenceWork(V, k);
  sampledProductInto(work.model, W, H);
  smallGramInto(work.WtW, W, false);
  smallGramInto(work.HHt, H, true);
  let normWH2 = 0;
  for (let t = 0; t < k * k; t++) {
    normWH2 += (work.WtW.data[t] as number) * (work.HHt.data[t] as number);
  }
  const v = V.values, y = work.model.values;
  let onPattern = 0, modelOnPattern = 0, divergence = 0;
  for (let t = 0; t < v.length; t++) {
    const x = v[t] as number, wh = y[t] as number;
    onPattern += (x - wh) * (x - wh);
    modelOnPattern += wh * wh;
  }
  const residualNorm = Math.sqrt(onPattern + Math.max(0, normWH2 - modelOnPattern));
  if (beta === 2) {
    divergence = 0.5 * residualNorm * residualNorm;
  } else if (beta === 1) {
    for (let t = 0; t < v.length; t++) {
      const x = v[t] as number;
      if (x !== 0) divergence += x * Math.log(x / (y[t] as number)) - x;
    }
    const w = W.data, h = H.data;
    for (let a = 0; a < k; a++) {
      let colW = 0, rowH = 0;
      for (let i = 0; i < m; i++) colW += w[i * k + a] as number;
      for (let j = 0; j < n; j++) rowH += h[a * n + j] as number;
      divergence += colW * rowH;
    }
  } else if (implicitZeros === 0) {
    // Every entry is stored (the only case allowed for β ≤ 0): sum the terms directly.
    for (let t = 0; t < v.length; t++) {
      divergence += divergenceTerm(v[t] as number, y[t] as number, beta);
    }
  } else {
    // Σ_nz d(v | wh) + Σ_zeros d(0 | wh) = Σ_nz [d(v | wh) − wh^β/β] + Σ_all wh^β/β.
    for (let t = 0; t < v.length; t++) {
      const x = v[t] as number, wh = y[t] as number;
      divergence += divergenceTerm(x, wh, beta) - Math.pow(wh, beta) / beta;
    }
    const row = work.row, w = W.data, h = H.data;
    let all = 0;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let a = 0; a < k; a++) {
        const s = w[i * k + a] as number, ha = a * n;
        if (s === 0) continue;
        for (let j = 0; j < n; j++) row[j] = (row[j] as number) + s * (h[ha + j] as number);
      }
      for (let j = 0; j < n; j++) all += Math.pow(row[j] as number, beta);
    }
    divergence += all / beta;
  }
  return { divergence, residualNorm };
}

function divergenceTerm(x: number, y: number, beta: number): number {
  if (beta === 0) return x / y - Math.log(x / y) - 1;
  if (x === 0) return Math.pow(y, beta) / beta;
  return (Math.pow(x, beta) + (beta - 1) * Math.pow(y, beta) - beta * x * Math.pow(y, beta - 1)) /
    (beta * (beta - 1));
}
