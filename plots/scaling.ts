/**
 * Time against problem size on log–log axes, with a fitted power law per method: a straight line
 * of slope p means time ∝ sizeᵖ. The slopes are printed in the legend.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { type Figure, renderFigure } from "./figure.ts";
import { categoryColor } from "./palette.ts";
import { fitLogLogSlope, type LogLogFit } from "./slope.ts";
import { logTickFormat } from "./ticks.ts";

/** One timing. */
export interface ScalingRecord {
  /** Problem size (e.g. n, or m·n·k). */
  size: number;
  /** Time in seconds. */
  seconds: number;
  /** Which method or backend. @default "time" */
  method?: string;
}

/** Options of {@linkcode scalingPlot}. */
export interface ScalingPlotOptions {
  /** Label of the x axis. @default "size" */
  sizeLabel?: string;
  /** Label of the y axis. @default "seconds" */
  timeLabel?: string;
  /** Title line above the chart (the fitted slopes are in the legend). @default "time ∝ size^p" */
  title?: string;
  /** Chart width in pixels (the legend is added to the right). @default 520 */
  width?: number;
  /** Chart height in pixels. @default 340 */
  height?: number;
}

/**
 * Log–log scatter of seconds against size, one colour per method, each with its least-squares
 * line; the legend reads e.g. "blas: slope 1.02".
 *
 * @example
 * ```ts
 * import { scalingPlot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const data = [100, 200, 400, 800].map((size) => ({ size, seconds: 1e-6 * size ** 2 }));
 * const fig = scalingPlot(data);
 * assert.match(fig.outerHTML, /slope 2\.00/);
 * ```
 */
export function scalingPlot(
  records: readonly ScalingRecord[],
  options: ScalingPlotOptions = {},
): Figure {
  if (!Array.isArray(records)) {
    throw new TypeError("scalingPlot: records must be an array of { size, seconds, method? }");
  }
  if (records.length === 0) throw new RangeError("scalingPlot: records must not be empty");
  const methods = [...new Set(records.map((r) => r.method ?? "time"))];
  const fits = new Map<string, LogLogFit>();
  for (const m of methods) {
    const group = records.filter((r) => (r.method ?? "time") === m);
    fits.set(m, fitLogLogSlope(group.map((r) => r.size), group.map((r) => r.seconds)));
  }
  const data = records.map((r) => ({
    size: r.size,
    seconds: r.seconds,
    method: r.method ?? "time",
  }));
  const lines: { size: number; seconds: number; method: string }[] = [];
  for (const m of methods) {
    const fit = fits.get(m) as LogLogFit;
    const sizes = data.filter((d) => d.method === m).map((d) => d.size);
    for (const s of [Math.min(...sizes), Math.max(...sizes)]) {
      lines.push({
        size: s,
        seconds: 10 ** (fit.intercept + fit.slope * Math.log10(s)),
        method: m,
      });
    }
  }
  const colors = methods.map((_, i) => categoryColor(i));
  const sizes = [...data.map((d) => d.size), ...lines.map((d) => d.size)];
  const times = [...data.map((d) => d.seconds), ...lines.map((d) => d.seconds)];
  return renderFigure(
    {
      width: options.width ?? 520,
      height: options.height ?? 340,
      marginLeft: 60,
      grid: true,
      x: {
        type: "log",
        label: options.sizeLabel ?? "size",
        tickFormat: logTickFormat(Math.min(...sizes), Math.max(...sizes)),
      },
      y: {
        type: "log",
        label: options.timeLabel ?? "seconds",
        tickFormat: logTickFormat(Math.min(...times), Math.max(...times)),
      },
      color: { domain: methods, range: colors },
      marks: [
        Plot.line(lines, {
          x: "size",
          y: "seconds",
          z: "method",
          stroke: "method",
          strokeDasharray: "5 3",
        }),
        Plot.dot(data, { x: "size", y: "seconds", fill: "method", r: 3.5 }),
      ],
    },
    {
      title: options.title ?? "time ∝ size^p (least squares on log–log axes)",
      swatches: methods.map((m, i) => {
        const fit = fits.get(m) as LogLogFit;
        return { label: `${m}: slope ${fit.slope.toFixed(2)}`, color: colors[i] as string };
      }),
    },
  );
}
