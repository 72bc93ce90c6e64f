/**
 * The `fit` command: read a CSV (or a shipped data set), run `nmf` (or `nmfRuns` keeping the
 * best of `--runs`), and write W.csv, H.csv, trace.csv, convergence.svg/.png and manifest.json.
 *
 * {@linkcode fitCommand} returns the exit status instead of exiting, and turns every expected
 * failure into one line on stderr: argument problems (exit 2) and bad input or options, with the
 * library's TypeError / RangeError messages rewritten to name the flag (exit 1).
 *
 * @module
 */

import { csvFormatRows } from "d3-dsv";
import {
  type IterationInfo,
  type Matrix,
  nmf,
  type NmfOptions,
  type NmfResult,
  nmfRuns,
  setPortableThreads,
} from "../mod.ts";
import { formatMatrixCsv } from "../data/csv.ts";
import { convergencePlot } from "../plots/convergence.ts";
import { savePlot } from "../plots/save.ts";
import { type FitArgs, helpText, NMF_OPTION_FLAGS, parseFitArgs, UsageError } from "./args.ts";
import { type FitInput, readFitCsv, readFitDataset, sha256Hex } from "./input.ts";
import { buildManifest, NMFLAB_VERSION } from "./manifest.ts";
import { createProgress } from "./progress.ts";

/** Where the command writes text (replaceable in tests). */
export interface FitIo {
  /** Write to standard output (the output folder's path goes here). */
  stdout(text: string): void;
  /** Write to standard error (progress, warnings, errors). */
  stderr(text: string): void;
  /** Whether stderr is a terminal (draw a bar) or not (print lines). */
  isTerminal: boolean;
}

const encoder = new TextEncoder();

/** Deno's own stdout/stderr. */
export const denoIo: FitIo = {
  stdout: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
  stderr: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
  get isTerminal() {
    return Deno.stderr.isTerminal();
  },
};

/**
 * Rewrite a library message so that it names the command-line flag: `nmf: maxIter must be …`
 * becomes `--max-iter must be …`, `nmf: option stepSize applies …` becomes `--step-size applies …`.
 */
export function flagMessage(message: string): string {
  const oneLine = message.replace(/\s*\n\s*/g, " ").trim();
  return oneLine.replace(
    /^(?:nmf|nmfRuns): (?:option )?(\w+)\b/,
    (whole, key: string) => {
      if (key === "runs" || key === "mask") return `--${key}`;
      const flag = NMF_OPTION_FLAGS.get(key);
      return flag === undefined ? whole : `--${flag}`;
    },
  );
}

/**
 * A relative path as the user meant it: `deno task` runs in the folder of deno.json, and sets
 * INIT_CWD to the folder the command was typed in.
 */
export function userPath(path: string): string {
  const init = Deno.env.get("INIT_CWD");
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || init === undefined) return path;
  if (init === Deno.cwd()) return path;
  return `${init.replace(/[\\/]$/, "")}/${path}`;
}

/** Component names used as W's column labels and H's row labels. */
function componentLabels(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `c${i + 1}`);
}

function traceCsv(result: NmfResult): string {
  const rows: string[][] = [["iteration", "loss", "relativeError", "kkt", "seconds", "negatives"]];
  for (const e of result.trace) {
    rows.push(
      [e.iteration, e.loss, e.relativeError, e.kkt, e.seconds, e.negatives].map((v) => String(v)),
    );
  }
  return csvFormatRows(rows) + "\n";
}

async function readMask(path: string, V: Matrix): Promise<FitInput> {
  const mask = await readFitCsv(path, {});
  const M = mask.V;
  if (M.rows !== V.rows || M.cols !== V.cols) {
    throw new TypeError(
      `--mask ${path} is ${M.rows}×${M.cols}, expected the shape of the input, ${V.rows}×${V.cols}`,
    );
  }
  return mask;
}

function requireInput(args: FitArgs): void {
  if (args.input !== undefined && args.dataset !== undefined) {
    throw new UsageError(
      `give either an input CSV or --dataset, not both (got ${
        JSON.stringify(args.input)
      } and --dataset ${args.dataset})`,
    );
  }
  if (args.input === undefined && args.dataset === undefined) {
    throw new UsageError("missing input: give a CSV file or --dataset NAME (see --help)");
  }
  if (args.rank === undefined) {
    throw new UsageError("missing --rank K (the number of components; see --help)");
  }
  if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 1)) {
    throw new RangeError(`--runs must be a positive integer, got ${args.runs}`);
  }
  if (args.threads !== undefined && !(Number.isInteger(args.threads) && args.threads >= 1)) {
    throw new RangeError(`--threads must be a positive integer, got ${args.threads}`);
  }
  if (args.threads !== undefined && args.threads > 64) {
    throw new RangeError(`--threads must be at most 64, got ${args.threads}`);
  }
}

/** The `nmf` options given on the command line (flags not given stay unset: nmf's defaults). */
function nmfOptionsOf(args: FitArgs): NmfOptions {
  const options: Record<string, unknown> = {};
  for (const key of NMF_OPTION_FLAGS.keys()) {
    const v = (args as Record<string, unknown>)[key];
    if (v !== undefined) options[key] = v;
  }
  return options as unknown as NmfOptions;
}

/**
 * Run the `fit` command with these arguments. Returns the exit status (0 done, 1 bad input or
 * failed fit, 2 bad command line).
 */
export async function fitCommand(argv: readonly string[], io: FitIo = denoIo): Promise<number> {
  const started = performance.now();
  try {
    const args = parseFitArgs(argv);
    if (args.help) {
      io.stdout(helpText(NMFLAB_VERSION) + "\n");
      return 0;
    }
    if (args.version) {
      io.stdout(`nmflab ${NMFLAB_VERSION}\n`);
      return 0;
    }
    requireInput(args);
    if (args.threads !== undefined) setPortableThreads(args.threads);
    const input: FitInput = args.dataset !== undefined
      ? await readFitDataset(args.dataset)
      : await readFitCsv(userPath(args.input as string), {
        header: args.header,
        rowLabels: args.rowLabels,
      });
    const runs = args.runs ?? 1;
    const options = nmfOptionsOf(args);
    const mask = args.mask === undefined ? undefined : await readMask(userPath(args.mask), input.V);
    if (mask !== undefined) (options as NmfOptions & { mask?: Matrix }).mask = mask.V;
    const quiet = args.quiet ?? false;
    const progress = createProgress({
      maxIter: args.maxIter ?? 200,
      runs,
      mode: quiet ? "none" : io.isTerminal ? "bar" : "lines",
      write: io.stderr,
    });
    const warn = (message: string) => io.stderr(`fit: warning: ${flagMessage(message)}\n`);
    const { V } = input;
    // Said once the fit has started, so that an option nmf rejects gives one line only.
    let introduced = quiet;
    const onIteration = (info: IterationInfo) => {
      if (!introduced) {
        introduced = true;
        io.stderr(
          `fit: ${input.source.kind === "dataset" ? `dataset ${input.name}` : input.source.path}` +
            ` (${V.rows}×${V.cols}), rank ${args.rank}${runs > 1 ? `, ${runs} runs` : ""}\n`,
        );
      }
      progress.onIteration(info);
    };
    let result: NmfResult;
    let runInfo: { seeds: number[]; losses: number[]; bestIndex: number } | undefined;
    try {
      const common = { ...options, onIteration, warn };
      if (runs > 1) {
        const r = nmfRuns(V, { ...common, runs, keep: "best" });
        result = r.best;
        runInfo = { seeds: r.seeds, losses: r.losses, bestIndex: r.bestIndex };
      } else {
        result = nmf(V, common);
      }
    } catch (e) {
      if (e instanceof TypeError && /unknown option "mask"/.test(e.message)) {
        // Kept for builds of nmf without the mask option.
        throw new RangeError(
          "--mask is not supported yet: this version of nmf has no mask option",
        );
      }
      throw e;
    } finally {
      progress.done();
    }

    const out = userPath(args.out ?? `out/fit/${input.name}`);
    await Deno.mkdir(out, { recursive: true });
    const k = result.W.cols;
    const components = componentLabels(k);
    const files: Record<string, string> = {};
    const write = async (name: string, text: string) => {
      const bytes = encoder.encode(text);
      await Deno.writeFile(`${out}/${name}`, bytes);
      files[name] = await sha256Hex(bytes);
    };
    await write(
      "W.csv",
      formatMatrixCsv(result.W, {
        colLabels: components,
        ...(input.rowLabels ? { rowLabels: input.rowLabels } : {}),
        rowLabelHeader: input.rowLabelHeader ?? "",
      }),
    );
    await write(
      "H.csv",
      formatMatrixCsv(result.H, {
        rowLabels: components,
        ...(input.colLabels ? { colLabels: input.colLabels } : {}),
        rowLabelHeader: "component",
      }),
    );
    await write("trace.csv", traceCsv(result));
    if (runInfo !== undefined) {
      const rows = [["run", "seed", "loss", "best"]];
      runInfo.seeds.forEach((seed, i) => {
        rows.push([
          String(i + 1),
          String(seed),
          String(runInfo.losses[i]),
          i === runInfo.bestIndex ? "1" : "0",
        ]);
      });
      await write("runs.csv", csvFormatRows(rows) + "\n");
    }
    const plot = convergencePlot([{
      trace: result.trace,
      label: `${result.solver}, beta ${result.beta}`,
      stopReason: result.stopReason,
    }], {
      title: `${input.name}: rank ${k}, ${result.iterations} iterations`,
    });
    const figures = (args.png ?? true)
      ? ["convergence.svg", "convergence.png"]
      : ["convergence.svg"];
    for (const name of figures) {
      await savePlot(plot, `${out}/${name}`, { warn });
      files[name] = await sha256Hex(await Deno.readFile(`${out}/${name}`));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const manifest = buildManifest({
      command: ["fit", ...argv],
      input,
      result,
      seed: args.seed ?? 0,
      runs,
      runSeeds: runInfo?.seeds,
      runLosses: runInfo?.losses,
      bestRun: runInfo === undefined ? undefined : runInfo.bestIndex + 1,
      mask: mask === undefined ? undefined : { path: mask.source.path, sha256: mask.source.sha256 },
      wallSeconds,
      outputs: files,
    });
    await Deno.writeTextFile(`${out}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
    if (!quiet) {
      io.stderr(
        `fit: done: ${result.iterations} iterations (${result.stopReason}), loss ${
          result.loss.toExponential(4)
        }, relative error ${result.relativeError.toFixed(4)}, ${wallSeconds.toFixed(2)} s\n`,
      );
    }
    io.stdout(`${out}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`fit: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError || e instanceof RangeError) {
      io.stderr(`fit: ${flagMessage(e.message)}\n`);
      return 1;
    }
    if (Object.values(Deno.errors).some((C) => e instanceof C)) {
      io.stderr(`fit: ${flagMessage((e as Error).message)}\n`);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`fit: internal error: ${flagMessage(message)}\n`);
    if (Deno.env.get("NMFLAB_DEBUG") && e instanceof Error) io.stderr(`${e.stack}\n`);
    return 1;
  }
}
