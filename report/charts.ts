/**
 * Three small chart builders the report's sections share, on Observable Plot through
 * `renderFigure` (so they save and display like the plots/ helpers): lines with dots by series,
 * dots along a value axis per category, and grouped bars.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { type Figure, renderFigure, type Swatch } from "../plots/figure.ts";
import { categoryColor } from "../plots/palette.ts";
import { logTickFormat } from "../plots/ticks.ts";

/** One plotted point. */
export interface Point {
  /** Position along x (a number, or a category for bar charts). */
  x: number | string;
  /** Position along y (a number, or a category for dot charts). */
  y: number | string;
  /** The series (line, colour). @default "" (one series) */
  series?: string;
}

/** Options shared by the builders. */
export interface ChartOptions {
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Label of the x axis. @default undefined (none) */
  xLabel?: string;
  /** Label of the y axis. @default undefined (none) */
  yLabel?: string;
  /** Scale of a numeric x axis. @default "linear" */
  xType?: "linear" | "log";
  /** Scale of a numeric y axis (line charts). @default "linear" */
  yType?: "linear" | "log";
  /** Horizontal reference lines (value → label). @default [] */
  yRules?: { y: number; label: string }[];
  /** Vertical reference lines. @default [] */
  xRules?: { x: number; label: string }[];
  /** Chart width in pixels (the legend is added to the right). @default 560 */
  width?: number;
  /** Chart height in pixels. @default 320 (dot charts: by the number of rows) */
  height?: number;
}

function colors(
  points: readonly Point[],
): { domain: string[]; range: string[]; swatches: Swatch[] } {
  const domain = [...new Set(points.map((p) => p.series ?? ""))];
  const range = domain.map((_, i) => categoryColor(i));
  const swatches = domain.length > 1 || domain[0] !== ""
    ? domain.map((label, i) => ({ label, color: range[i] as string }))
    : [];
  return { domain, range, swatches };
}

function ruleMarks(options: ChartOptions): Plot.Markish[] {
  const marks: Plot.Markish[] = [];
  for (const r of options.yRules ?? []) {
    marks.push(Plot.ruleY([r.y], { stroke: "#888", strokeDasharray: "4 3" }));
    marks.push(
      Plot.text([r], {
        x: () => undefined,
        y: "y",
        text: "label",
        frameAnchor: "right",
        dy: -6,
        fill: "#555",
        fontSize: 10,
      }),
    );
  }
  for (const r of options.xRules ?? []) {
    marks.push(Plot.ruleX([r.x], { stroke: "#888", strokeDasharray: "4 3" }));
    marks.push(
      Plot.text([r], {
        x: "x",
        text: "label",
        frameAnchor: "top",
        dx: -4,
        textAnchor: "end",
        fill: "#555",
        fontSize: 10,
      }),
    );
  }
  return marks;
}

/** Scale options of a numeric axis; log axes get plain-number tick labels (no SI prefixes). */
function axis(
  type: "linear" | "log" | undefined,
  label: string | undefined,
  values: readonly (number | string)[],
): Plot.ScaleOptions {
  const nums = values.filter((v): v is number => typeof v === "number");
  if (type !== "log" || nums.length === 0) return { type: type ?? "linear", label: label ?? null };
  return {
    type: "log",
    label: label ?? null,
    tickFormat: logTickFormat(Math.min(...nums), Math.max(...nums)),
  };
}

function finitePositive(type: string | undefined, v: number | string): boolean {
  if (typeof v !== "number") return true;
  return Number.isFinite(v) && (type !== "log" || v > 0);
}

function clean(points: readonly Point[], options: ChartOptions): Point[] {
  return points.filter((p) =>
    finitePositive(options.xType, p.x) && finitePositive(options.yType, p.y)
  ).map((p) => ({ ...p, series: p.series ?? "" }));
}

/** Lines through the points of each series (in the order given), with a dot at each point when there are few. */
export function lineChart(points: readonly Point[], options: ChartOptions = {}): Figure {
  const data = clean(points, options);
  const c = colors(data);
  return renderFigure({
    width: options.width ?? 560,
    height: options.height ?? 320,
    marginLeft: 64,
    grid: true,
    x: axis(options.xType, options.xLabel, data.map((p) => p.x)),
    y: axis(options.yType, options.yLabel, data.map((p) => p.y)),
    color: { domain: c.domain, range: c.range },
    marks: [
      ...ruleMarks(options),
      Plot.line(data, { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 1.75 }),
      // Dots only where they can be told apart (at most 40 points per series).
      ...(data.length <= 40 * c.domain.length
        ? [Plot.dot(data, { x: "x", y: "y", fill: "series", r: 3 })]
        : []),
    ],
  }, { title: options.title, swatches: c.swatches.map((s) => ({ ...s, shape: "line" as const })) });
}

/** Dots along a numeric x axis, one row per category `y`, coloured by series. */
export function dotChart(points: readonly Point[], options: ChartOptions = {}): Figure {
  const data = clean(points, options);
  const c = colors(data);
  const categories = [...new Set(data.map((p) => String(p.y)))];
  return renderFigure({
    width: options.width ?? 560,
    height: options.height ?? Math.max(140, 60 + 36 * categories.length),
    marginLeft: Math.min(200, 16 + 6.5 * Math.max(...categories.map((s) => s.length))),
    grid: true,
    x: axis(options.xType, options.xLabel, data.map((p) => p.x)),
    y: { type: "band", domain: categories, label: options.yLabel ?? null },
    color: { domain: c.domain, range: c.range },
    marks: [
      ...ruleMarks(options),
      Plot.dot(data, {
        x: "x",
        y: (p: Point) => String(p.y),
        fill: "series",
        r: 3.5,
        fillOpacity: 0.7,
      }),
    ],
  }, { title: options.title, swatches: c.swatches });
}

/** Bars (linear y from 0): one group per `x` category, one bar per series inside it. */
export function barChart(points: readonly Point[], options: ChartOptions = {}): Figure {
  const data = clean(points, options);
  const c = colors(data);
  const groups = [...new Set(data.map((p) => String(p.x)))];
  return renderFigure({
    width: options.width ?? Math.max(360, 90 * groups.length * Math.max(1, c.domain.length) / 2),
    height: options.height ?? 300,
    marginLeft: 64,
    grid: true,
    fx: { domain: groups, label: options.xLabel ?? null },
    x: { axis: null, domain: c.domain },
    y: { label: options.yLabel ?? null },
    color: { domain: c.domain, range: c.range },
    marks: [
      ...ruleMarks(options),
      Plot.barY(data, { fx: (p: Point) => String(p.x), x: "series", y: "y", fill: "series" }),
    ],
  }, { title: options.title, swatches: c.swatches });
}
