/**
 * Moving NMF inputs and results between threads: structured cloning keeps typed arrays and
 * plain objects but drops classes, so every `Matrix` is sent as `{ __matrix: true, data, rows,
 * cols }` and rebuilt on arrival. Used by {@linkcode nmfRunsAsync} and its worker.
 *
 * @module
 */

import { Matrix } from "../linalg/matrix.ts";

/** A message to a run worker. */
export interface RunRequest {
  index: number;
  V: unknown;
  options: unknown;
  seed: number;
}

/** A worker's answer: a result or the error it threw. */
export interface RunReply {
  index: number;
  result?: unknown;
  error?: { name: string; message: string };
}

/** Replace every Matrix (at any depth of arrays and plain objects) by a cloneable record. */
export function toTransfer(value: unknown): unknown {
  if (value instanceof Matrix) {
    return { __matrix: true, data: value.data, rows: value.rows, cols: value.cols };
  }
  if (Array.isArray(value)) return value.map(toTransfer);
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toTransfer(v);
    return out;
  }
  return value;
}

/** Undo {@linkcode toTransfer}. */
export function fromTransfer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTransfer);
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const record = value as Record<string, unknown>;
    if (record.__matrix === true) {
      return new Matrix(record.data as Float64Array, record.rows as number, record.cols as number);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = fromTransfer(v);
    return out;
  }
  return value;
}
