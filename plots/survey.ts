/**
 * Pictures of a rank survey (Brunet et al. 2004): the consensus matrix of one rank, ordered by
 * its average-linkage clustering so that stable clusters show as blocks on the diagonal, and
 * the cophenetic correlation and dispersion across ranks — a rank is a good choice where they
 * stay close to 1 before dropping.
 *
 * The inputs are plain data (the entries `rankSurvey` returns have these fields), so plots need
 * not import the research layer.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type { Matrix } from "../linalg/matrix.ts";
import { type Figure, renderFigure } from "./figure.ts";
import { heatmap } from "./heatmap.ts";
import { categoryColor } from "./palette.ts";

/** The fields of one rank-survey entry that these plots read. */
export interface SurveyEntryLike {
  /** The rank k. */
  rank: number;
  /** Cophenetic correlation of the consensus matrix. */
  cophenetic: number;
  /** Dispersion of the consensus matrix (Kim & Park 2007). */
  dispersion: number;
  /** The n×n consensus matrix over the columns of V. */
  consensus?: Matrix;
  /** A leaf order of the consensus clustering. */
  order?: readonly number[];
}

/** Options of {@linkcode consensusHeatmap}. */
export interface ConsensusHeatmapOptions {
  /** Labels of the columns of V (e.g. sample classes; shown with the column index). @default "0", "1", … */
  labels?: readonly string[];
  /** Title line. @default "consensus matrix, k = <rank>" */
  title?: string;
  /** Size of one cell in pixels. @default heatmap's default */
  cellSize?: number;
}

/**
 * The consensus matrix of one survey entry as a heatmap, rows and columns in the entry's
 * clustering order (values from 0, never together, to 1, always together).
 *
 * @example
 * ```ts
 * import { consensusHeatmap, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const consensus = Matrix.fromRows([[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
 * const fig = consensusHeatmap({ rank: 2, cophenetic: 1, dispersion: 1, consensus, order: [0, 2, 1] });
 * assert.match(fig.outerHTML, /consensus matrix, k = 2/);
 * ```
 */
export function consensusHeatmap(
  entry: SurveyEntryLike,
  options: ConsensusHeatmapOptions = {},
): Figure {
  if (entry === null || typeof entry !== "object" || entry.consensus === undefined) {
    throw new TypeError(
      "consensusHeatmap: entry must have a consensus Matrix (a rankSurvey entry)",
    );
  }
  const n = entry.consensus.rows;
  const order = entry.order ?? Array.from({ length: n }, (_, i) => i);
  const extra: { rowLabels?: readonly string[]; colLabels?: readonly string[]; cellSize?: number } =
    {};
  if (options.labels !== undefined) {
    if (options.labels.length !== n) {
      throw new TypeError(
        `consensusHeatmap: labels has length ${options.labels.length}, expected ${n} (one per column of V)`,
      );
    }
    // class labels repeat; the column index keeps tick labels distinct
    const named = options.labels.map((label, i) => `${label} ${i}`);
    extra.rowLabels = named;
    extra.colLabels = named;
  }
  if (options.cellSize !== undefined) extra.cellSize = options.cellSize;
  return heatmap(entry.consensus, {
    ...extra,
    rowOrder: order,
    colOrder: order,
    color: "sequential",
    legend: "consensus",
    title: options.title ?? `consensus matrix, k = ${entry.rank}`,
  });
}

/** Options of {@linkcode rankSurveyPlot}. */
export interface RankSurveyPlotOptions {
  /** Title line. @default "cophenetic correlation and dispersion by rank" */
  title?: string;
  /** Chart width in pixels. @default 460 */
  width?: number;
  /** Chart height in pixels. @default 300 */
  height?: number;
}

/**
 * Cophenetic correlation and dispersion against the rank, one line each.
 *
 * @example
 * ```ts
 * import { rankSurveyPlot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const fig = rankSurveyPlot([
 *   { rank: 2, cophenetic: 1, dispersion: 1 },
 *   { rank: 3, cophenetic: 0.99, dispersion: 0.94 },
 * ]);
 * assert.match(fig.outerHTML, /cophenetic/);
 * ```
 */
export function rankSurveyPlot(
  entries: readonly SurveyEntryLike[],
  options: RankSurveyPlotOptions = {},
): Figure {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new TypeError("rankSurveyPlot: entries must be a non-empty array of rankSurvey entries");
  }
  const series = ["cophenetic", "dispersion"] as const;
  const data = entries.flatMap((e) =>
    series.map((measure) => ({ rank: e.rank, value: e[measure], measure }))
  );
  const colors = series.map((_, i) => categoryColor(i));
  return renderFigure(
    {
      width: options.width ?? 460,
      height: options.height ?? 300,
      grid: true,
      x: { label: "rank k", ticks: entries.map((e) => e.rank), tickFormat: "d" },
      y: { label: "value", domain: [Math.min(0.5, ...data.map((d) => d.value)), 1.02] },
      color: { domain: [...series], range: colors },
      marks: [
        Plot.line(data, { x: "rank", y: "value", z: "measure", stroke: "measure" }),
        Plot.dot(data, { x: "rank", y: "value", fill: "measure", r: 3.5 }),
      ],
    },
    {
      title: options.title ?? "cophenetic correlation and dispersion by rank",
      swatches: series.map((label, i) => ({ label, color: colors[i] as string, shape: "line" })),
    },
  );
}
