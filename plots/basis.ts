/**
 * Basis images: each column of W (or row of H) reshaped to a small picture, laid out in a grid.
 * This is the classic picture of "parts-based" NMF features (Lee & Seung 1999): NMF components
 * of faces or digits are local strokes and patches, while PCA components (signed, holistic)
 * need a diverging colour scale to be read at all.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { Matrix } from "../linalg/matrix.ts";
import { type Figure, renderFigure } from "./figure.ts";
import { base64, encodeRgbPng, parseRgb } from "./png.ts";

/** Options of {@linkcode basisImages}. */
export interface BasisImagesOptions {
  /** [height, width] of one image; height × width must equal the length of a column (row). */
  imageShape: readonly [number, number];
  /** Draw the columns of the matrix (W: m×k) or its rows (H: k×n). @default "columns" */
  of?: "columns" | "rows";
  /** How a vector fills an image: row by row (C, NumPy) or column by column (Fortran, MATLAB). @default "row-major" */
  order?: "row-major" | "column-major";
  /** Colour scale: sequential (non-negative data), diverging around 0, or pick by the data's sign. @default "auto" */
  color?: "auto" | "sequential" | "diverging";
  /** Observable Plot colour scheme name (e.g. "viridis", "rdbu"). @default "greys" for sequential, "burd" (blue < 0 < red) for diverging */
  scheme?: string;
  /** Scale each image to its own largest |value| ("each") or share one scale ("shared"). @default "each" */
  normalize?: "each" | "shared";
  /** Images per grid row. @default ceil(sqrt(number of images)) */
  columns?: number;
  /** One label per image. @default "1", "2", … */
  labels?: readonly string[];
  /** On-screen size of one image's longer side, in pixels. @default 72 */
  tileSize?: number;
  /**
   * How pixels are drawn: one `<rect>` each ("rects", easy to inspect), or one embedded PNG per
   * image ("images", much smaller for large pictures such as 25×25 faces). @default "auto":
   * rects up to 4096 pixels in all, images above
   */
  render?: "auto" | "rects" | "images";
  /** Draw the colour ramp below the grid. @default true */
  legend?: boolean;
  /** Title line above the grid. @default undefined (none) */
  title?: string;
}

interface Pixel {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  v: number;
}

function positiveInt(v: unknown, name: string): number {
  if (typeof v !== "number") {
    throw new TypeError(`basisImages: ${name} must be a number, got ${typeof v}`);
  }
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`basisImages: ${name} must be a positive integer, got ${v}`);
  }
  return v;
}

/**
 * Draw the columns of `M` (or its rows) as a grid of small images.
 *
 * @example
 * ```ts
 * import { basisImages, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * // Two 2×3 "images" stored as the columns of a 6×2 matrix.
 * const W = Matrix.fromRows([[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1]]);
 * const fig = basisImages(W, { imageShape: [2, 3], labels: ["top", "bottom"] });
 * assert.equal(fig.querySelectorAll('g[aria-label="rect"] rect').length, 12);
 * ```
 */
export function basisImages(M: Matrix, options: BasisImagesOptions): Figure {
  if (!(M instanceof Matrix)) {
    throw new TypeError(`basisImages: M must be a Matrix, got ${typeof M}`);
  }
  if (options === null || typeof options !== "object" || !Array.isArray(options.imageShape)) {
    throw new TypeError("basisImages: options.imageShape must be [height, width]");
  }
  const h = positiveInt(options.imageShape[0], "imageShape[0]");
  const w = positiveInt(options.imageShape[1], "imageShape[1]");
  const ofColumns = (options.of ?? "columns") === "columns";
  const count = ofColumns ? M.cols : M.rows;
  const length = ofColumns ? M.rows : M.cols;
  if (h * w !== length) {
    throw new RangeError(
      `basisImages: imageShape ${h}×${w} = ${h * w} must equal the ${
        ofColumns ? "column" : "row"
      } length ${length}`,
    );
  }
  if (count === 0) throw new RangeError("basisImages: M has no images to draw (0 columns/rows)");
  const cols = options.columns === undefined
    ? Math.ceil(Math.sqrt(count))
    : positiveInt(options.columns, "columns");
  const gridRows = Math.ceil(count / cols);
  if (options.labels !== undefined && options.labels.length !== count) {
    throw new RangeError(
      `basisImages: labels must have one entry per image (${count}), got ${options.labels.length}`,
    );
  }
  const labels = options.labels ?? Array.from({ length: count }, (_, i) => String(i + 1));
  const colMajor = options.order === "column-major";
  const each = (options.normalize ?? "each") === "each";

  const at = (img: number, p: number): number =>
    M.data[ofColumns ? p * M.cols + img : img * M.cols + p] as number;
  let anyNegative = false;
  let globalMax = 0;
  const imageMax = new Float64Array(count);
  for (let img = 0; img < count; img++) {
    let mx = 0;
    for (let p = 0; p < length; p++) {
      const v = at(img, p);
      if (!Number.isFinite(v)) {
        throw new RangeError(`basisImages: M has a non-finite entry (${v}) in image ${img + 1}`);
      }
      if (v < 0) anyNegative = true;
      mx = Math.max(mx, Math.abs(v));
    }
    imageMax[img] = mx;
    globalMax = Math.max(globalMax, mx);
  }
  const mode = options.color ?? "auto";
  const diverging = mode === "diverging" || (mode === "auto" && anyNegative);

  const gap = Math.max(1, Math.round(Math.max(h, w) / 8));
  const labelRows = Math.max(1.5, Math.max(h, w) / 5);
  const cellW = w + gap, cellH = h + gap + labelRows;
  const totalW = cols * cellW - gap, totalH = gridRows * cellH - gap;
  const unit = (options.tileSize ?? 72) / Math.max(h, w);
  const margin = 4;
  const width = Math.round(totalW * unit + 2 * margin);
  const height = Math.round(totalH * unit + 2 * margin);
  const top = each ? 1 : (globalMax > 0 ? globalMax : 1);
  const color: Plot.ScaleOptions = {
    type: "linear",
    scheme: (options.scheme ?? (diverging ? "burd" : "greys")) as Plot.ColorScheme,
    domain: diverging ? [-top, top] : [0, top],
  };
  const render = options.render ?? "auto";
  if (render !== "auto" && render !== "rects" && render !== "images") {
    throw new RangeError(
      `basisImages: render must be "auto", "rects" or "images", got ${String(render)}`,
    );
  }
  const asImages = render === "images" || (render === "auto" && count * length > 4096);
  const value = (img: number, r: number, c: number): number => {
    const scale = each ? imageMax[img] as number : globalMax;
    const v = at(img, colMajor ? c * h + r : r * w + c);
    return scale > 0 ? (each ? v / scale : v) : 0;
  };
  const texts: { x: number; y: number; label: string }[] = [];
  const pixels: Pixel[] = [];
  const pictures: { x: number; y: number; src: string }[] = [];
  const colorScale = asImages ? Plot.scale({ color }) : undefined;
  for (let img = 0; img < count; img++) {
    const gx = (img % cols) * cellW;
    const gy = Math.floor(img / cols) * cellH + labelRows;
    texts.push({ x: gx + w / 2, y: gy - labelRows * 0.15, label: labels[img] as string });
    if (colorScale !== undefined) {
      const rgb = new Uint8Array(h * w * 3);
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          rgb.set(parseRgb(String(colorScale.apply(value(img, r, c)))), (r * w + c) * 3);
        }
      }
      pictures.push({
        x: gx + w / 2,
        y: gy + h / 2,
        src: `data:image/png;base64,${base64(encodeRgbPng(w, h, rgb))}`,
      });
    } else {
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          pixels.push({
            x1: gx + c,
            x2: gx + c + 1,
            y1: gy + r,
            y2: gy + r + 1,
            v: value(img, r, c),
          });
        }
      }
    }
  }
  const ux = (width - 2 * margin) / totalW, uy = (height - 2 * margin) / totalH;
  const pixelMark = colorScale !== undefined
    ? Plot.image(pictures, {
      x: "x",
      y: "y",
      src: "src",
      width: w * ux,
      height: h * uy,
      preserveAspectRatio: "none",
      // "optimizeSpeed" is CSS Images 3's synonym of "pixelated", and resvg reads it too.
      imageRendering: "optimizeSpeed",
    })
    : Plot.rect(pixels, {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fill: "v",
      shapeRendering: "crispEdges",
    });
  return renderFigure(
    {
      width,
      height,
      margin,
      x: { axis: null, domain: [0, totalW] },
      y: { axis: null, domain: [totalH, 0] },
      color,
      marks: [
        pixelMark,
        Plot.text(texts, {
          x: "x",
          y: "y",
          text: "label",
          lineAnchor: "bottom",
          fontSize: Math.max(9, Math.min(12, unit * labelRows * 0.7)),
        }),
      ],
    },
    {
      title: options.title,
      ramp: (options.legend ?? true)
        ? (each ? "value / largest |value| of its image" : "value")
        : undefined,
    },
  );
}
