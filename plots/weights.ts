/**
 * Sample (document) weights as stacked bars: column j of H (k × n) says how much of each of the k
 * components sample j is made of. Normalized, each bar is the sample's mixture of components.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { Matrix } from "../linalg/matrix.ts";
import { type Figure, renderFigure } from "./figure.ts";
import { categoryColor } from "./palette.ts";

/** Options of {@linkcode stackedWeights}. */
export interface StackedWeightsOptions {
  /** Scale each sample's weights to sum to 1 (mixture proportions). @default true */
  normalize?: boolean;
  /** One label per sample (column of H). @default "0", "1", … */
  sampleLabels?: readonly string[];
  /** One name per component (row of H). @default "1", "2", … */
  componentLabels?: readonly string[];
  /** The order of the samples: a permutation of 0…n−1, or "dominant" (group by largest component). @default identity */
  order?: readonly number[] | "dominant";
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Chart width in pixels (the legend is added to the right). @default max(240, min(900, 14 per sample + 80)) */
  width?: number;
  /** Chart height in pixels. @default 280 */
  height?: number;
}

/**
 * Stacked bars of the columns of H, one bar per sample, one colour per component.
 *
 * @example
 * ```ts
 * import { Matrix, stackedWeights } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const H = Matrix.fromRows([[1, 0, 2], [1, 3, 0]]); // 2 components × 3 samples
 * const fig = stackedWeights(H, { sampleLabels: ["a", "b", "c"] });
 * assert.equal(fig.querySelectorAll('g[aria-label="bar"] rect').length, 6);
 * ```
 */
export function stackedWeights(H: Matrix, options: StackedWeightsOptions = {}): Figure {
  if (!(H instanceof Matrix)) {
    throw new TypeError(`stackedWeights: H must be a Matrix, got ${typeof H}`);
  }
  const k = H.rows, n = H.cols;
  if (k === 0 || n === 0) {
    throw new RangeError(`stackedWeights: H must not be empty, got ${k}×${n}`);
  }
  if (options.sampleLabels !== undefined && options.sampleLabels.length !== n) {
    throw new RangeError(
      `stackedWeights: sampleLabels must have ${n} entries, got ${options.sampleLabels.length}`,
    );
  }
  if (options.componentLabels !== undefined && options.componentLabels.length !== k) {
    throw new RangeError(
      `stackedWeights: componentLabels must have ${k} entries, got ${options.componentLabels.length}`,
    );
  }
  const samples = (options.sampleLabels ?? Array.from({ length: n }, (_, j) => String(j))).map(
    String,
  );
  if (new Set(samples).size !== n) {
    throw new RangeError("stackedWeights: sampleLabels must be distinct");
  }
  const comps = (options.componentLabels ?? Array.from({ length: k }, (_, c) => String(c + 1))).map(
    String,
  );
  const normalize = options.normalize ?? true;
  const data: { sample: string; component: string; w: number }[] = [];
  const dominant = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0, best = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = H.data[c * n + j] as number;
      if (!Number.isFinite(v) || v < 0) {
        throw new RangeError(`stackedWeights: H[${c}, ${j}] is ${v}; expected finite values ≥ 0`);
      }
      sum += v;
      if (v > best) {
        best = v;
        dominant[j] = c;
      }
    }
    for (let c = 0; c < k; c++) {
      const v = H.data[c * n + j] as number;
      data.push({
        sample: samples[j] as string,
        component: comps[c] as string,
        w: normalize ? (sum > 0 ? v / sum : 0) : v,
      });
    }
  }
  let order: number[];
  if (options.order === "dominant") {
    order = Array.from({ length: n }, (_, j) => j).sort((a, b) =>
      (dominant[a] as number) - (dominant[b] as number) ||
      (H.data[(dominant[b] as number) * n + b] as number) -
        (H.data[(dominant[a] as number) * n + a] as number) ||
      a - b
    );
  } else if (options.order !== undefined) {
    const o = options.order;
    const seen = new Set(o);
    if (
      o.length !== n || seen.size !== n || o.some((i) => !Number.isInteger(i) || i < 0 || i >= n)
    ) {
      throw new RangeError(
        `stackedWeights: order must be a permutation of 0…${n - 1} or "dominant"`,
      );
    }
    order = [...o];
  } else {
    order = Array.from({ length: n }, (_, j) => j);
  }
  const colors = comps.map((_, c) => categoryColor(c));
  const width = options.width ?? Math.max(240, Math.min(900, 14 * n + 80));
  // Rotate the sample labels when they would not fit side by side under their bars.
  const longest = Math.max(...samples.map((s) => s.length));
  const rotate = n * (longest * 6.5 + 4) > width - 70;
  return renderFigure(
    {
      width,
      height: options.height ?? 280,
      marginLeft: 50,
      marginBottom: rotate ? Math.min(100, 12 + 6.5 * longest) : 30,
      x: {
        domain: order.map((j) => samples[j] as string),
        label: null,
        tickRotate: rotate ? -90 : 0,
        axis: n <= 80 ? "bottom" : null,
      },
      y: { label: normalize ? "share of sample" : "weight", grid: true },
      color: { domain: comps, range: colors },
      marks: [
        Plot.barY(data, { x: "sample", y: "w", fill: "component", order: comps }),
        Plot.ruleY([0]),
      ],
    },
    {
      title: options.title,
      swatches: comps.map((label, c) => ({ label, color: colors[c] as string })),
    },
  );
}
