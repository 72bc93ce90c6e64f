/**
 * Topics as bar charts: for each column of W (terms × topics), its `top` heaviest terms as
 * horizontal bars, one small panel per topic. This is how NMF topic models are read: a topic is
 * named by its top words.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { Matrix } from "../linalg/matrix.ts";
import { type Figure, renderFigure } from "./figure.ts";
import { categoryColor } from "./palette.ts";

/** Options of {@linkcode topicsPlot}. */
export interface TopicsPlotOptions {
  /** One term per row of W (required). */
  terms: readonly string[];
  /** Terms shown per topic. @default 8 */
  top?: number;
  /** Panels per grid row. @default min(topics, 4) */
  columns?: number;
  /** One name per topic. @default "topic 1", "topic 2", … */
  topicLabels?: readonly string[];
  /** Bar length: weight over the topic's largest weight ("each") or the raw weight ("raw"). @default "each" */
  normalize?: "each" | "raw";
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Width of one panel in pixels. @default 170 */
  panelWidth?: number;
}

/** The `top` rows with the largest values in column `t` of `W`, largest first (ties: lower row). */
export function topTermIndices(W: Matrix, t: number, top: number): number[] {
  const idx = Array.from({ length: W.rows }, (_, i) => i);
  idx.sort((a, b) => {
    const d = (W.data[b * W.cols + t] as number) - (W.data[a * W.cols + t] as number);
    return d !== 0 ? d : a - b;
  });
  return idx.slice(0, Math.min(top, W.rows));
}

/**
 * Bar charts of the top terms of each topic (column of W).
 *
 * @example
 * ```ts
 * import { Matrix, topicsPlot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.fromRows([[3, 0], [2, 0.1], [0, 4], [0.5, 1]]);
 * const fig = topicsPlot(W, { terms: ["tax", "budget", "war", "peace"], top: 2 });
 * assert.equal(fig.querySelectorAll('g[aria-label="bar"] rect').length, 4);
 * ```
 */
export function topicsPlot(W: Matrix, options: TopicsPlotOptions): Figure {
  if (!(W instanceof Matrix)) {
    throw new TypeError(`topicsPlot: W must be a Matrix, got ${typeof W}`);
  }
  if (options === null || typeof options !== "object" || !Array.isArray(options.terms)) {
    throw new TypeError("topicsPlot: options.terms must be an array of strings (one per row of W)");
  }
  if (options.terms.length !== W.rows) {
    throw new RangeError(
      `topicsPlot: terms must have one entry per row of W (${W.rows}), got ${options.terms.length}`,
    );
  }
  const k = W.cols;
  if (k === 0) throw new RangeError("topicsPlot: W has no columns (topics)");
  const top = options.top ?? 8;
  if (!Number.isInteger(top) || top < 1) {
    throw new RangeError(`topicsPlot: top must be a positive integer, got ${top}`);
  }
  if (options.topicLabels !== undefined && options.topicLabels.length !== k) {
    throw new RangeError(
      `topicsPlot: topicLabels must have ${k} entries, got ${options.topicLabels.length}`,
    );
  }
  const labels = options.topicLabels ?? Array.from({ length: k }, (_, t) => `topic ${t + 1}`);
  const cols = options.columns ?? Math.min(k, 4);
  const each = (options.normalize ?? "each") === "each";
  const shown = Math.min(top, W.rows);
  const bars: { fx: number; fy: number; rank: number; w: number; term: string; topic: string }[] =
    [];
  const heads: { fx: number; fy: number; rank: number; topic: string }[] = [];
  for (let t = 0; t < k; t++) {
    const fx = t % cols, fy = Math.floor(t / cols);
    const idx = topTermIndices(W, t, shown);
    const mx = W.data[(idx[0] as number) * W.cols + t] as number;
    heads.push({ fx, fy, rank: 0, topic: labels[t] as string });
    idx.forEach((i, r) => {
      const v = W.data[i * W.cols + t] as number;
      bars.push({
        fx,
        fy,
        rank: r + 1,
        w: each ? (mx > 0 ? v / mx : 0) : v,
        term: options.terms[i] as string,
        topic: labels[t] as string,
      });
    });
  }
  const rows = Math.ceil(k / cols);
  const panelWidth = options.panelWidth ?? 170;
  const rowHeight = 16;
  return renderFigure(
    {
      width: cols * panelWidth + 20,
      height: Math.round(rows * (shown + 1) * rowHeight * 1.15 + 10),
      marginLeft: 10,
      marginRight: 10,
      marginTop: 0,
      marginBottom: 4,
      fx: { axis: null, padding: 0.08 },
      fy: { axis: null, padding: 0.1 },
      x: { axis: null },
      y: { axis: null, domain: Array.from({ length: shown + 1 }, (_, r) => r), padding: 0.15 },
      color: { domain: labels, range: labels.map((_, t) => categoryColor(t)) },
      marks: [
        Plot.barX(bars, {
          fx: "fx",
          fy: "fy",
          x: "w",
          y: "rank",
          fill: "topic",
          fillOpacity: 0.45,
        }),
        Plot.text(bars, {
          fx: "fx",
          fy: "fy",
          x: 0,
          y: "rank",
          text: "term",
          textAnchor: "start",
          dx: 3,
          fontSize: 10,
        }),
        Plot.text(heads, {
          fx: "fx",
          fy: "fy",
          x: 0,
          y: "rank",
          text: "topic",
          textAnchor: "start",
          fontWeight: "bold",
          fontSize: 11,
        }),
      ],
    },
    { title: options.title },
  );
}
