/**
 * The dense matrix type of nmflab: one flat row-major `Float64Array` plus its shape.
 *
 * Entry (i, j) lives at `data[i * cols + j]`. There are no arrays of rows anywhere in the
 * library: kernels walk `data` directly, and a `Matrix` can wrap an existing buffer without a
 * copy (`Matrix.from`).
 *
 * @module
 */

/** Format a number for an error message: short, but exact enough to find the value. */
export function formatValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Matrix) return `a ${value.rows}×${value.cols} Matrix`;
  if (typeof value === "function") return "a function";
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "object") return "an object";
  return String(value);
}

function checkDimension(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(
      `Matrix: ${name} must be a non-negative integer, got ${formatValue(value)}`,
    );
  }
  if (value < 0) {
    throw new RangeError(`Matrix: ${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/**
 * A dense real matrix stored row-major in one `Float64Array`.
 *
 * @example Build, read and multiply
 * ```ts
 * import { Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const V = Matrix.fromRows([[1, 2], [3, 4]]);
 * assert.equal(V.rows, 2);
 * assert.equal(V.get(1, 0), 3);
 * assert.deepEqual(V.multiply(Matrix.identity(2)).toRows(), [[1, 2], [3, 4]]);
 * ```
 */
export class Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The entries, row-major: entry (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;

  /**
   * Wrap `data` (not copied) as a `rows`×`cols` matrix.
   * Prefer the static constructors, which validate their input.
   */
  constructor(data: Float64Array, rows: number, cols: number) {
    checkDimension("rows", rows);
    checkDimension("cols", cols);
    if (!(data instanceof Float64Array)) {
      throw new TypeError(`Matrix: data must be a Float64Array, got ${formatValue(data)}`);
    }
    if (data.length !== rows * cols) {
      throw new TypeError(
        `Matrix: data has length ${data.length}, expected rows × cols = ${rows} × ${cols} = ${
          rows * cols
        }`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /**
   * A matrix over `data` (row-major). A `Float64Array` is wrapped without copying; any other
   * array-like of numbers is copied.
   */
  static from(data: ArrayLike<number>, rows: number, cols: number): Matrix {
    if (data === null || typeof data !== "object" || typeof data.length !== "number") {
      throw new TypeError(
        `Matrix.from: data must be a Float64Array or an array of numbers, got ${formatValue(data)}`,
      );
    }
    if (data instanceof Float64Array) return new Matrix(data, rows, cols);
    const copy = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== "number") {
        throw new TypeError(
          `Matrix.from: data[${i}] must be a number, got ${formatValue(v)}`,
        );
      }
      copy[i] = v;
    }
    return new Matrix(copy, rows, cols);
  }

  /** A matrix from an array of equally long rows of numbers (copied). */
  static fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
    if (rows === null || typeof rows !== "object" || typeof rows.length !== "number") {
      throw new TypeError(
        `Matrix.fromRows: rows must be an array of arrays of numbers, got ${formatValue(rows)}`,
      );
    }
    const m = rows.length;
    if (m === 0) return new Matrix(new Float64Array(0), 0, 0);
    const first = rows[0];
    if (first === null || typeof first !== "object" || typeof first.length !== "number") {
      throw new TypeError(
        `Matrix.fromRows: rows[0] must be an array of numbers, got ${formatValue(first)}`,
      );
    }
    const n = first.length;
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      if (row === null || typeof row !== "object" || typeof row?.length !== "number") {
        throw new TypeError(
          `Matrix.fromRows: rows[${i}] must be an array of numbers, got ${formatValue(row)}`,
        );
      }
      if (row.length !== n) {
        throw new TypeError(
          `Matrix.fromRows: rows[${i}] has length ${row.length}, expected ${n} (the length of rows[0])`,
        );
      }
      for (let j = 0; j < n; j++) {
        const v = row[j];
        if (typeof v !== "number") {
          throw new TypeError(
            `Matrix.fromRows: rows[${i}][${j}] must be a number, got ${formatValue(v)}`,
          );
        }
        data[i * n + j] = v;
      }
    }
    return new Matrix(data, m, n);
  }

  /** A `rows`×`cols` matrix of zeros. */
  static zeros(rows: number, cols: number): Matrix {
    checkDimension("rows", rows);
    checkDimension("cols", cols);
    return new Matrix(new Float64Array(rows * cols), rows, cols);
  }

  /** A `rows`×`cols` matrix with every entry equal to `value`. */
  static filled(rows: number, cols: number, value: number): Matrix {
    const M = Matrix.zeros(rows, cols);
    M.data.fill(value);
    return M;
  }

  /** The `n`×`n` identity. */
  static identity(n: number): Matrix {
    const M = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) M.data[i * n + i] = 1;
    return M;
  }

  /** A matrix whose entry (i, j) is `f(i, j)`. */
  static generate(rows: number, cols: number, f: (i: number, j: number) => number): Matrix {
    const M = Matrix.zeros(rows, cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) M.data[i * cols + j] = f(i, j);
    }
    return M;
  }

  /** Number of entries, rows × cols. */
  get size(): number {
    return this.data.length;
  }

  /** The shape as `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Entry (i, j). Indices are not bounds-checked beyond what the typed array does. */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j] as number;
  }

  /** Set entry (i, j) to `value`. */
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** A deep copy. */
  clone(): Matrix {
    return new Matrix(this.data.slice(), this.rows, this.cols);
  }

  /** A new matrix holding the transpose. */
  transpose(): Matrix {
    const { rows: m, cols: n, data } = this;
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) out[j * m + i] = data[i * n + j] as number;
    }
    return new Matrix(out, n, m);
  }

  /** Row i as a new `Float64Array`. */
  row(i: number): Float64Array {
    return this.data.slice(i * this.cols, (i + 1) * this.cols);
  }

  /** Column j as a new `Float64Array`. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j] as number;
    return out;
  }

  /** The rows as plain arrays (for printing and tests; not used by kernels). */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** The matrix product `this · other` (a new matrix). */
  multiply(other: Matrix): Matrix {
    if (this.cols !== other.rows) {
      throw new TypeError(
        `Matrix.multiply: shapes ${this.rows}×${this.cols} and ${other.rows}×${other.cols} do not conform`,
      );
    }
    const m = this.rows, k = this.cols, n = other.cols;
    const out = new Float64Array(m * n);
    const a = this.data, b = other.data;
    for (let i = 0; i < m; i++) {
      const oi = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p] as number;
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          out[oi + j] = (out[oi + j] as number) + aip * (b[bp + j] as number);
        }
      }
    }
    return new Matrix(out, m, n);
  }

  /** A new matrix with `f` applied to every entry. */
  map(f: (value: number, i: number, j: number) => number): Matrix {
    const out = new Float64Array(this.data.length);
    const n = this.cols;
    for (let idx = 0; idx < out.length; idx++) {
      out[idx] = f(this.data[idx] as number, Math.floor(idx / n), idx % n);
    }
    return new Matrix(out, this.rows, this.cols);
  }

  /** Frobenius norm, computed with scaling so that it neither overflows nor underflows. */
  frobeniusNorm(): number {
    return scaledNorm(this.data);
  }

  /** Sum of all entries. */
  sum(): number {
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s += this.data[i] as number;
    return s;
  }

  /** Smallest entry (Infinity for an empty matrix). */
  min(): number {
    let v = Infinity;
    for (let i = 0; i < this.data.length; i++) v = Math.min(v, this.data[i] as number);
    return v;
  }

  /** Largest entry (-Infinity for an empty matrix). */
  max(): number {
    let v = -Infinity;
    for (let i = 0; i < this.data.length; i++) v = Math.max(v, this.data[i] as number);
    return v;
  }

  /** A short description, e.g. `Matrix 3×4`. */
  toString(): string {
    return `Matrix ${this.rows}×${this.cols}`;
  }

  /** Rich display in the Deno Jupyter kernel: a small HTML table (first 8 rows and columns). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const show = 8;
    const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
    let html = `<div><b>Matrix ${this.rows}×${this.cols}</b><table style="font-family:monospace">`;
    for (let i = 0; i < Math.min(this.rows, show); i++) {
      html += "<tr>";
      for (let j = 0; j < Math.min(this.cols, show); j++) html += `<td>${fmt(this.get(i, j))}</td>`;
      if (this.cols > show) html += "<td>…</td>";
      html += "</tr>";
    }
    if (this.rows > show) html += "<tr><td>⋮</td></tr>";
    html += "</table></div>";
    return { "text/html": html, "text/plain": this.toString() };
  }
}

/**
 * The Euclidean norm of `x`, accumulated with a running scale (as LAPACK's dnrm2) so that
 * entries near 1e-300 or 1e+300 give the right answer instead of 0 or Infinity.
 */
export function scaledNorm(x: ArrayLike<number>): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === 0) continue;
    const a = Math.abs(v);
    if (scale < a) {
      const r = scale / a;
      ssq = 1 + ssq * r * r;
      scale = a;
    } else {
      const r = a / scale;
      ssq += r * r;
    }
  }
  return scale * Math.sqrt(ssq);
}
