/**
 * Fitting a power law t ≈ c · sizeᵖ by least squares on log–log axes: the exponent p is the
 * slope of log t against log size. A dense NMF iteration costs O(m·n·k), so doubling n should
 * double the time per iteration (slope 1); a slope of 2 would reveal a quadratic step.
 *
 * @module
 */

/** The fitted line log₁₀ y = intercept + slope · log₁₀ x. */
export interface LogLogFit {
  /** The exponent p of y ≈ c·xᵖ. */
  slope: number;
  /** log₁₀ c. */
  intercept: number;
  /** Coefficient of determination of the fit on the log scale (1 = points on a line). */
  r2: number;
  /** How many (x, y) pairs were used. */
  count: number;
}

/**
 * Least-squares slope of log y against log x (both base 10).
 *
 * @example
 * ```ts
 * import { fitLogLogSlope } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const fit = fitLogLogSlope([10, 100, 1000], [0.02, 2, 200]); // y = 2e-4 · x²
 * assert.ok(Math.abs(fit.slope - 2) < 1e-12);
 * ```
 */
export function fitLogLogSlope(x: ArrayLike<number>, y: ArrayLike<number>): LogLogFit {
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw new TypeError(`fitLogLogSlope: x must be an array of numbers, got ${typeof x}`);
  }
  if (y === null || typeof y !== "object" || typeof y.length !== "number") {
    throw new TypeError(`fitLogLogSlope: y must be an array of numbers, got ${typeof y}`);
  }
  if (x.length !== y.length) {
    throw new RangeError(
      `fitLogLogSlope: x and y must have equal lengths, got ${x.length} and ${y.length}`,
    );
  }
  const n = x.length;
  if (n < 2) throw new RangeError(`fitLogLogSlope: need at least 2 points, got ${n}`);
  const lx = new Float64Array(n), ly = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number, yi = y[i] as number;
    if (!(xi > 0) || !Number.isFinite(xi)) {
      throw new RangeError(`fitLogLogSlope: x[${i}] must be a finite number > 0, got ${xi}`);
    }
    if (!(yi > 0) || !Number.isFinite(yi)) {
      throw new RangeError(`fitLogLogSlope: y[${i}] must be a finite number > 0, got ${yi}`);
    }
    lx[i] = Math.log10(xi);
    ly[i] = Math.log10(yi);
  }
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += lx[i] as number;
    my += ly[i] as number;
  }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (lx[i] as number) - mx, dy = (ly[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) {
    throw new RangeError("fitLogLogSlope: all x are equal; a slope needs at least two sizes");
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2, count: n };
}
