/**
 * The geometry of NMF: V ≈ WH with H ≥ 0 says every data column is (approximately) a non-negative
 * combination of W's columns, i.e. lies in the convex cone they span. Scaling every column to sum
 * 1 puts the data on the probability simplex, where the cone becomes the convex hull of W's
 * normalized columns (Donoho & Stodden 2003). Three views:
 *
 * - `"plane"` (V has 2 rows): the data points in the plane, the rays through W's columns and the
 *   cone between them shaded; the normalized points lie on the segment x + y = 1.
 * - `"simplex"` (V has 3 rows): a ternary plot of the normalized columns, with the hull of W's
 *   normalized columns (a triangle for k = 3, a segment for k = 2).
 * - `"basis"` (W has 3 columns, any number of rows): every normalized data column expressed in
 *   barycentric coordinates of W's three normalized columns (least squares in their plane). The
 *   triangle is the cone; points outside it need a negative weight, which NMF forbids.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { Matrix } from "../linalg/matrix.ts";
import { type Figure, renderFigure } from "./figure.ts";

/** Options of {@linkcode geometryPlot}. */
export interface GeometryPlotOptions {
  /** Which view. @default "plane" if V has 2 rows, "simplex" if 3, else "basis" (W must have 3 columns) */
  mode?: "plane" | "simplex" | "basis";
  /** Names of the corners/axes (features in plane/simplex, components in basis). @default "x1", … or "w1", … */
  axisLabels?: readonly string[];
  /** Title line above the chart. @default undefined (none) */
  title?: string;
  /** Chart size in pixels (square). @default 420 */
  size?: number;
}

const SQRT3_2 = Math.sqrt(3) / 2;

/** 2-D position of barycentric coordinates (a, b, c) in the triangle (0,0), (1,0), (½, √3/2). */
function ternary(a: number, b: number, c: number): [number, number] {
  const s = a + b + c;
  return [(b + c / 2) / s, (c * SQRT3_2) / s];
}

function column(M: Matrix, j: number): Float64Array {
  const out = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) out[i] = M.data[i * M.cols + j] as number;
  return out;
}

function sumTo1(v: Float64Array): Float64Array | undefined {
  let s = 0;
  for (const x of v) s += x;
  if (!(s > 0)) return undefined;
  return v.map((x) => x / s);
}

function checkFinite(M: Matrix, name: string): void {
  for (let i = 0; i < M.data.length; i++) {
    const v = M.data[i] as number;
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(
        `geometryPlot: ${name} must be finite and ≥ 0, found ${v} at index ${i}`,
      );
    }
  }
}

type Pt = { x: number; y: number };

function triangleMarks(labels: readonly string[]): Plot.Markish[] {
  const corners: Pt[] = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0.5, y: SQRT3_2 }];
  const place = [
    { textAnchor: "end", dx: -4, dy: 8 },
    { textAnchor: "start", dx: 4, dy: 8 },
    { textAnchor: "middle", dx: 0, dy: -10 },
  ] as const;
  return [
    Plot.line([...corners, corners[0] as Pt], { x: "x", y: "y", stroke: "#999" }),
    ...corners.map((c, i) =>
      Plot.text([c], { x: "x", y: "y", text: () => labels[i] ?? "", fontSize: 11, ...place[i] })
    ),
  ];
}

/** The columns of W as labelled red points (shared by the plane and simplex views). */
function basisPointMarks(
  points: readonly { x: number; y: number; label: string }[],
): Plot.Markish[] {
  return [
    Plot.dot(points, { x: "x", y: "y", r: 5, fill: "#d62728" }),
    Plot.text(points, {
      x: "x",
      y: "y",
      text: "label",
      dx: 8,
      dy: -6,
      fill: "#d62728",
      fontWeight: "bold",
    }),
  ];
}

/**
 * Draw the data columns of V and the cone spanned by the columns of W (see the module doc for the
 * three views).
 *
 * @example
 * ```ts
 * import { geometryPlot, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 3, 1], [2, 1, 3, 0.2]]);   // 4 points in the plane
 * const W = Matrix.fromRows([[1, 1], [2, 0.1]]);                // two rays
 * const fig = geometryPlot(V, W, { title: "the cone of W" });
 * assert.equal(fig.querySelectorAll('g[aria-label="dot"] circle').length, 4 + 4 + 2);
 * ```
 */
export function geometryPlot(V: Matrix, W: Matrix, options: GeometryPlotOptions = {}): Figure {
  if (!(V instanceof Matrix)) {
    throw new TypeError(`geometryPlot: V must be a Matrix, got ${typeof V}`);
  }
  if (!(W instanceof Matrix)) {
    throw new TypeError(`geometryPlot: W must be a Matrix, got ${typeof W}`);
  }
  if (W.rows !== V.rows) {
    throw new RangeError(`geometryPlot: W must have V's ${V.rows} rows, got ${W.rows}`);
  }
  checkFinite(V, "V");
  checkFinite(W, "W");
  const mode = options.mode ?? (V.rows === 2 ? "plane" : V.rows === 3 ? "simplex" : "basis");
  const size = options.size ?? 420;
  const dataPts: Pt[] = [];
  const onSimplex: Pt[] = [];
  const wPts: (Pt & { label: string })[] = [];
  let marks: Plot.Markish[];
  let plotOptions: Plot.PlotOptions;

  if (mode === "plane") {
    if (V.rows !== 2) {
      throw new RangeError(`geometryPlot: mode "plane" needs V with 2 rows, got ${V.rows}`);
    }
    const labels = options.axisLabels ?? ["x1", "x2"];
    let extent = 0;
    for (let j = 0; j < V.cols; j++) {
      const x = V.data[j] as number, y = V.data[V.cols + j] as number;
      dataPts.push({ x, y });
      extent = Math.max(extent, x, y);
      const s = x + y;
      if (s > 0) onSimplex.push({ x: x / s, y: y / s });
    }
    extent = Math.max(extent, 1) * 1.05;
    const rays: (Pt & { ray: number })[] = [];
    const angles: { angle: number; x: number; y: number }[] = [];
    for (let c = 0; c < W.cols; c++) {
      const x = W.data[c] as number, y = W.data[W.cols + c] as number;
      const s = x + y;
      if (!(s > 0)) continue;
      wPts.push({ x: x / s, y: y / s, label: `w${c + 1}` });
      const t = extent / Math.max(x, y);
      rays.push({ x: 0, y: 0, ray: c }, { x: x * t, y: y * t, ray: c });
      angles.push({ angle: Math.atan2(y, x), x: x * t, y: y * t });
    }
    angles.sort((a, b) => a.angle - b.angle);
    const cone: Pt[] = [];
    if (angles.length >= 2) {
      const lo = angles[0] as Pt, hi = angles[angles.length - 1] as Pt;
      cone.push({ x: 0, y: 0 }, lo);
      // Walk the frame's corner between the two extreme rays so the shading fills the wedge.
      if (lo.y < extent && hi.x < extent) cone.push({ x: extent, y: extent });
      cone.push(hi);
    }
    marks = [
      // The cone, as a closed filled polygon.
      Plot.line(cone.length > 0 ? [...cone, cone[0] as Pt] : [], {
        x: "x",
        y: "y",
        fill: "#d62728",
        fillOpacity: 0.1,
        stroke: "none",
      }),
      Plot.line([{ x: 1, y: 0 }, { x: 0, y: 1 }], {
        x: "x",
        y: "y",
        stroke: "#bbb",
        strokeDasharray: "3 3",
      }),
      Plot.line(rays, { x: "x", y: "y", z: "ray", stroke: "#d62728", strokeWidth: 1.5 }),
      Plot.dot(dataPts, { x: "x", y: "y", r: 3, fill: "#4269d0", fillOpacity: 0.7 }),
      Plot.dot(onSimplex, { x: "x", y: "y", r: 2.5, stroke: "#4269d0", fill: "none" }),
      ...basisPointMarks(wPts),
    ];
    plotOptions = {
      width: size,
      height: size,
      marginLeft: 45,
      x: { domain: [0, extent], label: labels[0] ?? "x1" },
      y: { domain: [0, extent], label: labels[1] ?? "x2" },
      grid: true,
      marks,
    };
  } else if (mode === "simplex") {
    if (V.rows !== 3) {
      throw new RangeError(`geometryPlot: mode "simplex" needs V with 3 rows, got ${V.rows}`);
    }
    const labels = options.axisLabels ?? ["x1", "x2", "x3"];
    for (let j = 0; j < V.cols; j++) {
      const v = sumTo1(column(V, j));
      if (v === undefined) continue;
      const [x, y] = ternary(v[0] as number, v[1] as number, v[2] as number);
      dataPts.push({ x, y });
    }
    for (let c = 0; c < W.cols; c++) {
      const w = sumTo1(column(W, c));
      if (w === undefined) continue;
      const [x, y] = ternary(w[0] as number, w[1] as number, w[2] as number);
      wPts.push({ x, y, label: `w${c + 1}` });
    }
    marks = [
      ...triangleMarks(labels),
      Plot.hull(wPts, { x: "x", y: "y", fill: "#d62728", fillOpacity: 0.1, stroke: "#d62728" }),
      Plot.dot(dataPts, { x: "x", y: "y", r: 2.5, fill: "#4269d0", fillOpacity: 0.7 }),
      ...basisPointMarks(wPts),
    ];
    plotOptions = ternaryFrame(size, marks);
  } else if (mode === "basis") {
    if (W.cols !== 3) {
      throw new RangeError(`geometryPlot: mode "basis" needs W with 3 columns, got ${W.cols}`);
    }
    const labels = options.axisLabels ?? ["w1", "w2", "w3"];
    const w = [0, 1, 2].map((c) => sumTo1(column(W, c)));
    if (w.some((x) => x === undefined)) throw new RangeError("geometryPlot: W has a zero column");
    const [w1, w2, w3] = w as [Float64Array, Float64Array, Float64Array];
    const m = V.rows;
    let a11 = 0, a12 = 0, a22 = 0;
    const d1 = new Float64Array(m), d2 = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      d1[i] = (w1[i] as number) - (w3[i] as number);
      d2[i] = (w2[i] as number) - (w3[i] as number);
      a11 += (d1[i] as number) ** 2;
      a12 += (d1[i] as number) * (d2[i] as number);
      a22 += (d2[i] as number) ** 2;
    }
    const det = a11 * a22 - a12 * a12;
    if (!(Math.abs(det) > 1e-14 * (a11 * a22 + 1e-300))) {
      throw new RangeError(
        "geometryPlot: W's normalized columns are collinear; no triangle to draw",
      );
    }
    const outside: Pt[] = [];
    for (let j = 0; j < V.cols; j++) {
      const v = sumTo1(column(V, j));
      if (v === undefined) continue;
      let r1 = 0, r2 = 0;
      for (let i = 0; i < m; i++) {
        const e = (v[i] as number) - (w3[i] as number);
        r1 += (d1[i] as number) * e;
        r2 += (d2[i] as number) * e;
      }
      const b1 = (a22 * r1 - a12 * r2) / det, b2 = (a11 * r2 - a12 * r1) / det, b3 = 1 - b1 - b2;
      // Barycentric → plane (affine; works outside the triangle too, unlike the normalized form).
      const p = { x: b2 + b3 / 2, y: b3 * SQRT3_2 };
      (Math.min(b1, b2, b3) < -1e-9 ? outside : dataPts).push(p);
    }
    const pts = [...dataPts, ...outside];
    const xs = [0, 1, ...pts.map((p) => p.x)], ys = [0, SQRT3_2, ...pts.map((p) => p.y)];
    marks = [
      ...triangleMarks(labels),
      Plot.line([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0.5, y: SQRT3_2 }, { x: 0, y: 0 }], {
        x: "x",
        y: "y",
        fill: "#d62728",
        fillOpacity: 0.08,
        stroke: "#d62728",
      }),
      Plot.dot(dataPts, { x: "x", y: "y", r: 2.5, fill: "#4269d0", fillOpacity: 0.7 }),
      Plot.dot(outside, { x: "x", y: "y", r: 2.5, fill: "#ff725c" }),
    ];
    plotOptions = ternaryFrame(size, marks, [Math.min(...xs), Math.max(...xs)], [
      Math.min(...ys),
      Math.max(...ys),
    ]);
    return renderFigure(plotOptions, {
      title: options.title,
      swatches: [
        { label: `inside the cone (${dataPts.length})`, color: "#4269d0" },
        { label: `outside (${outside.length})`, color: "#ff725c" },
      ],
    });
  } else {
    throw new RangeError(
      `geometryPlot: mode must be "plane", "simplex" or "basis", got ${String(mode)}`,
    );
  }
  return renderFigure(plotOptions, { title: options.title });
}

function ternaryFrame(
  size: number,
  marks: Plot.Markish[],
  xRange: [number, number] = [0, 1],
  yRange: [number, number] = [0, SQRT3_2],
): Plot.PlotOptions {
  const pad = 0.08 * Math.max(xRange[1] - xRange[0], yRange[1] - yRange[0]);
  const x: [number, number] = [xRange[0] - pad, xRange[1] + pad];
  const y: [number, number] = [yRange[0] - pad, yRange[1] + pad];
  const span = Math.max(x[1] - x[0], y[1] - y[0]);
  const cx = (x[0] + x[1]) / 2, cy = (y[0] + y[1]) / 2;
  return {
    width: size,
    height: size,
    margin: 20,
    x: { axis: null, domain: [cx - span / 2, cx + span / 2] },
    y: { axis: null, domain: [cy - span / 2, cy + span / 2] },
    marks,
  };
}
