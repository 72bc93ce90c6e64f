/**
 * Several figures in one picture, e.g. NMF's parts-based basis images next to PCA's holistic
 * components. The result is again one `<svg>` (the figures are copied in as nested `<svg>`
 * elements), so it displays in Jupyter and saves to SVG/PNG like any single figure.
 *
 * @module
 */

import { plotDocument } from "./document.ts";
import { type Figure, withJupyterDisplay } from "./figure.ts";

/** Options of {@linkcode sideBySide}. */
export interface SideBySideOptions {
  /** Figures per row. @default all in one row */
  columns?: number;
  /** Space between figures in pixels. @default 16 */
  gap?: number;
  /** Title line above all figures. @default undefined (none) */
  title?: string;
}

const SVG_NS = "http://www.w3.org/2000/svg";

function size(fig: Element, i: number): [number, number] {
  const w = Number(fig.getAttribute("width")), h = Number(fig.getAttribute("height"));
  if (!(w > 0) || !(h > 0)) {
    throw new TypeError(`sideBySide: figures[${i}] must be an <svg> with numeric width and height`);
  }
  return [w, h];
}

/**
 * Lay figures out in a grid (left to right, then top to bottom). The inputs are copied, not moved.
 *
 * @example
 * ```ts
 * import { basisImages, Matrix, sideBySide, svd } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.fromRows([[1, 0], [1, 0], [0, 1], [0, 1]]);
 * const { U } = svd(W, { rank: 2 });
 * const fig = sideBySide([
 *   basisImages(W, { imageShape: [2, 2], title: "NMF" }),
 *   basisImages(U, { imageShape: [2, 2], title: "PCA" }),
 * ]);
 * assert.equal(fig.querySelectorAll(":scope > svg").length, 2);
 * ```
 */
export function sideBySide(figures: readonly Figure[], options: SideBySideOptions = {}): Figure {
  if (!Array.isArray(figures) || figures.length === 0) {
    throw new RangeError("sideBySide: figures must be a non-empty array of figures");
  }
  figures.forEach((f, i) => {
    if (f === null || typeof f !== "object" || f.tagName?.toLowerCase() !== "svg") {
      throw new TypeError(`sideBySide: figures[${i}] must be an <svg> figure`);
    }
  });
  const columns = options.columns ?? figures.length;
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`sideBySide: columns must be a positive integer, got ${columns}`);
  }
  const gap = options.gap ?? 16;
  const doc = plotDocument();
  const out = doc.createElementNS(SVG_NS, "svg");
  const top = options.title !== undefined ? 24 : 0;
  if (options.title !== undefined) {
    const t = doc.createElementNS(SVG_NS, "text");
    for (
      const [k, v] of Object.entries({
        x: 8,
        y: 17,
        "font-size": 14,
        "font-weight": "bold",
        "font-family": "system-ui, sans-serif",
        "aria-label": "title",
      })
    ) t.setAttribute(k, String(v));
    t.textContent = options.title;
    out.appendChild(t);
    out.setAttribute("aria-label", options.title);
  }
  let y = top, width = 0;
  for (let start = 0; start < figures.length; start += columns) {
    let x = 0, rowHeight = 0;
    for (let i = start; i < Math.min(start + columns, figures.length); i++) {
      const fig = figures[i] as Figure;
      const [w, h] = size(fig, i);
      const copy = fig.cloneNode(true) as Element;
      copy.removeAttribute("xmlns");
      copy.setAttribute("x", String(x));
      copy.setAttribute("y", String(y));
      out.appendChild(copy);
      x += w + gap;
      rowHeight = Math.max(rowHeight, h);
    }
    width = Math.max(width, x - gap);
    y += rowHeight + gap;
  }
  const height = y - gap;
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  out.setAttribute("style", "background: white; color: black;");
  return withJupyterDisplay(out) as unknown as Figure;
}
