/**
 * A heatmap of any matrix: W, H, V, WH, the residual V − WH, or a consensus matrix. Rows go down,
 * columns go across, as the matrix is printed. Optional labels and orderings (a permutation of
 * the rows and of the columns, e.g. from hierarchical clustering of a consensus matrix, so that
 * blocks show up along the diagonal).
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { Matrix } from "../linalg/matrix.ts";
import { type Figure, renderFigure } from "./figure.ts";
import { base64, encodeRgbPng, parseRgb } from "./png.ts";

/** Options of {@linkcode heatmap}. */
export interface HeatmapOptions {
  /** One label per row. @default "0", "1", … */
  rowLabels?: readonly string[];
  /** One label per column. @default "0", "1", … */
  colLabels?: readonly string[];
  /** The order to draw the rows in: a permutation of 0…rows−1. @default identity */
  rowOrder?: readonly number[];
  /** The order to draw the columns in: a permutation of 0…cols−1. @default identity */
  colOrder?: readonly number[];
  /** Colour scale: sequential, diverging around 0, or pick by the data's sign. @default "auto" */
  color?: "auto" | "sequential" | "diverging";
  /** Observable Plot colour scheme name. @default "blues" (sequential), "burd" (diverging) */
  scheme?: string;
  /**
   * Size of one (square) cell in pixels. @default min(24, 480 / max(rows, cols)) when that is at
   * least 2 pixels; otherwise cells stretch to fit about 640×400 pixels
   */
  cellSize?: number;
  /** Show row/column tick labels when there are at most this many rows/columns. @default 40 */
  maxTickLabels?: number;
  /**
   * How cells are drawn: one `<rect>` each ("rects"), or the whole matrix as one embedded PNG
   * ("image", small and fast for large matrices). @default "auto": rects up to 10000 cells
   */
  render?: "auto" | "rects" | "image";
  /** Label of the colour ramp below the chart (null: no ramp). @default "value" */
  legend?: string | null;
  /** Title line above the chart. @default undefined (none) */
  title?: string;
}

function checkLabels(labels: readonly string[] | undefined, n: number, name: string): string[] {
  if (labels === undefined) return Array.from({ length: n }, (_, i) => String(i));
  if (!Array.isArray(labels)) throw new TypeError(`heatmap: ${name} must be an array of strings`);
  if (labels.length !== n) {
    throw new RangeError(`heatmap: ${name} must have ${n} entries, got ${labels.length}`);
  }
  if (new Set(labels).size !== n) {
    throw new RangeError(`heatmap: ${name} must be distinct (they name the rows/columns)`);
  }
  return labels.map(String);
}

function checkOrder(order: readonly number[] | undefined, n: number, name: string): number[] {
  if (order === undefined) return Array.from({ length: n }, (_, i) => i);
  if (!Array.isArray(order)) throw new TypeError(`heatmap: ${name} must be an array of indices`);
  const seen = new Uint8Array(n);
  if (order.length !== n) {
    throw new RangeError(
      `heatmap: ${name} must be a permutation of 0…${n - 1}, got length ${order.length}`,
    );
  }
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= n || seen[i]) {
      throw new RangeError(`heatmap: ${name} must be a permutation of 0…${n - 1}, got entry ${i}`);
    }
    seen[i] = 1;
  }
  return [...order];
}

/**
 * A heatmap of `M`, cell (i, j) coloured by M[i, j].
 *
 * @example
 * ```ts
 * import { heatmap, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const C = Matrix.fromRows([[1, 0.9, 0.1], [0.9, 1, 0.2], [0.1, 0.2, 1]]);
 * const fig = heatmap(C, { rowLabels: ["a", "b", "c"], colLabels: ["a", "b", "c"], rowOrder: [2, 0, 1] });
 * assert.equal(fig.querySelectorAll('g[aria-label="cell"] rect').length, 9);
 * ```
 */
export function heatmap(M: Matrix, options: HeatmapOptions = {}): Figure {
  if (!(M instanceof Matrix)) throw new TypeError(`heatmap: M must be a Matrix, got ${typeof M}`);
  if (M.rows === 0 || M.cols === 0) {
    throw new RangeError(`heatmap: M must not be empty, got ${M.rows}×${M.cols}`);
  }
  const rowLabels = checkLabels(options.rowLabels, M.rows, "rowLabels");
  const colLabels = checkLabels(options.colLabels, M.cols, "colLabels");
  const rowOrder = checkOrder(options.rowOrder, M.rows, "rowOrder");
  const colOrder = checkOrder(options.colOrder, M.cols, "colOrder");
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < M.rows; i++) {
    for (let j = 0; j < M.cols; j++) {
      const v = M.data[i * M.cols + j] as number;
      if (!Number.isFinite(v)) {
        throw new RangeError(`heatmap: M[${i}, ${j}] is ${v}; expected finite numbers`);
      }
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const render = options.render ?? "auto";
  if (render !== "auto" && render !== "rects" && render !== "image") {
    throw new RangeError(
      `heatmap: render must be "auto", "rects" or "image", got ${String(render)}`,
    );
  }
  const asImage = render === "image" || (render === "auto" && M.rows * M.cols > 10000);
  const mode = options.color ?? "auto";
  const diverging = mode === "diverging" || (mode === "auto" && lo < 0);
  const a = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  let cellW: number, cellH: number;
  if (options.cellSize !== undefined) {
    if (!(options.cellSize > 0) || !Number.isFinite(options.cellSize)) {
      throw new RangeError(
        `heatmap: cellSize must be a finite number > 0, got ${options.cellSize}`,
      );
    }
    cellW = cellH = options.cellSize;
  } else {
    const square = Math.min(24, 480 / Math.max(M.rows, M.cols));
    if (square >= 2) cellW = cellH = square;
    else {
      cellW = Math.min(24, 640 / M.cols);
      cellH = Math.min(24, 400 / M.rows);
    }
  }
  const maxTicks = options.maxTickLabels ?? 40;
  const showY = M.rows <= maxTicks, showX = M.cols <= maxTicks;
  const longestRow = Math.max(...rowLabels.map((l) => l.length));
  const longestCol = Math.max(...colLabels.map((l) => l.length));
  const marginLeft = showY ? Math.min(160, 14 + longestRow * 7.5) : 8;
  const marginBottom = showX ? Math.min(120, 16 + (longestCol > 3 ? longestCol * 7.5 : 6)) : 8;
  const legend = options.legend === undefined ? "value" : options.legend;
  const color: Plot.ScaleOptions = {
    type: "linear",
    scheme: (options.scheme ?? (diverging ? "burd" : "blues")) as Plot.ColorScheme,
    domain: diverging ? [-a, a] : [Math.min(lo, 0), hi > Math.min(lo, 0) ? hi : 1],
  };
  let mark: Plot.Markish;
  if (asImage) {
    // The whole matrix, in display order, as one PNG stretched over the frame.
    const scale = Plot.scale({ color });
    const rgb = new Uint8Array(M.rows * M.cols * 3);
    rowOrder.forEach((i, r) => {
      colOrder.forEach((j, c) => {
        rgb.set(parseRgb(String(scale.apply(M.data[i * M.cols + j]))), (r * M.cols + c) * 3);
      });
    });
    mark = Plot.image([0], {
      frameAnchor: "middle",
      width: M.cols * cellW,
      height: M.rows * cellH,
      src: () => `data:image/png;base64,${base64(encodeRgbPng(M.cols, M.rows, rgb))}`,
      preserveAspectRatio: "none",
      imageRendering: "optimizeSpeed",
    });
  } else {
    const cells: { row: string; col: string; v: number }[] = [];
    for (let i = 0; i < M.rows; i++) {
      for (let j = 0; j < M.cols; j++) {
        const v = M.data[i * M.cols + j] as number;
        cells.push({ row: rowLabels[i] as string, col: colLabels[j] as string, v });
      }
    }
    mark = Plot.cell(cells, { x: "col", y: "row", fill: "v", shapeRendering: "crispEdges" });
  }
  return renderFigure(
    {
      width: Math.round(M.cols * cellW + marginLeft + 10),
      height: Math.round(M.rows * cellH + marginBottom + 10),
      marginLeft,
      marginBottom,
      marginTop: 10,
      marginRight: 10,
      padding: 0,
      x: {
        domain: colOrder.map((j) => colLabels[j] as string),
        axis: showX ? "bottom" : null,
        label: null,
        tickRotate: longestCol > 3 ? -90 : 0,
        tickSize: 0,
      },
      y: {
        domain: rowOrder.map((i) => rowLabels[i] as string),
        axis: showY ? "left" : null,
        label: null,
        tickSize: 0,
      },
      color,
      marks: [mark],
    },
    {
      title: options.title,
      ramp: legend === null ? undefined : legend,
      rampScale: asImage ? color : undefined,
    },
  );
}
