/**
 * Running the experiment report: every {@linkcode ReportEntry} in turn, with progress on stderr,
 * writing figures (SVG, and PNG beside them), tables (CSV), `index.html` and `summary.json`
 * into one folder. An experiment that throws becomes a failed section; the run goes on.
 *
 * @module
 */

import { csvFormatRows } from "d3-dsv";
import denoJson from "../deno.json" with { type: "json" };
import { resolveBackend } from "../linalg/backend.ts";
import "../linalg/blas.ts";
import { savePlot } from "../plots/save.ts";
import { renderReportHtml } from "./html.ts";
import type { ReportEntry, SectionResult, TableCell } from "./types.ts";

/** Options of {@linkcode runReport}. */
export interface RunReportOptions {
  /** The entries to run, in order. */
  entries: readonly ReportEntry[];
  /** Output folder (created; its figures/, tables/, index.html and summary.json are replaced). */
  out: string;
  /** The small version. @default false */
  quick?: boolean;
  /** Seed passed to every experiment. @default 0 */
  seed?: number;
  /** Also write a PNG beside every SVG figure. @default true */
  png?: boolean;
  /** The command shown as "Reproduce:" on the page. @default "deno task experiments" (+ --quick, --seed) */
  command?: string;
  /** Where progress lines go. @default stderr */
  log?: (line: string) => void;
}

/** What {@linkcode runReport} returns. */
export interface RunReportResult {
  /** Every section as it ran. */
  sections: SectionResult[];
  /** Claims that held over all sections. */
  passed: number;
  /** Claims that failed over all sections (a section that threw adds one). */
  failed: number;
  /** Path of index.html. */
  index: string;
  /** Wall seconds of the whole run. */
  seconds: number;
}

const encoder = new TextEncoder();

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch {
    return undefined;
  }
}

/** The commit checked out, read from .git without running git (undefined outside a clone). */
export function gitCommit(root: URL): string | undefined {
  const git = new URL(".git/", root);
  const head = readText(new URL("HEAD", git).pathname);
  if (head === undefined) return undefined;
  if (!head.startsWith("ref: ")) return head;
  const ref = head.slice(5);
  const loose = readText(new URL(ref, git).pathname);
  if (loose !== undefined) return loose;
  const packed = readText(new URL("packed-refs", git).pathname);
  return packed?.split("\n").find((l) => l.endsWith(` ${ref}`))?.split(" ")[0];
}

/** Label → value rows describing the machine and the versions. */
export function machineInfo(): [string, string][] {
  const rows: [string, string][] = [
    ["nmflab", denoJson.version],
    ["commit", gitCommit(new URL("../", import.meta.url)) ?? "unknown (not a git clone)"],
    ["Deno", `${Deno.version.deno} (V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`],
    ["platform", `${Deno.build.os} ${Deno.build.arch}`],
    ["logical CPUs", String(navigator.hardwareConcurrency)],
  ];
  const cpu = readText("/proc/cpuinfo")?.split("\n").find((l) => l.startsWith("model name"));
  if (cpu !== undefined) rows.push(["CPU", cpu.replace(/^model name\s*:\s*/, "")]);
  try {
    rows.push(["memory", `${(Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1)} GiB`]);
    rows.push(["OS release", Deno.osRelease()]);
  } catch {
    // Without --allow-sys these two are left out.
  }
  const { backend, notice } = resolveBackend("auto");
  rows.push(["backend (auto)", `${backend.name}${notice ? ` (${notice})` : ""}`]);
  return rows;
}

function tableRows(rows: Record<string, TableCell>[]): { columns: string[]; cells: TableCell[][] } {
  const columns: string[] = [];
  for (const row of rows) {
    for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  }
  return { columns, cells: rows.map((r) => columns.map((c) => r[c] ?? null)) };
}

function csvCell(v: TableCell): string {
  if (v === null) return "";
  return String(v);
}

async function removeIfThere(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Notebook number → path (relative to `out`) of notebooks/NN-*.ipynb, for those that exist. */
function notebookLinks(out: string): Record<number, string> {
  const links: Record<number, string> = {};
  const dir = new URL("../notebooks/", import.meta.url);
  try {
    for (const e of Deno.readDirSync(dir)) {
      const m = /^0?(\d)-.*\.ipynb$/.exec(e.name);
      if (m === null) continue;
      const abs = new URL(e.name, dir).pathname;
      links[Number(m[1])] = relativePath(out, abs);
    }
  } catch {
    // No notebooks folder: no links.
  }
  return links;
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

/** Path of `target` relative to folder `from` (both made absolute). */
function relativePath(from: string, target: string): string {
  const a = absolute(from).split("/").filter((p) => p !== "" && p !== ".");
  const b = absolute(target).split("/").filter((p) => p !== "" && p !== ".");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...Array(a.length - i).fill(".."), ...b.slice(i)].join("/");
}

/**
 * Run every entry and write the report. Returns the tallies; the caller decides the exit code.
 */
export async function runReport(options: RunReportOptions): Promise<RunReportResult> {
  const started = performance.now();
  const quick = options.quick ?? false;
  const seed = options.seed ?? 0;
  const png = options.png ?? true;
  const log = options.log ??
    ((line: string) => void Deno.stderr.writeSync(encoder.encode(line + "\n")));
  const { out, entries } = options;
  await Deno.mkdir(out, { recursive: true });
  for (const old of ["figures", "tables", "index.html", "summary.json"]) {
    await removeIfThere(`${out}/${old}`);
  }
  await Deno.mkdir(`${out}/figures`);
  await Deno.mkdir(`${out}/tables`);
  const sections: SectionResult[] = [];
  const width = String(entries.length).length;
  log(`experiments: ${entries.length} experiments, ${quick ? "quick" : "full"} run, into ${out}`);
  for (const [i, entry] of entries.entries()) {
    const tag = `[${
      String(i + 1).padStart(width)
    }/${entries.length}] notebook ${entry.notebook}: ${entry.title}`;
    log(`${tag} …`);
    const t0 = performance.now();
    const section: SectionResult = {
      entry,
      seconds: 0,
      checks: [],
      figures: [],
      tables: [],
      notes: [],
    };
    if (quick && entry.fullInQuick !== undefined) section.quickButFull = true;
    try {
      const output = await entry.run({ quick: quick && entry.fullInQuick === undefined, seed });
      section.checks = output.checks;
      section.notes = output.notes ?? [];
      for (const f of output.figures) {
        const stem = `${entry.id}-${slug(f.name)}`;
        await savePlot(f.figure, `${out}/figures/${stem}.svg`);
        const fig: SectionResult["figures"][number] = {
          name: f.name,
          caption: f.caption,
          svg: `figures/${stem}.svg`,
        };
        if (png) {
          await savePlot(f.figure, `${out}/figures/${stem}.png`);
          fig.png = `figures/${stem}.png`;
        }
        section.figures.push(fig);
      }
      for (const t of output.tables) {
        const stem = `${entry.id}-${slug(t.name)}`;
        const { columns, cells } = tableRows(t.rows);
        await Deno.writeTextFile(
          `${out}/tables/${stem}.csv`,
          csvFormatRows([columns, ...cells.map((r) => r.map(csvCell))]) + "\n",
        );
        section.tables.push({
          name: t.name,
          caption: t.caption,
          csv: `tables/${stem}.csv`,
          columns,
          rows: cells.slice(0, t.show ?? 12),
          total: cells.length,
        });
      }
    } catch (e) {
      section.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    section.seconds = (performance.now() - t0) / 1000;
    const failed = section.checks.filter((c) => !c.passed);
    log(
      `${tag}: ${section.seconds.toFixed(1)} s, ${
        section.checks.length - failed.length
      }/${section.checks.length} claims held` +
        (section.error !== undefined ? `, THREW ${section.error}` : "") +
        failed.map((c) => `\n    ✗ ${c.claim} (measured ${c.value})`).join(""),
    );
    sections.push(section);
  }
  const passed = sections.reduce((n, s) => n + s.checks.filter((c) => c.passed).length, 0);
  const failed = sections.reduce(
    (n, s) => n + s.checks.filter((c) => !c.passed).length + (s.error !== undefined ? 1 : 0),
    0,
  );
  const seconds = (performance.now() - started) / 1000;
  const machine = machineInfo();
  machine.push(["mode", `${quick ? "quick" : "full"}, seed ${seed}`]);
  const createdAt = new Date().toISOString();
  const html = renderReportHtml({
    mode: quick ? "quick" : "full",
    sections,
    machine,
    totalSeconds: seconds,
    createdAt,
    notebookLinks: notebookLinks(out),
    command: options.command ??
      `deno task experiments${quick ? " --quick" : ""}${seed !== 0 ? ` --seed ${seed}` : ""}`,
  });
  const index = `${out}/index.html`;
  await Deno.writeTextFile(index, html);
  const summary = {
    mode: quick ? "quick" : "full",
    seed,
    createdAt,
    seconds,
    passed,
    failed,
    machine: Object.fromEntries(machine),
    sections: sections.map((s) => ({
      id: s.entry.id,
      notebook: s.entry.notebook,
      title: s.entry.title,
      seconds: s.seconds,
      error: s.error ?? null,
      checks: s.checks,
      figures: s.figures.map((f) => f.svg),
      tables: s.tables.map((t) => t.csv),
    })),
  };
  await Deno.writeTextFile(`${out}/summary.json`, JSON.stringify(summary, null, 2) + "\n");
  return { sections, passed, failed, index, seconds };
}
