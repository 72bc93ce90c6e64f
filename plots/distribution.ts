/**
 * The spread of final losses over many restarts: NMF is non-convex, so each initialization can
 * end in a different local minimum. One box per method (initialization or solver), every run as
 * a tick, and a dashed line at the best loss found by any run.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { type Figure, renderFigure } from "./figure.ts";
import { categoryColor } from "./palette.ts";
import { logTickFormat } from "./ticks.ts";

/** One finished run. */
export interface LossRecord {
  /** The group (initialization name, solver, …). */
  method: string;
  /** The final loss of the run. */
  loss: number;
}

/** Options of {@linkcode lossDistribution}. */
export interface LossDistributionOptions {
  /** Plot the loss divided by the best loss over all runs (1 = best found). @default false */
  relative?: boolean;
  /** The y scale. @default "linear" */
  yScale?: "linear" | "log";
  /** Order of the groups along x. @default order of first appearance */
  methods?: readonly string[];
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Chart width in pixels. @default max(280, 110 per group) */
  width?: number;
  /** Chart height in pixels. @default 320 */
  height?: number;
}

/**
 * Box plot of the final loss per method with every run drawn as a tick, plus a dashed rule at
 * the best loss found.
 *
 * @example
 * ```ts
 * import { lossDistribution } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const runs = [
 *   { method: "random", loss: 5.2 }, { method: "random", loss: 4.1 }, { method: "random", loss: 4.6 },
 *   { method: "nndsvd", loss: 3.9 }, { method: "nndsvd", loss: 3.9 },
 * ];
 * const fig = lossDistribution(runs, { title: "final loss over restarts" });
 * assert.equal(fig.querySelectorAll('g[aria-description="runs"] line').length, 5); // one tick per run
 * ```
 */
export function lossDistribution(
  records: readonly LossRecord[],
  options: LossDistributionOptions = {},
): Figure {
  if (!Array.isArray(records)) {
    throw new TypeError(`lossDistribution: records must be an array of { method, loss }`);
  }
  if (records.length === 0) throw new RangeError("lossDistribution: records must not be empty");
  records.forEach((r, i) => {
    if (r === null || typeof r !== "object" || typeof r.method !== "string") {
      throw new TypeError(`lossDistribution: records[${i}].method must be a string`);
    }
    if (typeof r.loss !== "number" || !Number.isFinite(r.loss)) {
      throw new RangeError(`lossDistribution: records[${i}].loss must be finite, got ${r.loss}`);
    }
  });
  const best = Math.min(...records.map((r) => r.loss));
  const relative = options.relative ?? false;
  if (relative && !(best > 0)) {
    throw new RangeError(`lossDistribution: relative needs a positive best loss, got ${best}`);
  }
  const data = records.map((r) => ({ method: r.method, y: relative ? r.loss / best : r.loss }));
  const methods = options.methods ?? [...new Set(records.map((r) => r.method))];
  const colors = methods.map((_, i) => categoryColor(i));
  const log = options.yScale === "log";
  const ys = data.map((d) => d.y);
  return renderFigure(
    {
      width: options.width ?? Math.max(280, 110 * methods.length),
      height: options.height ?? 320,
      marginLeft: 60,
      x: { domain: methods, label: null },
      y: {
        type: log ? "log" : "linear",
        grid: true,
        label: relative ? "final loss / best loss" : "final loss",
        nice: !log,
        ...(log ? { tickFormat: logTickFormat(Math.min(...ys), Math.max(...ys)) } : {}),
      },
      color: { domain: methods, range: colors },
      marks: [
        Plot.ruleY([relative ? 1 : best], { strokeDasharray: "4 3", stroke: "#555" }),
        Plot.boxY(data, { x: "method", y: "y", fill: "method", fillOpacity: 0.25, stroke: "#555" }),
        Plot.tickY(data, {
          x: "method",
          y: "y",
          stroke: "method",
          strokeWidth: 1.5,
          inset: 14,
          ariaDescription: "runs",
        }),
        Plot.text([relative ? 1 : best], {
          y: (d: number) => d,
          text: () => "best",
          frameAnchor: "right",
          dy: -6,
          fontSize: 9,
          fill: "#555",
        }),
      ],
    },
    { title: options.title },
  );
}
