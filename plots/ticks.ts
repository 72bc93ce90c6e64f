/**
 * Tick labels for log axes written as plain numbers ("0.002", "3e-5"), never with SI prefixes
 * ("2m" reads as minutes, not 0.002). When the axis spans at least a decade, only ticks at 1, 2
 * and 5 times a power of ten are labelled, so the labels do not collide.
 *
 * @module
 */

/** A number in at most three significant digits, exponential outside [1e-3, 1e5). */
export function formatTick(d: number): string {
  if (d === 0) return "0";
  const a = Math.abs(d);
  if (a >= 1e-3 && a < 1e5) return String(+d.toPrecision(3));
  return (+d.toPrecision(3)).toExponential().replace("e+", "e");
}

/**
 * A `tickFormat` for a log axis whose data runs from `lo` to `hi` (both > 0).
 *
 * @example
 * ```ts
 * import { logTickFormat } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const f = logTickFormat(1e-4, 1);
 * assert.deepEqual([f(0.002), f(0.003), f(0.00005)], ["0.002", "", "5e-5"]);
 * ```
 */
export function logTickFormat(lo: number, hi: number): (d: number) => string {
  const sparse = hi / lo >= 10;
  return (d: number) => {
    if (sparse) {
      const mantissa = d / 10 ** Math.floor(Math.log10(d) + 1e-12);
      const m = Math.round(mantissa * 1000) / 1000;
      if (m !== 1 && m !== 2 && m !== 5) return "";
    }
    return formatTick(d);
  };
}
