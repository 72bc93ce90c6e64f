/**
 * Turning Observable Plot options into a finished nmflab figure: one self-contained `<svg>`
 * element (no HTML wrappers, so the same element displays in Jupyter, saves to `.svg` and
 * rasterizes to `.png`), with an optional title line, an optional swatch legend on the right and
 * an optional colour ramp below, all drawn as SVG.
 *
 * Every helper in `plots/` returns such a figure. It displays itself in the Deno Jupyter kernel:
 * the element carries a `[Symbol.for("Jupyter.display")]()` method returning
 * `{ "image/svg+xml": <svg xmlns=…>…</svg>, "text/plain": "…" }`, so a figure that is the last
 * expression of a cell renders inline, and `await Deno.jupyter.display(figure)` shows one
 * mid-cell (await it: display is asynchronous, and un-awaited calls may show out of order).
 *
 * ```ts ignore
 * // A notebook cell (Deno kernel): the last expression is drawn as image/svg+xml.
 * import { convergencePlot, heatmap, nmf } from "../mod.ts";
 * const r1 = nmf(V, { rank: 5, seed: 1 }), r2 = nmf(V, { rank: 5, seed: 1, solver: "hals" });
 * await Deno.jupyter.display(heatmap(r1.W)); // one picture mid-cell
 * convergencePlot([r1, r2]);                 // and one as the cell's result
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { plotDocument } from "./document.ts";

/** What `Plot.plot` returns: a DOM element (here always an `<svg>`) with `.scale(name)`. */
export type Figure = ReturnType<typeof Plot.plot>;

/** One entry of a swatch legend. */
export interface Swatch {
  /** The text shown. */
  label: string;
  /** A CSS colour. */
  color: string;
  /** Draw a short line (for line marks) instead of a square. @default "square" */
  shape?: "square" | "line";
}

/** Extras drawn around the Plot chart by {@linkcode renderFigure}. */
export interface FigureExtras {
  /** A bold title line above the chart. @default undefined (no title) */
  title?: string | undefined;
  /** A swatch legend to the right of the chart. @default undefined (no legend) */
  swatches?: Swatch[] | undefined;
  /** Draw the chart's continuous colour scale as a ramp below it, with this label. @default undefined */
  ramp?: string | undefined;
  /**
   * The colour scale the ramp shows, for charts whose marks carry their colours themselves
   * (embedded images). @default the chart's own color scale
   */
  rampScale?: Plot.ScaleOptions | undefined;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const TITLE_HEIGHT = 24;
const SWATCH_ROW = 16;

const RAMP_HEIGHT = 40;
const RAMP_STEPS = 64;

/** About five round numbers spanning [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
    out.push(Number((i * step).toPrecision(12)));
  }
  return out;
}

/**
 * The chart's continuous colour scale drawn as a ramp of small rectangles with ticks (Plot's own
 * ramp legend needs a canvas, which `linkedom` lacks; rectangles also need no gradient ids).
 */
function colorRamp(
  doc: Document,
  fig: Figure,
  label: string,
  width: number,
  given: Plot.ScaleOptions | undefined,
): Element {
  const scale = given !== undefined ? Plot.scale({ color: given }) : fig.scale("color");
  const domain = scale?.domain === undefined ? undefined : Array.from(scale.domain, Number);
  if (scale === undefined || domain === undefined || domain.length < 2) {
    throw new TypeError("renderFigure: ramp needs a continuous color scale in the chart");
  }
  const lo = domain[0] as number, hi = domain[domain.length - 1] as number;
  const g = svgEl(doc, "g", { "aria-label": "color ramp", "font-size": 10 });
  const title = svgEl(doc, "text", { x: 0, y: 8, "text-anchor": "start" });
  title.textContent = label;
  g.appendChild(title);
  const step = width / RAMP_STEPS;
  for (let i = 0; i < RAMP_STEPS; i++) {
    const v = lo + ((i + 0.5) / RAMP_STEPS) * (hi - lo);
    g.appendChild(
      svgEl(doc, "rect", {
        x: +(i * step).toFixed(2),
        y: 13,
        width: +(step + 0.5).toFixed(2),
        height: 10,
        fill: String(scale.apply(v)),
      }),
    );
  }
  for (const t of niceTicks(lo, hi)) {
    const x = +(((t - lo) / (hi - lo)) * width).toFixed(2);
    g.appendChild(svgEl(doc, "line", { x1: x, x2: x, y1: 13, y2: 27, stroke: "currentColor" }));
    const text = svgEl(doc, "text", { x, y: 36, "text-anchor": "middle" });
    text.textContent = String(t);
    g.appendChild(text);
  }
  return g;
}

/** Rough width of `text` at Plot's 10px sans-serif (used to size legends; no font metrics here). */
function textWidth(text: string): number {
  return text.length * 6.2;
}

function numberAttr(el: Element, name: string): number {
  const v = Number(el.getAttribute(name));
  if (!Number.isFinite(v)) {
    throw new TypeError(`renderFigure: the chart's ${name} attribute is not a number`);
  }
  return v;
}

function setSize(svg: Element, width: number, height: number): void {
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
}

/** Move every child of `svg` except `<style>` into a `<g>` translated by (dx, dy). */
function shiftContent(svg: Element, dx: number, dy: number): void {
  const doc = svg.ownerDocument;
  const g = doc.createElementNS(SVG_NS, "g");
  g.setAttribute("transform", `translate(${dx},${dy})`);
  for (const child of Array.from(svg.childNodes)) {
    if ((child as Element).tagName?.toLowerCase() === "style") continue;
    g.appendChild(child);
  }
  svg.appendChild(g);
}

function svgEl(doc: Document, tag: string, attrs: Record<string, string | number>): Element {
  const el = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Render `options` with Observable Plot into the shared `linkedom` document, then add the
 * extras and the Jupyter display hook. The helpers in `plots/` all end here; use it for your own
 * charts so they display and save like the built-in ones.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { renderFigure, svgString } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const fig = renderFigure({ marks: [Plot.lineY([3, 2, 1])] }, { title: "Falling" });
 * assert.match(svgString(fig), /<text[^>]*>Falling<\/text>/);
 * // In a Jupyter cell, `fig` as the last expression renders the picture.
 * ```
 */
export function renderFigure(options: Plot.PlotOptions, extras: FigureExtras = {}): Figure {
  const doc = plotDocument();
  const fig = Plot.plot({ ...options, document: doc });
  if (fig.tagName.toLowerCase() !== "svg") {
    throw new TypeError(
      "renderFigure: Plot returned an HTML figure (do not pass Plot's title/caption/legend " +
        "options; use the extras argument instead)",
    );
  }
  const chartWidth = numberAttr(fig, "width");
  const chartHeight = numberAttr(fig, "height");
  const top = extras.title !== undefined ? TITLE_HEIGHT : 0;
  let width = chartWidth;
  let height = chartHeight + top;
  if (top > 0) shiftContent(fig, 0, top);

  if (extras.title !== undefined) {
    const t = svgEl(doc, "text", {
      x: 8,
      y: 17,
      "text-anchor": "start",
      "font-size": 14,
      "font-weight": "bold",
      "aria-label": "title",
    });
    t.textContent = extras.title;
    fig.appendChild(t);
  }

  if (extras.ramp !== undefined) {
    const rampWidth = Math.max(160, Math.min(240, chartWidth - 20));
    const ramp = colorRamp(doc, fig, extras.ramp, rampWidth, extras.rampScale);
    ramp.setAttribute("transform", `translate(10,${height + 4})`);
    fig.appendChild(ramp);
    height += RAMP_HEIGHT + 4;
    width = Math.max(width, rampWidth + 20);
  }

  if (extras.swatches !== undefined && extras.swatches.length > 0) {
    const items = extras.swatches;
    const legendWidth = 28 + Math.max(...items.map((s) => textWidth(s.label))) + 10;
    const g = svgEl(doc, "g", {
      "aria-label": "legend",
      transform: `translate(${chartWidth + 6},${top + 20})`,
      "text-anchor": "start",
      "font-size": 10,
    });
    items.forEach((s, i) => {
      const y = i * SWATCH_ROW;
      g.appendChild(
        s.shape === "line"
          ? svgEl(doc, "line", {
            x1: 0,
            x2: 16,
            y1: y + 6,
            y2: y + 6,
            stroke: s.color,
            "stroke-width": 2,
          })
          : svgEl(doc, "rect", { x: 2, y: y + 1, width: 11, height: 11, fill: s.color }),
      );
      const text = svgEl(doc, "text", { x: 22, y: y + 6, dy: "0.32em" });
      text.textContent = s.label;
      g.appendChild(text);
    });
    fig.appendChild(g);
    width = Math.ceil(chartWidth + legendWidth);
    height = Math.max(height, top + 20 + items.length * SWATCH_ROW + 10);
  }

  setSize(fig, width, height);
  fig.setAttribute("xmlns", SVG_NS);
  fig.setAttribute("style", "background: white; color: black;");
  if (extras.title !== undefined) fig.setAttribute("aria-label", extras.title);
  return withJupyterDisplay(fig);
}

/**
 * Give an `<svg>` element a `[Symbol.for("Jupyter.display")]()` method returning its
 * {@linkcode plotMimeBundle}, so that the Deno Jupyter kernel shows it as a picture when it is
 * the last expression of a cell or is passed to `Deno.jupyter.display`. Returns the element.
 */
export function withJupyterDisplay<T extends Element>(svg: T): T {
  Object.defineProperty(svg, Symbol.for("Jupyter.display"), {
    value: () => plotMimeBundle(svg),
    enumerable: false,
    configurable: true,
  });
  return svg;
}

/** Anything with an `outerHTML` (a DOM element) or an SVG string. */
export type SvgLike = { outerHTML: string } | string;

/**
 * The standalone SVG text of a figure (with `xmlns`, ready for a `.svg` file or an `<img>`).
 * Throws a TypeError when given something that is not an `<svg>`.
 *
 * @example
 * ```ts
 * import { convergencePlot, svgString } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const trace = [0, 1, 2].map((i) => ({
 *   iteration: i, loss: 10 / (i + 1), relativeError: 0.5, kkt: 1, seconds: i, negatives: 0,
 * }));
 * assert.ok(svgString(convergencePlot([trace])).startsWith('<svg'));
 * ```
 */
export function svgString(plot: SvgLike): string {
  const text = typeof plot === "string"
    ? plot
    : plot !== null && typeof plot === "object" && typeof plot.outerHTML === "string"
    ? plot.outerHTML
    : undefined;
  if (text === undefined) {
    throw new TypeError(
      `svgString: plot must be an SVG element or an SVG string, got ${typeof plot}`,
    );
  }
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("<svg")) {
    throw new TypeError(
      `svgString: plot must be an <svg> element, got one starting with ${
        JSON.stringify(trimmed.slice(0, 20))
      } (Plot figures with HTML legends or titles cannot be saved; use renderFigure's extras)`,
    );
  }
  if (/^<svg[^>]*\sxmlns=/.test(trimmed)) return trimmed;
  return trimmed.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
}

/**
 * The Jupyter MIME bundle of a figure: `{ "image/svg+xml": svg, "text/plain": label }`.
 * Figures from nmflab's helpers already return this from `[Symbol.for("Jupyter.display")]()`;
 * use this for an SVG built elsewhere, e.g. `Deno.jupyter.display(plotMimeBundle(svg), { raw: true })`.
 *
 * @example
 * ```ts
 * import { plotMimeBundle } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const bundle = plotMimeBundle('<svg width="10" height="10"></svg>');
 * assert.match(bundle["image/svg+xml"], /xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * ```
 */
export function plotMimeBundle(plot: SvgLike): { "image/svg+xml": string; "text/plain": string } {
  const svg = svgString(plot);
  const label = /^<svg[^>]*\saria-label="([^"]*)"/.exec(svg)?.[1];
  return {
    "image/svg+xml": svg,
    "text/plain": label !== undefined ? `[nmflab plot: ${label}]` : "[nmflab plot]",
  };
}
