/**
 * Convergence curves: the loss (or relative error, or KKT residual) of one or many runs against
 * iterations or seconds, on a log scale, one line per run, with a dot where each run stopped.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type { TraceEntry } from "../solvers/driver.ts";
import { type Figure, renderFigure } from "./figure.ts";
import { categoryColor, uniqueLabels } from "./palette.ts";
import { logTickFormat } from "./ticks.ts";

/** A run to draw: a bare trace, or an object holding one (an `nmf` result works as it is). */
export type ConvergenceRun = readonly TraceEntry[] | {
  /** The recorded trace. */
  trace: readonly TraceEntry[];
  /** The line's label. @default the run's `solver`, else "run i" */
  label?: string;
  /** The solver name (used as the label when `label` is missing). */
  solver?: string;
  /** Why the run stopped; written beside its stop marker. */
  stopReason?: string;
};

/** Options of {@linkcode convergencePlot} and {@linkcode convergenceMarks}. */
export interface ConvergencePlotOptions {
  /** Which trace field goes up the y axis. @default "loss" */
  y?: "loss" | "relativeError" | "kkt";
  /** Which trace field goes along the x axis. @default "iteration" */
  x?: "iteration" | "seconds";
  /** The y scale (log shows linear convergence as a straight line). @default "log" */
  yScale?: "log" | "linear";
  /** The x scale (log drops the point at 0). @default "linear" */
  xScale?: "log" | "linear";
  /** One label per run, overriding the runs' own. @default each run's label, solver or "run i" */
  labels?: readonly string[];
  /** Mark the last recorded point of each run with a dot (and its stop reason if known). @default true */
  stopMarkers?: boolean;
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Chart width in pixels (the legend is added to the right). @default 560 */
  width?: number;
  /** Chart height in pixels. @default 340 */
  height?: number;
}

const Y_LABELS = {
  loss: "loss (divergence + penalties)",
  relativeError: "relative error ‖V − WH‖ / ‖V‖",
  kkt: "KKT residual (relative to start)",
} as const;

const X_LABELS = { iteration: "iteration", seconds: "solver seconds" } as const;

interface Point {
  x: number;
  y: number;
  run: string;
}

function extent(points: readonly Point[], key: "x" | "y"): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p[key]);
    hi = Math.max(hi, p[key]);
  }
  return [lo, hi];
}

function checkRuns(runs: unknown, fn: string): asserts runs is readonly ConvergenceRun[] {
  if (!Array.isArray(runs)) {
    throw new TypeError(
      `${fn}: runs must be an array of traces or { trace } objects, got ${typeof runs}`,
    );
  }
  if (runs.length === 0) throw new RangeError(`${fn}: runs must hold at least one run, got []`);
  runs.forEach((r, i) => {
    const trace = Array.isArray(r) ? r : (r as { trace?: unknown })?.trace;
    if (!Array.isArray(trace)) {
      throw new TypeError(`${fn}: runs[${i}] must be a trace array or have a trace array`);
    }
  });
}

function traceOf(run: ConvergenceRun): readonly TraceEntry[] {
  return Array.isArray(run) ? run : (run as { trace: readonly TraceEntry[] }).trace;
}

function resolve(runs: readonly ConvergenceRun[], options: ConvergencePlotOptions, fn: string) {
  checkRuns(runs, fn);
  const yKey = options.y ?? "loss";
  const xKey = options.x ?? "iteration";
  if (!(yKey in Y_LABELS)) {
    throw new RangeError(`${fn}: y must be "loss", "relativeError" or "kkt", got ${String(yKey)}`);
  }
  if (!(xKey in X_LABELS)) {
    throw new RangeError(`${fn}: x must be "iteration" or "seconds", got ${String(xKey)}`);
  }
  if (options.labels !== undefined && options.labels.length !== runs.length) {
    throw new RangeError(
      `${fn}: labels must have one entry per run (${runs.length}), got ${options.labels.length}`,
    );
  }
  const yLog = (options.yScale ?? "log") === "log";
  const xLog = (options.xScale ?? "linear") === "log";
  const labels = uniqueLabels(runs.map((r, i) => {
    const given = options.labels?.[i];
    if (given !== undefined) return given;
    if (!Array.isArray(r)) {
      const o = r as { label?: string; solver?: string };
      if (o.label !== undefined) return o.label;
      if (o.solver !== undefined) return o.solver;
    }
    return `run ${i + 1}`;
  }));
  const points: Point[] = [];
  const stops: (Point & { reason: string })[] = [];
  runs.forEach((run, i) => {
    const label = labels[i] as string;
    let last: Point | undefined;
    for (const e of traceOf(run)) {
      const x = e[xKey], y = e[yKey];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if ((yLog && y <= 0) || (xLog && x <= 0)) continue;
      last = { x, y, run: label };
      points.push(last);
    }
    if (last !== undefined) {
      const reason = Array.isArray(run) ? "" : (run as { stopReason?: string }).stopReason ?? "";
      stops.push({ ...last, reason });
    }
  });
  return { yKey, xKey, yLog, xLog, labels, points, stops };
}

/**
 * The marks of a convergence chart (lines, stop dots, stop-reason labels), to compose with your
 * own marks in `Plot.plot`. Colours come from the `stroke` channel (the run label), so give the
 * plot `color: { domain: labels }` if you need fixed colours.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { convergenceMarks, renderFigure } from "../mod.ts";
 * const trace = [0, 1, 2, 3].map((i) => ({
 *   iteration: i, loss: 8 / 2 ** i, relativeError: 0.1, kkt: 1, seconds: i / 10, negatives: 0,
 * }));
 * const fig = renderFigure({
 *   y: { type: "log" },
 *   marks: [...convergenceMarks([trace]), Plot.ruleY([1], { strokeDasharray: "4 3" })],
 * });
 * ```
 */
export function convergenceMarks(
  runs: readonly ConvergenceRun[],
  options: ConvergencePlotOptions = {},
): Plot.Markish[] {
  const r = resolve(runs, options, "convergenceMarks");
  const marks: Plot.Markish[] = [
    Plot.line(r.points, { x: "x", y: "y", z: "run", stroke: "run", strokeWidth: 1.75 }),
  ];
  if (options.stopMarkers ?? true) {
    marks.push(Plot.dot(r.stops, { x: "x", y: "y", fill: "run", r: 3.5, stroke: "white" }));
    const reasons = r.stops.filter((s) => s.reason !== "");
    if (reasons.length > 0) {
      marks.push(
        Plot.text(reasons, {
          x: "x",
          y: "y",
          text: "reason",
          dy: -9,
          fill: "run",
          fontSize: 9,
        }),
      );
    }
  }
  return marks;
}

/**
 * A convergence chart of one or many runs: one line per run (labelled in a legend), log y axis,
 * a dot where each run stopped. Accepts bare traces (`result.trace`) or whole `nmf` results
 * (their `solver` names the line and their `stopReason` labels the dot).
 *
 * The figure is an `<svg>` element that displays itself in the Deno Jupyter kernel: make it the
 * last expression of a cell (or call `Deno.jupyter.display(fig)`), and save it with `savePlot`.
 *
 * @example
 * ```ts
 * import { convergencePlot, Matrix, nmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 3], [2, 4, 6], [1, 0, 1], [0, 1, 1]]);
 * const r1 = nmf(V, { rank: 2, seed: 1, maxIter: 50 });
 * const r2 = nmf(V, { rank: 2, seed: 2, maxIter: 50, init: "random" });
 * const fig = convergencePlot([r1.trace, r2.trace], { labels: ["nndsvda", "random"] });
 * assert.equal(fig.querySelectorAll('g[aria-label="line"] path').length, 2);
 * fig; // in a Jupyter cell this line shows the chart (MIME type image/svg+xml)
 * ```
 */
export function convergencePlot(
  runs: readonly ConvergenceRun[],
  options: ConvergencePlotOptions = {},
): Figure {
  const r = resolve(runs, options, "convergencePlot");
  const colors = r.labels.map((_, i) => categoryColor(i));
  return renderFigure(
    {
      width: options.width ?? 560,
      height: options.height ?? 340,
      marginLeft: 60,
      grid: true,
      x: r.xLog
        ? {
          type: "log",
          label: X_LABELS[r.xKey],
          tickFormat: logTickFormat(...extent(r.points, "x")),
        }
        : { label: X_LABELS[r.xKey] },
      y: r.yLog
        ? {
          type: "log",
          label: Y_LABELS[r.yKey],
          tickFormat: logTickFormat(...extent(r.points, "y")),
        }
        : { label: Y_LABELS[r.yKey] },
      color: { domain: r.labels, range: colors },
      marks: convergenceMarks(runs, options),
    },
    {
      title: options.title,
      swatches: r.labels.map((label, i) => ({
        label,
        color: colors[i] as string,
        shape: "line" as const,
      })),
    },
  );
}
