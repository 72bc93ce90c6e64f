/**
 * Argument checks shared by the research functions: each throws a TypeError (wrong type or
 * shape) or a RangeError (out of range) whose message names the function, the argument, the
 * bad value and what was expected.
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";

/** Throw unless `value` is a Matrix. */
export function checkMatrix(caller: string, name: string, value: unknown): asserts value is Matrix {
  if (!(value instanceof Matrix)) {
    throw new TypeError(`${caller}: ${name} must be a Matrix, got ${formatValue(value)}`);
  }
}

/** Throw unless `value` is a square Matrix of finite, symmetric, non-negative entries. */
export function checkDistanceMatrix(caller: string, name: string, value: unknown): Matrix {
  checkMatrix(caller, name, value);
  const D = value;
  if (D.rows !== D.cols || D.rows === 0) {
    throw new TypeError(
      `${caller}: ${name} must be a non-empty square matrix, got ${D.rows}×${D.cols}`,
    );
  }
  const n = D.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = D.data[i * n + j] as number;
      if (!(d >= 0) || d === Infinity) {
        throw new RangeError(
          `${caller}: ${name} must hold finite non-negative distances, got ${name}[${i}][${j}] = ${
            formatValue(d)
          }`,
        );
      }
      const e = D.data[j * n + i] as number;
      if (Math.abs(d - e) > 1e-12 * Math.max(1, Math.abs(d))) {
        throw new RangeError(
          `${caller}: ${name} must be symmetric, got ${name}[${i}][${j}] = ${d} but ${name}[${j}][${i}] = ${e}`,
        );
      }
    }
  }
  return D;
}

/** Throw unless `value` is an integer ≥ `min` (and ≤ `max` when given). */
export function checkInteger(
  caller: string,
  name: string,
  value: unknown,
  min: number,
  max = Infinity,
): number {
  if (typeof value !== "number") {
    throw new TypeError(`${caller}: ${name} must be an integer, got ${formatValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(
      `${caller}: ${name} must be an integer ${range}, got ${formatValue(value)}`,
    );
  }
  return value;
}

/** Throw unless `value` is a finite number ≥ `min` (and ≤ `max` when given). */
export function checkNumber(
  caller: string,
  name: string,
  value: unknown,
  min: number,
  max = Infinity,
): number {
  if (typeof value !== "number") {
    throw new TypeError(`${caller}: ${name} must be a number, got ${formatValue(value)}`);
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(
      `${caller}: ${name} must be a finite number ${range}, got ${formatValue(value)}`,
    );
  }
  return value;
}

/** Throw unless `value` is an array of integer labels (any integers, e.g. cluster ids). */
export function checkLabels(caller: string, name: string, value: unknown): readonly number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new TypeError(
      `${caller}: ${name} must be an array of integer labels, got ${formatValue(value)}`,
    );
  }
  const labels = value as ArrayLike<unknown>;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new TypeError(
        `${caller}: ${name} must hold integer labels, got ${name}[${i}] = ${formatValue(v)}`,
      );
    }
  }
  return Array.from(labels as ArrayLike<number>);
}

/** Throw if `options` is not an object or names a key outside `allowed`. */
export function checkOptionKeys(
  caller: string,
  options: unknown,
  allowed: readonly string[],
): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${caller}: options must be an object, got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(
        `${caller}: unknown option ${JSON.stringify(key)}; valid options are ${allowed.join(", ")}`,
      );
    }
  }
}
