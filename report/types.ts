/**
 * The shapes the experiment report is built from. Each notebook experiment becomes one
 * {@linkcode ReportEntry}: its question, and a `run` that calls the experiment function from
 * experiments/ (full or quick) and turns its result into figures, tables and the checked claims.
 *
 * @module
 */

import type { ExperimentCheck } from "../experiments/checks.ts";
import type { SvgLike } from "../plots/figure.ts";

/** A figure of a section. */
export interface ReportFigure {
  /** File name stem, unique within the section (e.g. "errors"). */
  name: string;
  /** One sentence under the picture: what to look at. */
  caption: string;
  /** The figure (an nmflab plot). */
  figure: SvgLike;
}

/** A cell of a report table. */
export type TableCell = string | number | boolean | null;

/** A table of a section (also written as CSV). */
export interface ReportTable {
  /** File name stem, unique within the section. */
  name: string;
  /** One sentence above the table. */
  caption: string;
  /** Rows as objects; the first row's keys are the columns. */
  rows: Record<string, TableCell>[];
  /** Show at most this many rows in the page (the CSV has all). @default 12 */
  show?: number;
}

/** What a section's `run` returns. */
export interface ReportOutput {
  /** The claims the experiment checked. */
  checks: ExperimentCheck[];
  /** The figures, in order. */
  figures: ReportFigure[];
  /** The tables, in order. */
  tables: ReportTable[];
  /** Extra lines of text (measured facts worth reading). @default [] */
  notes?: string[];
}

/** The options every section's `run` receives. */
export interface ReportRunOptions {
  /** The small version: seconds, same layout. */
  quick: boolean;
  /** Seed of every random draw. */
  seed: number;
}

/** One experiment of the report. */
export interface ReportEntry {
  /** Stable id, used for anchors and file names (e.g. "nonnegative-rank-gap"). */
  id: string;
  /** The notebook it comes from (1–8). */
  notebook: number;
  /** Short title. */
  title: string;
  /** The question the experiment answers, in one or two sentences. */
  question: string;
  /** The experiment function(s) it calls, for readers who want the code. */
  source: string;
  /**
   * Why this experiment runs at full size even in a quick report (its quick size is too small
   * for its claims to hold). @default undefined (quick reports run it quick)
   */
  fullInQuick?: string;
  /** Run the experiment and build the section's content. */
  run(options: ReportRunOptions): ReportOutput | Promise<ReportOutput>;
}

/** A section after it ran: files written, time taken, error if it threw. */
export interface SectionResult {
  /** The registry entry. */
  entry: ReportEntry;
  /** Wall seconds of `run` plus writing its files. */
  seconds: number;
  /** The claims checked. */
  checks: ExperimentCheck[];
  /** Figure files, paths relative to the report folder. */
  figures: { name: string; caption: string; svg: string; png?: string }[];
  /** Table files (paths relative to the report folder) and the rows shown in the page. */
  tables: {
    name: string;
    caption: string;
    csv: string;
    columns: string[];
    rows: TableCell[][];
    total: number;
  }[];
  /** Extra lines of text. */
  notes: string[];
  /** Whether a quick report ran this experiment at full size (see `fullInQuick`). */
  quickButFull?: boolean;
  /** The error message when `run` threw (the section then counts as failed). */
  error?: string;
}
