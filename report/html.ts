/**
 * The report page: one self-contained `index.html` (inline CSS, no scripts from elsewhere) that
 * links its figures (SVG shown, PNG linked) and CSV tables. A summary of passed and failed
 * claims comes first, then the machine and versions, then one section per experiment with its
 * question, figures, the claims it asserted and its tables.
 *
 * A small inline script checks after loading that every figure decoded (`img.complete &&
 * img.naturalWidth > 0`) and writes the verdict into `<body data-figures="ok|broken">`, so a
 * headless browser's `--dump-dom` tells a test whether any image is broken.
 *
 * Pure: builds a string, touches no files.
 *
 * @module
 */

import type { SectionResult, TableCell } from "./types.ts";

/** Titles of the eight notebooks. */
export const NOTEBOOK_TITLES: Readonly<Record<number, string>> = {
  1: "Objectives and noise models",
  2: "Constraints and gradient descent",
  3: "Convergence",
  4: "Initialization",
  5: "Non-uniqueness and scaling indeterminacy",
  6: "Geometry and hardness",
  7: "Computational scaling",
  8: "Applications",
};

/** What the page shows besides the sections. */
export interface ReportPage {
  /** "full" or "quick". */
  mode: "full" | "quick";
  /** The sections, in order. */
  sections: SectionResult[];
  /** Label → value rows of the machine and versions table. */
  machine: [string, string][];
  /** Wall seconds of the whole run. */
  totalSeconds: number;
  /** ISO time the report was made. */
  createdAt: string;
  /** The command that reproduces this report. @default undefined (not shown) */
  command?: string;
  /** Notebook number → path of the notebook relative to the report (when it exists). */
  notebookLinks?: Record<number, string>;
}

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/**
 * A number as a reader wants it in a table: integers as they are, others to 4 significant
 * digits, very small or large ones in exponent form.
 *
 * @example
 * ```ts
 * import { formatCell } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatCell(3), "3");
 * assert.equal(formatCell(0.123456), "0.1235");
 * assert.equal(formatCell(2.5e-13), "2.500e-13");
 * assert.equal(formatCell(true), "yes");
 * ```
 */
export function formatCell(value: TableCell | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

const CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 20px 60px; color: #1a1a1a; }
h1 { margin: 28px 0 4px; }
h2 { margin-top: 44px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
h3 { margin-top: 32px; }
.question { font-style: italic; color: #333; }
.meta { color: #666; font-size: 13px; }
.summary { display: flex; gap: 16px; flex-wrap: wrap; margin: 16px 0; }
.badge { padding: 10px 16px; border-radius: 6px; font-weight: 600; }
.badge.pass { background: #e3f4e5; color: #1b5e20; }
.badge.fail { background: #fde7e7; color: #b71c1c; }
.badge.info { background: #eef2f8; color: #23395d; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fff3f3; }
.verdict.pass { color: #1b5e20; font-weight: 600; }
.verdict.fail { color: #b71c1c; font-weight: 600; }
figure { margin: 12px 0 20px; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 13px; color: #444; }
.error { background: #fde7e7; padding: 8px 12px; border-radius: 4px; white-space: pre-wrap; }
nav ol { columns: 2; font-size: 14px; }
`;

const FIGURE_CHECK = `
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (img) { return !(img.complete && img.naturalWidth > 0); });
  broken.forEach(function (img) { img.setAttribute("data-broken", "true"); });
  document.body.setAttribute("data-figures-total", String(images.length));
  document.body.setAttribute("data-figures-broken", String(broken.length));
  document.body.setAttribute("data-broken-sources", broken.map(function (img) { return img.getAttribute("src"); }).join(" "));
  document.body.setAttribute("data-figures", broken.length === 0 ? "ok" : "broken");
});
`;

function verdict(passed: boolean): string {
  return `<span class="verdict ${passed ? "pass" : "fail"}">${
    passed ? "✓ held" : "✗ failed"
  }</span>`;
}

function checkValue(value: number | string): string {
  return typeof value === "number" ? formatCell(value) : value;
}

function sectionHtml(s: SectionResult): string {
  const { entry } = s;
  const failed = s.checks.filter((c) => !c.passed).length + (s.error !== undefined ? 1 : 0);
  const out: string[] = [];
  out.push(`<section id="${escapeHtml(entry.id)}" data-section="${escapeHtml(entry.id)}">`);
  out.push(`<h3>${escapeHtml(entry.title)}</h3>`);
  out.push(`<p class="question">${escapeHtml(entry.question)}</p>`);
  out.push(
    `<p class="meta">${escapeHtml(entry.source)} · ${s.seconds.toFixed(1)} s · ${
      s.checks.length - s.checks.filter((c) => !c.passed).length
    }/${s.checks.length} claims held${
      failed > 0 ? ` · <strong>${failed} failed</strong>` : ""
    }</p>`,
  );
  if (s.quickButFull) {
    out.push(
      `<p class="meta">Run at full size in this quick report: ${
        escapeHtml(entry.fullInQuick ?? "")
      }</p>`,
    );
  }
  if (s.error !== undefined) {
    out.push(`<p class="error">The experiment threw: ${escapeHtml(s.error)}</p>`);
  }
  for (const f of s.figures) {
    out.push(
      `<figure><img src="${escapeHtml(f.svg)}" alt="${escapeHtml(f.caption)}" loading="eager">` +
        `<figcaption>${escapeHtml(f.caption)}${
          f.png ? ` (<a href="${escapeHtml(f.png)}">PNG</a>)` : ""
        }</figcaption></figure>`,
    );
  }
  for (const n of s.notes) out.push(`<p>${escapeHtml(n)}</p>`);
  if (s.checks.length > 0) {
    out.push(
      `<table class="checks"><thead><tr><th>claim</th><th>measured</th><th>verdict</th></tr></thead><tbody>`,
    );
    for (const c of s.checks) {
      out.push(
        `<tr class="${c.passed ? "pass" : "fail"}"><td>${escapeHtml(c.claim)}</td>` +
          `<td class="num">${escapeHtml(checkValue(c.value))}</td><td>${
            verdict(c.passed)
          }</td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  }
  for (const t of s.tables) {
    const shown = t.rows.length === 0
      ? `, ${t.total} rows`
      : t.total > t.rows.length
      ? `, first ${t.rows.length} of ${t.total} rows shown`
      : "";
    out.push(
      `<p>${escapeHtml(t.caption)} (<a href="${escapeHtml(t.csv)}">CSV</a>${shown})</p>`,
    );
    if (t.rows.length === 0) continue;
    out.push(
      `<table data-table="${escapeHtml(t.name)}"><thead><tr>${
        t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")
      }</tr></thead><tbody>`,
    );
    for (const row of t.rows) {
      out.push(
        `<tr>${
          row.map((v) =>
            `<td${typeof v === "number" ? ' class="num"' : ""}>${escapeHtml(formatCell(v))}</td>`
          ).join("")
        }</tr>`,
      );
    }
    out.push(`</tbody></table>`);
  }
  out.push(`</section>`);
  return out.join("\n");
}

/** The whole page. */
export function renderReportHtml(page: ReportPage): string {
  const all = page.sections.flatMap((s) => s.checks.map((c) => ({ s, c })));
  const failedChecks = all.filter(({ c }) => !c.passed);
  const errored = page.sections.filter((s) => s.error !== undefined);
  const passed = all.length - failedChecks.length;
  const ok = failedChecks.length === 0 && errored.length === 0;
  const figures = page.sections.reduce((n, s) => n + s.figures.length, 0);
  const out: string[] = [];
  out.push(
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
      `<title>nmflab experiment report</title>\n<style>${CSS}</style>\n</head>`,
  );
  out.push(
    `<body data-mode="${page.mode}" data-claims-passed="${passed}" data-claims-failed="${failedChecks.length}" data-figures="pending">`,
  );
  out.push(`<h1>nmflab experiment report</h1>`);
  out.push(
    `<p class="meta">${
      page.mode === "quick" ? "Quick run (small sizes, same layout)" : "Full run"
    } · ` +
      `${escapeHtml(page.createdAt)} · ${page.totalSeconds.toFixed(1)} s · ` +
      `every claim below was measured in this run; none is typed in.</p>`,
  );
  if (page.command !== undefined) {
    out.push(
      `<p class="meta">Reproduce: <code>${escapeHtml(page.command)}</code> · ` +
        `claims as data: <a href="summary.json">summary.json</a></p>`,
    );
  }
  out.push(`<div class="summary" id="summary">`);
  out.push(
    `<div class="badge ${ok ? "pass" : "fail"}">${passed} of ${all.length} claims held</div>`,
  );
  if (failedChecks.length > 0) {
    out.push(`<div class="badge fail">${failedChecks.length} failed</div>`);
  }
  if (errored.length > 0) {
    out.push(`<div class="badge fail">${errored.length} experiment(s) threw</div>`);
  }
  out.push(
    `<div class="badge info">${page.sections.length} experiments · ${figures} figures</div>`,
  );
  out.push(`</div>`);
  if (!ok) {
    out.push(`<h2>What failed</h2><ul>`);
    for (const { s, c } of failedChecks) {
      out.push(
        `<li><a href="#${escapeHtml(s.entry.id)}">${escapeHtml(s.entry.title)}</a>: ${
          escapeHtml(c.claim)
        } (measured ${escapeHtml(checkValue(c.value))})</li>`,
      );
    }
    for (const s of errored) {
      out.push(
        `<li><a href="#${escapeHtml(s.entry.id)}">${escapeHtml(s.entry.title)}</a> threw: ${
          escapeHtml(s.error ?? "")
        }</li>`,
      );
    }
    out.push(`</ul>`);
  }
  out.push(`<h2>Machine and versions</h2><table class="machine"><tbody>`);
  for (const [k, v] of page.machine) {
    out.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  }
  out.push(`</tbody></table>`);
  const notebooks = [...new Set(page.sections.map((s) => s.entry.notebook))].sort((a, b) => a - b);
  out.push(`<nav><h2>Contents</h2><ol>`);
  for (const s of page.sections) {
    const bad = s.error !== undefined || s.checks.some((c) => !c.passed);
    out.push(
      `<li><a href="#${escapeHtml(s.entry.id)}">${escapeHtml(s.entry.title)}</a> ` +
        `<span class="meta">(notebook ${s.entry.notebook})${bad ? " ✗" : ""}</span></li>`,
    );
  }
  out.push(`</ol></nav>`);
  for (const nb of notebooks) {
    const link = page.notebookLinks?.[nb];
    out.push(
      `<h2 id="notebook-${nb}">${nb}. ${escapeHtml(NOTEBOOK_TITLES[nb] ?? `Notebook ${nb}`)}${
        link ? ` <span class="meta">(<a href="${escapeHtml(link)}">notebook</a>)</span>` : ""
      }</h2>`,
    );
    for (const s of page.sections.filter((x) => x.entry.notebook === nb)) {
      out.push(sectionHtml(s));
    }
  }
  out.push(`<script>${FIGURE_CHECK}</script>`);
  out.push(`</body>\n</html>\n`);
  return out.join("\n");
}
