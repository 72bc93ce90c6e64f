/**
 * Progress of a fit on stderr, fed from `nmf`'s `onIteration`: a redrawn bar (iteration, loss,
 * ETA) when stderr is a terminal, and plain lines at about every tenth of the work of all runs
 * together (or every two seconds) otherwise, so logs of batch jobs stay short and readable.
 *
 * @module
 */

import type { IterationInfo } from "../solvers/driver.ts";

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Most iterations of one run (`maxIter`). */
  maxIter: number;
  /** Number of runs (restarts). @default 1 */
  runs?: number;
  /** Draw a bar with carriage returns (stderr is a terminal) or print lines. */
  mode: "bar" | "lines" | "none";
  /** Where text goes. @default writes to stderr */
  write?: (text: string) => void;
  /** Clock in seconds. @default performance.now() / 1000 */
  now?: () => number;
}

/** A progress reporter. */
export interface Progress {
  /** Pass as (or call from) `nmf`'s `onIteration`. */
  onIteration(info: IterationInfo): void;
  /** Finish the display (newline after a bar). */
  done(): void;
}

const encoder = new TextEncoder();

/** `1.2346e+3`-style loss (5 significant digits). */
export function formatLoss(loss: number | undefined): string {
  if (loss === undefined || !Number.isFinite(loss)) return "—";
  return loss.toExponential(4);
}

/** `m:ss` (or `h:mm:ss`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(r).padStart(2, "0")}`;
}

/**
 * Make a progress reporter for one or several runs of `maxIter` iterations. A new run is
 * recognized when the iteration count starts again at 1.
 *
 * @example
 * ```ts
 * import { createProgress } from "./progress.ts";
 * import { Matrix } from "../linalg/matrix.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * let t = 0;
 * const p = createProgress({ maxIter: 20, mode: "lines", write: (s) => lines.push(s), now: () => t });
 * const W = new Matrix(new Float64Array(1), 1, 1);
 * for (let i = 1; i <= 20; i++) {
 *   t += 0.1;
 *   const entry = { iteration: i, loss: 1 / i, relativeError: 0, kkt: 0, seconds: t, negatives: 0 };
 *   p.onIteration({ iteration: i, W, H: W, entry });
 * }
 * p.done();
 * assert.equal(lines.length, 10); // every 2nd iteration of 20
 * assert.match(lines[9]!, /iteration 20\/20/);
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  const { maxIter, mode } = options;
  const runs = options.runs ?? 1;
  const write = options.write ??
    ((text: string) => void Deno.stderr.writeSync(encoder.encode(text)));
  const now = options.now ?? (() => performance.now() / 1000);
  const start = now();
  const total = Math.max(1, maxIter * runs);
  // Lines at every tenth of the whole work (all runs together).
  const lineEvery = Math.max(1, Math.ceil(total / 10));
  let nextLine = lineEvery;
  let run = 0;
  let lastIteration = 0;
  let loss: number | undefined;
  let lastDraw = -Infinity;
  let lastLine = start;
  let drawn = false;

  const status = (iteration: number) => {
    const doneWork = (run - 1) * maxIter + iteration;
    const elapsed = now() - start;
    const eta = doneWork > 0 ? (elapsed / doneWork) * (total - doneWork) : NaN;
    const runText = runs > 1 ? `run ${run}/${runs}  ` : "";
    return {
      doneWork,
      text: `${runText}iteration ${iteration}/${maxIter}  loss ${formatLoss(loss)}  ` +
        `elapsed ${formatDuration(elapsed)}  ETA ≤ ${formatDuration(eta)}`,
    };
  };

  const drawBar = () => {
    const { doneWork, text } = status(lastIteration);
    const width = 24;
    const filled = Math.min(width, Math.round((doneWork / total) * width));
    write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}`);
    drawn = true;
  };

  return {
    onIteration(info) {
      if (mode === "none") return;
      if (info.iteration <= lastIteration || run === 0) {
        run++;
        loss = undefined; // not yet recorded in this run
      }
      lastIteration = info.iteration;
      if (info.entry !== undefined) loss = info.entry.loss;
      const t = now();
      if (mode === "bar") {
        if (t - lastDraw < 0.1 && info.iteration !== maxIter) return;
        lastDraw = t;
        drawBar();
        return;
      }
      const { doneWork, text } = status(info.iteration);
      if (doneWork >= nextLine || t - lastLine >= 2) {
        lastLine = t;
        nextLine = (Math.floor(doneWork / lineEvery) + 1) * lineEvery;
        write(`fit: ${text}\n`);
      }
    },
    done() {
      if (mode === "bar" && drawn) {
        drawBar();
        write("\n");
      }
    },
  };
}
