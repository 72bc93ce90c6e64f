/**
 * A compact HTML summary of an `nmf` result for notebooks: what ran (solver, β, rank, backend),
 * how it ended (iterations, stop reason, final loss, relative error, seconds) and a sparkline of
 * the loss on a log scale. Pure string building: no DOM, no plotting library, no `Deno.*`, so it
 * runs anywhere the core runs. Attach it as a Jupyter display with
 * `{ [Symbol.for("Jupyter.display")]: () => ({ "text/html": resultSummaryHtml(result) }) }`.
 *
 * @module
 */

/** The fields of a result that the summary reads (an `NmfResult` has them all). */
export interface ResultSummaryInput {
  solver: string;
  beta: number;
  iterations: number;
  stopReason: string;
  converged?: boolean;
  loss: number;
  relativeError: number;
  backend: string;
  seconds: number;
  W: { rows: number; cols: number };
  H: { rows: number; cols: number };
  trace: readonly { iteration: number; loss: number }[];
  warnings?: readonly string[];
}

/** Options of {@linkcode resultSummaryHtml} and {@linkcode lossSparklineSvg}. */
export interface ResultSummaryOptions {
  /** Sparkline width in pixels. @default 160 */
  sparklineWidth?: number;
  /** Sparkline height in pixels. @default 36 */
  sparklineHeight?: number;
}

const BETA_NAMES: Record<string, string> = {
  "2": "Frobenius",
  "1": "Kullback–Leibler",
  "0": "Itakura–Saito",
};

/** `text` with &, <, >, " and ' escaped for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

/** A number in 4 significant digits (exponential when very large or small). */
function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(+x.toPrecision(4));
  return x.toExponential(3);
}

/**
 * An inline SVG sparkline of log₁₀(loss) against iteration (a plain string). Entries with a
 * non-positive or non-finite loss are skipped; fewer than two usable entries give an empty string.
 *
 * @example
 * ```ts
 * import { lossSparklineSvg } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const svg = lossSparklineSvg([{ iteration: 0, loss: 100 }, { iteration: 5, loss: 1 }]);
 * assert.match(svg, /<polyline points="1,1 159,35"/);
 * ```
 */
export function lossSparklineSvg(
  trace: readonly { iteration: number; loss: number }[],
  options: ResultSummaryOptions = {},
): string {
  const width = options.sparklineWidth ?? 160;
  const height = options.sparklineHeight ?? 36;
  if (!(width > 2) || !(height > 2)) {
    throw new RangeError(`lossSparklineSvg: sizes must be > 2 pixels, got ${width}×${height}`);
  }
  const pts = trace.filter((e) =>
    Number.isFinite(e.iteration) && e.loss > 0 && Number.isFinite(e.loss)
  );
  if (pts.length < 2) return "";
  const x0 = pts[0]!.iteration, x1 = pts[pts.length - 1]!.iteration;
  let lo = Infinity, hi = -Infinity;
  for (const e of pts) {
    const l = Math.log10(e.loss);
    lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  const xs = (i: number) => 1 + ((i - x0) / (x1 - x0 || 1)) * (width - 2);
  const ys = (l: number) => 1 + (hi === lo ? 0.5 : (hi - l) / (hi - lo)) * (height - 2);
  const points = pts.map((e) =>
    `${+xs(e.iteration).toFixed(1)},${+ys(Math.log10(e.loss)).toFixed(1)}`
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="loss per iteration, log scale">` +
    `<title>loss ${num(pts[0]!.loss)} → ${num(pts[pts.length - 1]!.loss)} (log scale)</title>` +
    `<polyline points="${points.join(" ")}" fill="none" stroke="#4269d0" stroke-width="1.5" ` +
    `stroke-linejoin="round"/>` +
    `<circle cx="${points[points.length - 1]!.split(",")[0]}" cy="${
      points[points.length - 1]!.split(",")[1]
    }" r="2" fill="#4269d0"/></svg>`;
}

/**
 * A compact HTML table summarizing an `nmf` result, with a loss sparkline.
 *
 * @example
 * ```ts
 * import { Matrix, nmf, resultSummaryHtml } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const V = Matrix.fromRows([[1, 2, 3], [2, 4, 6], [1, 0, 1]]);
 * const result = nmf(V, { rank: 2, seed: 1 });
 * const html = resultSummaryHtml(result);
 * assert.match(html, /<svg/);
 * // In a notebook: Deno.jupyter.display({ "text/html": html }, { raw: true });
 * ```
 */
export function resultSummaryHtml(
  result: ResultSummaryInput,
  options: ResultSummaryOptions = {},
): string {
  if (result === null || typeof result !== "object" || !Array.isArray(result.trace)) {
    throw new TypeError("resultSummaryHtml: result must be an nmf result (with a trace array)");
  }
  const betaName = BETA_NAMES[String(result.beta)];
  const beta = betaName === undefined ? num(result.beta) : `${num(result.beta)} (${betaName})`;
  const m = result.W.rows, n = result.H.cols, k = result.W.cols;
  const stop = result.stopReason + (result.converged === true ? " (converged)" : "");
  const rows: [string, string][] = [
    ["solver", result.solver],
    ["β", beta],
    ["rank", `${k} (V is ${m}×${n})`],
    ["iterations", String(result.iterations)],
    ["stopped by", stop],
    ["final loss", num(result.loss)],
    ["relative error", num(result.relativeError)],
    ["backend", result.backend],
    ["seconds", num(result.seconds)],
  ];
  const cell = "padding:1px 8px;text-align:left;font-size:inherit;";
  const table = rows.map(([k, v]) =>
    `<tr><th style="${cell}font-weight:600">${escapeHtml(k)}</th>` +
    `<td style="${cell}font-variant-numeric:tabular-nums">${escapeHtml(v)}</td></tr>`
  ).join("");
  const spark = lossSparklineSvg(result.trace, options);
  const warnings = (result.warnings ?? []).map((w) =>
    `<div style="color:#a15c00">⚠ ${escapeHtml(w)}</div>`
  ).join("");
  return `<div class="nmflab-result" style="font-family:system-ui,sans-serif;font-size:13px">` +
    `<div style="font-weight:600;margin-bottom:2px">NMF result</div>` +
    `<div style="display:flex;gap:16px;align-items:center">` +
    `<table style="border-collapse:collapse">${table}</table>` +
    (spark === ""
      ? ""
      : `<div><div style="color:#666;font-size:11px">loss (log scale)</div>${spark}</div>`) +
    `</div>${warnings}</div>`;
}
