/**
 * Reading the `fit` input: a CSV file (labels detected or forced) or a shipped data set, plus
 * the SHA-256 of the bytes read, so the manifest pins exactly what was fitted.
 *
 * @module
 */

import { csvParseRows } from "d3-dsv";
import type { Matrix } from "../linalg/matrix.ts";
import { parseMatrixCsv } from "../data/csv.ts";
import { DATASET_META, DATASET_NAMES, type DatasetName, loadDataset } from "../data/datasets.ts";

/** The matrix to fit with its labels and provenance. */
export interface FitInput {
  /** The data, all entries ≥ 0. */
  V: Matrix;
  /** One label per row, when the input has them. */
  rowLabels?: string[];
  /** One label per column, when the input has them. */
  colLabels?: string[];
  /** Name of the row-label column (the header's first cell). */
  rowLabelHeader?: string;
  /** Short name used for the default output folder. */
  name: string;
  /** For the manifest: where the matrix came from and the SHA-256 of each file read. */
  source: {
    kind: "file" | "dataset";
    path: string;
    sha256: string;
    header: boolean;
    rowLabels: boolean;
    files?: Record<string, string>;
  };
}

/** Lowercase hex SHA-256 of some bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const NON_FINITE = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;
const numeric = (cell: string) => NUMBER.test(cell) || NON_FINITE.test(cell);

/**
 * Whether a CSV has a header line and a row-label column: a header when some cell of the first
 * line after its first is not a number (or its first cell is empty); row labels when some first
 * cell of a data line is not a number. Force either with `--header` / `--row-labels`.
 *
 * @example
 * ```ts
 * import { detectLabels } from "./input.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(detectLabels("gene,s1,s2\ng1,1,2\n"), { header: true, rowLabels: true });
 * assert.deepEqual(detectLabels("1,2\n3,4\n"), { header: false, rowLabels: false });
 * assert.deepEqual(detectLabels("a,b\n1,2\n"), { header: true, rowLabels: false });
 * ```
 */
export function detectLabels(text: string): { header: boolean; rowLabels: boolean } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = (csvParseRows(body) as string[][]).filter((r) =>
    !(r.length === 1 && r[0]?.trim() === "")
  );
  const first = rows[0];
  if (first === undefined) return { header: false, rowLabels: false };
  const header = first.slice(1).some((cell) => !numeric(cell)) || first[0]?.trim() === "";
  const data = rows.slice(header ? 1 : 0);
  const rowLabels = data.some((r) => r[0] !== undefined && !numeric(r[0]));
  return { header, rowLabels };
}

/** Read the CSV at `path`; `header` / `rowLabels` are "auto", "yes" or "no". */
export async function readFitCsv(
  path: string,
  options: { header?: string | undefined; rowLabels?: string | undefined },
): Promise<FitInput> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new RangeError(`${path}: no such file`);
    if (e instanceof Deno.errors.IsADirectory) {
      throw new RangeError(`${path}: is a folder, expected a CSV file`);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new RangeError(`${path}: permission denied`);
    }
    throw e;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new TypeError(`${path}: is not UTF-8 text, expected a CSV file`);
  }
  const detected = detectLabels(text);
  const header = options.header === "yes" ||
    ((options.header ?? "auto") === "auto" && detected.header);
  const rowLabels = options.rowLabels === "yes" ||
    ((options.rowLabels ?? "auto") === "auto" && detected.rowLabels);
  const parsed = parseMatrixCsv(text, { header, rowLabels, source: path });
  const V = parsed.matrix;
  for (let i = 0; i < V.size; i++) {
    const v = V.data[i] as number;
    if (v < 0) {
      const r = Math.floor(i / V.cols), c = i % V.cols;
      throw new RangeError(
        `${path}: row ${r + 1 + (header ? 1 : 0)}, column ${
          c + 1 + (rowLabels ? 1 : 0)
        } holds the negative value ${v}; NMF needs every entry ≥ 0`,
      );
    }
  }
  const name = path.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "") || "input";
  const input: FitInput = {
    V,
    name,
    source: { kind: "file", path, sha256: await sha256Hex(bytes), header, rowLabels },
  };
  if (parsed.rowLabels) input.rowLabels = parsed.rowLabels;
  if (parsed.colLabels) input.colLabels = parsed.colLabels;
  if (parsed.rowLabelHeader !== undefined) input.rowLabelHeader = parsed.rowLabelHeader;
  return input;
}

/** Load a shipped data set and hash its CSV files. */
export async function readFitDataset(name: string): Promise<FitInput> {
  if (!(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(
      `--dataset must be one of ${DATASET_NAMES.join(", ")}, got ${JSON.stringify(name)}`,
    );
  }
  const ds = loadDataset(name as DatasetName);
  const files: Record<string, string> = {};
  for (const file of DATASET_META[name as DatasetName].files) {
    files[file] = await sha256Hex(await Deno.readFile(new URL(`../data/${file}`, import.meta.url)));
  }
  const main = DATASET_META[name as DatasetName].files[0] as string;
  return {
    V: ds.V,
    rowLabels: ds.rowLabels,
    colLabels: ds.colLabels,
    rowLabelHeader: "",
    name,
    source: {
      kind: "dataset",
      path: `data/${main}`,
      sha256: files[main] as string,
      header: true,
      rowLabels: true,
      files,
    },
  };
}
