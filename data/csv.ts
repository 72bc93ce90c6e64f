/**
 * Reading and writing matrices as CSV, on `d3-dsv` (RFC 4180 quoting).
 *
 * A matrix file may carry a header line of column labels and a first column of row labels:
 *
 * ```text
 * pixel,img0,img1        ← header: the first cell names the label column
 * r0c0,0,3               ← row label, then the values
 * r0c1,5,16
 * ```
 *
 * Errors name the place in the file as a spreadsheet would show it: rows are counted from 1 at
 * the top (the header is row 1) and columns from 1 at the left (the label column is column 1).
 * Bad structure or text (ragged rows, non-numeric cells, empty files) throws a `TypeError`; values
 * out of range (NaN, ±Infinity, negatives under `nonNegative: true`) throw a `RangeError`.
 *
 * Parsing and formatting are pure; only {@linkcode readMatrixCsv} and {@linkcode writeMatrixCsv}
 * touch the file system.
 *
 * @module
 */

import { csvFormatRows, csvParseRows } from "d3-dsv";
import { formatValue, Matrix } from "../linalg/matrix.ts";

/** Options of {@linkcode parseMatrixCsv} and {@linkcode readMatrixCsv}. */
export interface ParseMatrixCsvOptions {
  /** The first line holds column labels (its first cell names the row-label column if any). @default false */
  header?: boolean;
  /** The first column holds row labels. @default false */
  rowLabels?: boolean;
  /** Reject negative entries (NMF data must be ≥ 0). @default false */
  nonNegative?: boolean;
  /** Name of the input used in error messages, e.g. a file path. @default "CSV" */
  source?: string;
}

/** A parsed matrix CSV. Label arrays are present only when the options asked for them. */
export interface MatrixCsv {
  /** The numeric part of the file. */
  matrix: Matrix;
  /** Row labels (first column), when `rowLabels: true`. */
  rowLabels?: string[];
  /** Column labels (header line, without the label column's name), when `header: true`. */
  colLabels?: string[];
  /** The header's first cell (the name of the row-label column), when both options are set. */
  rowLabelHeader?: string;
}

// A plain decimal number: optional sign, digits with optional fraction, optional exponent.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Parse CSV text into a {@linkcode Matrix}, with optional header and row labels.
 *
 * @param text the CSV text (a leading byte-order mark is ignored; `\n` or `\r\n` line ends)
 * @param options what the first line and first column hold, and what values are allowed
 * @example
 * ```ts
 * import { parseMatrixCsv } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const { matrix, rowLabels, colLabels } = parseMatrixCsv("gene,s1,s2\ng1,1,2\ng2,3,4\n", {
 *   header: true,
 *   rowLabels: true,
 *   nonNegative: true,
 * });
 * assert.deepEqual(matrix.toRows(), [[1, 2], [3, 4]]);
 * assert.deepEqual(rowLabels, ["g1", "g2"]);
 * assert.deepEqual(colLabels, ["s1", "s2"]);
 * assert.throws(() => parseMatrixCsv("1,2\n3\n"), /row 2 has 1 cell, expected 2/);
 * ```
 */
export function parseMatrixCsv(text: string, options: ParseMatrixCsvOptions = {}): MatrixCsv {
  const source = options.source ?? "CSV";
  if (typeof text !== "string") {
    throw new TypeError(`parseMatrixCsv: text must be a string, got ${formatValue(text)}`);
  }
  const header = options.header ?? false;
  const hasRowLabels = options.rowLabels ?? false;
  const nonNegative = options.nonNegative ?? false;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = csvParseRows(body);
  // Blank lines at the end of a file are not data.
  while (rows.length > 0 && isBlank(rows[rows.length - 1] as string[])) rows.pop();
  if (rows.length === 0) {
    throw new TypeError(
      `${source}: the file is empty, expected ${
        header ? "a header line and " : ""
      }at least one row of numbers`,
    );
  }
  const width = (rows[0] as string[]).length;
  const firstValueColumn = hasRowLabels ? 1 : 0;
  if (width <= firstValueColumn) {
    throw new TypeError(
      `${source}: row 1 has ${plural(width, "cell")}, expected at least ${
        firstValueColumn + 1
      } (a row label and one value)`,
    );
  }
  let colLabels: string[] | undefined;
  let rowLabelHeader: string | undefined;
  if (header) {
    const head = rows[0] as string[];
    colLabels = head.slice(firstValueColumn);
    if (hasRowLabels) rowLabelHeader = head[0] as string;
  }
  const start = header ? 1 : 0;
  const m = rows.length - start;
  if (m === 0) {
    throw new TypeError(`${source}: has a header line but no data rows`);
  }
  const n = width - firstValueColumn;
  const data = new Float64Array(m * n);
  const rowLabels: string[] = [];
  for (let r = start; r < rows.length; r++) {
    const cells = rows[r] as string[];
    const line = r + 1;
    if (cells.length !== width) {
      if (isBlank(cells)) {
        throw new TypeError(`${source}: row ${line} is blank, expected ${plural(width, "cell")}`);
      }
      throw new TypeError(
        `${source}: row ${line} has ${
          plural(cells.length, "cell")
        }, expected ${width} (as in row 1); rows must all have the same number of cells`,
      );
    }
    if (hasRowLabels) rowLabels.push(cells[0] as string);
    const offset = (r - start) * n;
    for (let c = firstValueColumn; c < width; c++) {
      const raw = cells[c] as string;
      const cell = raw.trim();
      const where = `${source}: row ${line}, column ${c + 1}${
        colLabels ? ` (${JSON.stringify(colLabels[c - firstValueColumn])})` : ""
      }`;
      if (cell === "") {
        throw new TypeError(`${where} is empty, expected a number`);
      }
      if (NON_FINITE.test(cell)) {
        throw new RangeError(`${where} holds ${JSON.stringify(raw)}, expected a finite number`);
      }
      if (!NUMBER.test(cell)) {
        throw new TypeError(`${where}: cannot read ${JSON.stringify(raw)} as a number`);
      }
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        throw new RangeError(
          `${where} holds ${
            JSON.stringify(raw)
          }, which overflows to ${value}; expected a finite number`,
        );
      }
      if (nonNegative && value < 0) {
        throw new RangeError(
          `${where} holds the negative value ${cell}, but nonNegative: true requires entries ≥ 0`,
        );
      }
      data[offset + c - firstValueColumn] = value;
    }
  }
  const result: MatrixCsv = { matrix: new Matrix(data, m, n) };
  if (hasRowLabels) result.rowLabels = rowLabels;
  if (colLabels) result.colLabels = colLabels;
  if (rowLabelHeader !== undefined) result.rowLabelHeader = rowLabelHeader;
  return result;
}

function isBlank(cells: string[]): boolean {
  return cells.length === 0 || (cells.length === 1 && (cells[0] as string).trim() === "");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Options of {@linkcode formatMatrixCsv} and {@linkcode writeMatrixCsv}. */
export interface FormatMatrixCsvOptions {
  /** Column labels for a header line (length = columns). @default undefined (no header line) */
  colLabels?: readonly string[];
  /** Row labels written as a first column (length = rows). @default undefined (no label column) */
  rowLabels?: readonly string[];
  /** Name of the row-label column in the header. @default "" */
  rowLabelHeader?: string;
  /**
   * Significant digits. Each value is rounded with ECMAScript `toPrecision(precision)` and then
   * written in the shortest form that reads back to the rounded value (`String(number)`), so
   * `0.28888887` → `0.288889`, `3` → `3`, `1.5e-7` → `1.5e-7`. Without it, the shortest form that
   * reads back to the exact double is written.
   * @default undefined (exact)
   */
  precision?: number;
}

/**
 * Write one number the way {@linkcode formatMatrixCsv} does.
 *
 * @example
 * ```ts
 * import { formatCsvNumber } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatCsvNumber(0.28888887, 6), "0.288889");
 * assert.equal(formatCsvNumber(16), "16");
 * assert.equal(formatCsvNumber(-0), "0");
 * ```
 */
export function formatCsvNumber(value: number, precision?: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`formatCsvNumber: value must be finite, got ${formatValue(value)}`);
  }
  const rounded = precision === undefined ? value : Number(value.toPrecision(precision));
  return rounded === 0 ? "0" : String(rounded);
}

/**
 * Format a matrix as CSV text (`\n` line ends, a final newline, RFC 4180 quoting of labels).
 *
 * @param M the matrix (every entry finite)
 * @param options labels and number format
 * @example
 * ```ts
 * import { formatMatrixCsv, Matrix, parseMatrixCsv } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const M = Matrix.fromRows([[1, 0.5], [2, 1e-9]]);
 * const text = formatMatrixCsv(M, { rowLabels: ["a", "b"], colLabels: ["x", "y"], rowLabelHeader: "id" });
 * assert.equal(text, "id,x,y\na,1,0.5\nb,2,1e-9\n");
 * const back = parseMatrixCsv(text, { header: true, rowLabels: true });
 * assert.deepEqual(back.matrix.toRows(), M.toRows());
 * ```
 */
export function formatMatrixCsv(M: Matrix, options: FormatMatrixCsvOptions = {}): string {
  if (!(M instanceof Matrix)) {
    throw new TypeError(`formatMatrixCsv: M must be a Matrix, got ${formatValue(M)}`);
  }
  const { colLabels, rowLabels, precision } = options;
  if (colLabels !== undefined && colLabels.length !== M.cols) {
    throw new TypeError(
      `formatMatrixCsv: colLabels has length ${colLabels.length}, expected ${M.cols} (the columns of M)`,
    );
  }
  if (rowLabels !== undefined && rowLabels.length !== M.rows) {
    throw new TypeError(
      `formatMatrixCsv: rowLabels has length ${rowLabels.length}, expected ${M.rows} (the rows of M)`,
    );
  }
  if (
    precision !== undefined &&
    (!Number.isInteger(precision) || precision < 1 || precision > 100)
  ) {
    throw new RangeError(
      `formatMatrixCsv: precision must be an integer in [1, 100], got ${formatValue(precision)}`,
    );
  }
  const out: string[][] = [];
  if (colLabels !== undefined) {
    out.push(
      rowLabels !== undefined ? [options.rowLabelHeader ?? "", ...colLabels] : [
        ...colLabels,
      ],
    );
  }
  for (let i = 0; i < M.rows; i++) {
    const cells: string[] = rowLabels !== undefined ? [rowLabels[i] as string] : [];
    for (let j = 0; j < M.cols; j++) {
      const v = M.data[i * M.cols + j] as number;
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `formatMatrixCsv: M(${i}, ${j}) is ${formatValue(v)}, expected a finite number`,
        );
      }
      cells.push(formatCsvNumber(v, precision));
    }
    out.push(cells);
  }
  return csvFormatRows(out) + "\n";
}

/**
 * Read a matrix CSV file (see {@linkcode parseMatrixCsv}). Needs `--allow-read`.
 *
 * @param path a file path or `file:` URL, e.g. `new URL("./my.csv", import.meta.url)`
 * @param options header, labels, and allowed values
 */
export function readMatrixCsv(path: string | URL, options: ParseMatrixCsvOptions = {}): MatrixCsv {
  const text = Deno.readTextFileSync(path);
  return parseMatrixCsv(text, { ...options, source: options.source ?? String(path) });
}

/**
 * Write a matrix to a CSV file (see {@linkcode formatMatrixCsv}). Needs `--allow-write`.
 *
 * @param path a file path or `file:` URL
 * @param M the matrix
 * @param options labels and number format
 */
export function writeMatrixCsv(
  path: string | URL,
  M: Matrix,
  options: FormatMatrixCsvOptions = {},
): void {
  Deno.writeTextFileSync(path, formatMatrixCsv(M, options));
}
