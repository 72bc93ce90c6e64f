/**
 * One generic chart the experiments of notebooks 1–4 need and plots/ does not have: lines of
 * y against x, one per series, with a legend (negative entries per iteration, d_β(x | 1), …).
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { categoryColor, type Figure, renderFigure } from "../mod.ts";

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  /** Label of the x axis. @default "x" */
  xLabel?: string;
  /** Label of the y axis. @default "y" */
  yLabel?: string;
  /** Scale of the y axis (log drops points ≤ 0). @default "linear" */
  yScale?: "linear" | "log" | "symlog";
  /** Scale of the x axis (log drops points ≤ 0). @default "linear" */
  xScale?: "linear" | "log";
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Chart width in pixels (the legend is added to the right). @default 560 */
  width?: number;
  /** Chart height in pixels. @default 300 */
  height?: number;
  /** Draw a dot at every point too. @default false */
  dots?: boolean;
}

/** One point of a series. */
export interface LinePoint {
  series: string;
  x: number;
  y: number;
}

/**
 * Lines of `y` against `x`, one per `series` (in order of first appearance), legend on the right.
 *
 * @example
 * ```ts
 * import { lineChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const fig = lineChart([
 *   { series: "a", x: 0, y: 1 }, { series: "a", x: 1, y: 2 },
 *   { series: "b", x: 0, y: 2 }, { series: "b", x: 1, y: 0 },
 * ], { title: "two lines" });
 * assert.equal(fig.querySelectorAll('g[aria-label="line"] path').length, 2);
 * ```
 */
export function lineChart(points: readonly LinePoint[], options: LineChartOptions = {}): Figure {
  if (!Array.isArray(points) || points.length === 0) {
    throw new RangeError("lineChart: points must be a non-empty array of { series, x, y }");
  }
  const yScale = options.yScale ?? "linear", xScale = options.xScale ?? "linear";
  const data = points.filter((p) =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (yScale !== "log" || p.y > 0) &&
    (xScale !== "log" || p.x > 0)
  );
  const series = [...new Set(points.map((p) => p.series))];
  const colors = series.map((_, i) => categoryColor(i));
  const marks: Plot.Markish[] = [
    Plot.line(data, { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 1.6 }),
  ];
  if (options.dots) marks.push(Plot.dot(data, { x: "x", y: "y", fill: "series", r: 2.5 }));
  const extras: { title?: string; swatches: { label: string; color: string; shape: "line" }[] } = {
    swatches: series.map((label, i) => ({ label, color: colors[i] as string, shape: "line" })),
  };
  if (options.title !== undefined) extras.title = options.title;
  return renderFigure({
    width: options.width ?? 560,
    height: options.height ?? 300,
    marginLeft: 60,
    grid: true,
    x: { type: xScale, label: options.xLabel ?? "x" },
    y: { type: yScale, label: options.yLabel ?? "y" },
    color: { domain: series, range: colors },
    marks,
  }, extras);
}
