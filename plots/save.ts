/**
 * Writing figures to files: `.svg` (the figure's own markup, with `xmlns`) and `.png`
 * (rasterized by resvg, the Rust SVG renderer, compiled to WebAssembly: `@resvg/resvg-wasm`).
 *
 * The `.wasm` file is read from the npm package itself (`import.meta.resolve` turns the npm
 * specifier into a path inside Deno's npm cache), so PNG export works offline once Deno has
 * downloaded the package. resvg-wasm sees no system fonts, so text needs font files: by default
 * the first of a few common Debian fonts found on disk (DejaVu Sans from `fonts-dejavu-core`,
 * Liberation Sans, Noto Sans); pass `fonts` to choose others. Without any, the picture is drawn
 * without its text and `warn` is told.
 *
 * This file uses `Deno.*` (file output), so it is not part of the browser-safe core.
 *
 * @module
 */

import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { type SvgLike, svgString } from "./figure.ts";

/** Options of {@linkcode savePlot} and {@linkcode renderPng}. */
export interface SavePlotOptions {
  /** PNG only: pixels per SVG unit (2 gives a sharp picture on high-density screens). @default 2 */
  scale?: number;
  /** PNG only: background colour (CSS); SVG files keep the figure's own white background style. @default "white" */
  background?: string;
  /**
   * PNG only: font files (paths or raw bytes) for the text. @default the first of
   * DEFAULT_FONT_PATHS that exists
   */
  fonts?: readonly (string | Uint8Array)[];
  /** Where a warning goes (e.g. no font found). @default console.warn */
  warn?: (message: string) => void;
}

/** Font files tried, in order, when `fonts` is not given (Debian package names in comments). */
export const DEFAULT_FONT_PATHS: readonly string[] = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", // fonts-dejavu-core
  "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", // fonts-liberation2
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", // fonts-liberation
  "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", // fonts-noto-core
  "/usr/share/fonts/opentype/noto/NotoSans-Regular.ttf",
  "/System/Library/Fonts/Supplemental/Arial.ttf", // macOS
  "C:\\Windows\\Fonts\\arial.ttf", // Windows
];

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  if (wasmReady === undefined) {
    // The package's entry resolves to a file in Deno's npm cache; the .wasm sits beside it.
    // (Version pinned once, in deno.json's import map.)
    const url = new URL("./index_bg.wasm", import.meta.resolve("@resvg/resvg-wasm")).href;
    wasmReady = (async () => {
      const bytes = url.startsWith("file:")
        ? await Deno.readFile(new URL(url))
        : new Uint8Array(await (await fetch(url)).arrayBuffer());
      await initWasm(bytes);
    })();
    wasmReady.catch(() => (wasmReady = undefined));
  }
  return wasmReady;
}

const fontCache = new Map<string, Uint8Array>();

async function readFont(path: string): Promise<Uint8Array | undefined> {
  const cached = fontCache.get(path);
  if (cached !== undefined) return cached;
  try {
    const bytes = await Deno.readFile(path);
    fontCache.set(path, bytes);
    return bytes;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function resolveFonts(options: SavePlotOptions): Promise<Uint8Array[]> {
  if (options.fonts !== undefined) {
    const out: Uint8Array[] = [];
    for (const [i, f] of options.fonts.entries()) {
      if (f instanceof Uint8Array) out.push(f);
      else if (typeof f === "string") {
        const bytes = await readFont(f);
        if (bytes === undefined) throw new RangeError(`savePlot: fonts[${i}] ${f} does not exist`);
        out.push(bytes);
      } else {
        throw new TypeError(
          `savePlot: fonts[${i}] must be a path or a Uint8Array, got ${typeof f}`,
        );
      }
    }
    return out;
  }
  for (const path of DEFAULT_FONT_PATHS) {
    const bytes = await readFont(path);
    if (bytes !== undefined) return [bytes];
  }
  return [];
}

/**
 * Rasterize a figure to PNG bytes (the size is the SVG's width × height times `scale`).
 *
 * @example
 * ```ts
 * import { renderPng } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const png = await renderPng('<svg width="20" height="10"><rect width="20" height="10"/></svg>', { scale: 1 });
 * assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
 * ```
 */
export async function renderPng(plot: SvgLike, options: SavePlotOptions = {}): Promise<Uint8Array> {
  const svg = svgString(plot);
  const scale = options.scale ?? 2;
  if (typeof scale !== "number" || !(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`renderPng: scale must be a finite number > 0, got ${String(scale)}`);
  }
  await loadWasm();
  const fonts = await resolveFonts(options);
  if (fonts.length === 0) {
    (options.warn ?? console.warn)(
      "renderPng: no font file found (tried " + DEFAULT_FONT_PATHS.join(", ") +
        "); text is left out. Install fonts-dejavu-core or pass { fonts }.",
    );
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: options.background ?? "white",
    font: {
      fontBuffers: fonts,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
      defaultFontSize: 10,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/**
 * Save a figure to `path`: `.svg` writes the markup, `.png` rasterizes it (see
 * {@linkcode renderPng}). Needs `--allow-write` (and `--allow-read` for PNG: wasm and fonts).
 *
 * @example
 * ```ts
 * import { convergencePlot, savePlot } from "../mod.ts";
 * const trace = [0, 1, 2].map((i) => ({
 *   iteration: i, loss: 4 / (i + 1), relativeError: 0.3, kkt: 1, seconds: i, negatives: 0,
 * }));
 * const dir = await Deno.makeTempDir();
 * await savePlot(convergencePlot([trace]), `${dir}/convergence.png`);
 * await savePlot(convergencePlot([trace]), `${dir}/convergence.svg`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function savePlot(
  plot: SvgLike,
  path: string,
  options: SavePlotOptions = {},
): Promise<void> {
  if (typeof path !== "string") {
    throw new TypeError(
      `savePlot: path must be a string ending in .svg or .png, got ${typeof path}`,
    );
  }
  const lower = path.toLowerCase();
  if (lower.endsWith(".svg")) {
    await Deno.writeTextFile(path, `<?xml version="1.0" encoding="UTF-8"?>\n${svgString(plot)}\n`);
  } else if (lower.endsWith(".png")) {
    await Deno.writeFile(path, await renderPng(plot, options));
  } else {
    throw new RangeError(`savePlot: path must end in .svg or .png, got ${JSON.stringify(path)}`);
  }
}
