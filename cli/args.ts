/**
 * The `fit` command line: one table of flags (each the kebab-case twin of an `nmf` option, or a
 * command-line-only setting), a parser that turns `Deno.args` into typed settings, and the
 * `--help` text generated from the same table, so a flag cannot exist without its help line.
 *
 * Parsing is pure (no `Deno.*`), so it is tested directly as well as through the subprocess.
 * Every problem throws a {@linkcode UsageError} whose message is one line naming the flag.
 *
 * @module
 */

/** A problem with the command line itself (unknown flag, missing value, value of the wrong kind). */
export class UsageError extends Error {
  /** Always "UsageError". */
  override name = "UsageError";
}

/** What kind of value a flag takes. */
export type FlagKind = "integer" | "number" | "string" | "boolean" | "path";

/** One row of the flag table. */
export interface FlagSpec {
  /** The flag without its dashes, e.g. `max-iter`. */
  flag: string;
  /** The settings field it fills (the `nmf` option name for nmf options). */
  key: keyof FitArgs;
  /** The value's kind (booleans take no value; `--no-<flag>` sets false). */
  kind: FlagKind;
  /** Placeholder shown in the help, e.g. `K`. */
  value?: string;
  /** One line of help. */
  help: string;
  /** The default, as shown in the help. */
  default?: string;
  /** Whether the flag is passed on to `nmf` (as `key`). */
  nmf?: boolean;
}

/** The parsed command line. Every field is optional except where the help says required. */
export interface FitArgs {
  /** The input CSV (the positional argument). */
  input?: string;
  /** `--dataset`: fit a shipped data set instead of a file: digits | faces | sotu | golub | speech. */
  dataset?: string;
  /** `--rank`: number of components k (required). */
  rank?: number;
  /** `--solver`: mu | hals | als | anls-bpp | pgd | gd (aliases: multiplicative, cd, bpp, pg). */
  solver?: string;
  /** `--beta`: loss: a number, or frobenius (2) | kullback-leibler (1) | itakura-saito (0); aliases fro, kl, poisson, is. */
  beta?: string | number;
  /** `--init`: random | nndsvd | nndsvda | nndsvdar | random-acol | spa. */
  init?: string;
  /** `--seed`: seed of every random draw (with --runs: the seed of the run seeds). */
  seed?: number;
  /** `--max-iter`: most outer iterations. */
  maxIter?: number;
  /** `--tol`: stop when the loss decrease over ≥ 10 iterations, over the current loss, is below T. */
  tol?: number;
  /** `--max-seconds`: wall-clock budget of one fit in seconds. */
  maxSeconds?: number;
  /** `--trace-every`: record the trace every N iterations. */
  traceEvery?: number;
  /** `--l1-w`: L1 penalty on W (adds X·ΣW). */
  l1W?: number;
  /** `--l1-h`: L1 penalty on H (adds X·ΣH). */
  l1H?: number;
  /** `--l2-w`: L2 penalty on W (adds ½X·‖W‖²). */
  l2W?: number;
  /** `--l2-h`: L2 penalty on H (adds ½X·‖H‖²). */
  l2H?: number;
  /** `--backend`: auto | portable | blas (blas needs --allow-ffi and libopenblas). */
  backend?: string;
  /** `--step-size`: gd only: fixed step size. */
  stepSize?: number;
  /** `--project`: gd only: project onto W, H ≥ 0 after each step (--no-project lets entries go negative). */
  project?: boolean;
  /** `--inner-max-iter`: hals, pgd only: most inner sweeps per outer iteration. */
  innerMaxIter?: number;
  /** `--extrapolate`: hals, anls-bpp only: extrapolation with restarts (Ang & Gillis 2019). */
  extrapolate?: boolean;
  /** `--update-first`: H | W: which factor each iteration updates first (scikit-learn: W). */
  updateFirst?: string;
  /** `--mask`: CSV of weights in [0, 1] of the input's shape: 1 = observed, 0 = missing (solvers mu, hals). */
  mask?: string;
  /** `--runs`: fit R times from seeded random starts and keep the lowest loss. */
  runs?: number;
  /** `--threads`: threads for the portable backend's products (default: one per core). */
  threads?: number;
  /** `--out`: folder for W.csv, H.csv, trace.csv, convergence.svg/.png, manifest.json. */
  out?: string;
  /** `--header`: whether the first line holds column labels (auto: when a cell after its first is not a number, or its first cell is empty). */
  header?: string;
  /** `--row-labels`: whether the first column holds row labels (auto: when a data line starts with a non-number). */
  rowLabels?: string;
  /** `--png`: also write convergence.png (--no-png skips the rasterizer). */
  png?: boolean;
  /** `--quiet`: no progress output on stderr. */
  quiet?: boolean;
  /** `--help`: print this help and exit. */
  help?: boolean;
  /** `--version`: print the nmflab version and exit. */
  version?: boolean;
}

/** The flag table: the order here is the order of `--help`. */
export const FLAGS: readonly FlagSpec[] = [
  {
    flag: "rank",
    key: "rank",
    kind: "integer",
    value: "K",
    nmf: true,
    help: "number of components k (required)",
  },
  {
    flag: "solver",
    key: "solver",
    kind: "string",
    value: "NAME",
    nmf: true,
    default: "mu",
    help: "mu | hals | als | anls-bpp | pgd | gd (aliases: multiplicative, cd, bpp, pg)",
  },
  {
    flag: "beta",
    key: "beta",
    kind: "string",
    value: "B",
    nmf: true,
    default: "frobenius",
    help:
      "loss: a number, or frobenius (2) | kullback-leibler (1) | itakura-saito (0); aliases fro, kl, poisson, is",
  },
  {
    flag: "init",
    key: "init",
    kind: "string",
    value: "NAME",
    nmf: true,
    default: "nndsvda (random with --runs)",
    help: "random | nndsvd | nndsvda | nndsvdar | random-acol | spa",
  },
  {
    flag: "seed",
    key: "seed",
    kind: "number",
    value: "S",
    nmf: true,
    default: "0",
    help: "seed of every random draw (with --runs: the seed of the run seeds)",
  },
  {
    flag: "max-iter",
    key: "maxIter",
    kind: "integer",
    value: "N",
    nmf: true,
    default: "200",
    help: "most outer iterations",
  },
  {
    flag: "tol",
    key: "tol",
    kind: "number",
    value: "T",
    nmf: true,
    default: "1e-4",
    help: "stop when the loss decrease over ≥ 10 iterations, over the current loss, is below T",
  },
  {
    flag: "max-seconds",
    key: "maxSeconds",
    kind: "number",
    value: "S",
    nmf: true,
    default: "no limit",
    help: "wall-clock budget of one fit in seconds",
  },
  {
    flag: "trace-every",
    key: "traceEvery",
    kind: "integer",
    value: "N",
    nmf: true,
    default: "1 (10 when m·n·k > 10⁶)",
    help: "record the trace every N iterations",
  },
  {
    flag: "l1-w",
    key: "l1W",
    kind: "number",
    value: "X",
    nmf: true,
    default: "0",
    help: "L1 penalty on W (adds X·ΣW)",
  },
  {
    flag: "l1-h",
    key: "l1H",
    kind: "number",
    value: "X",
    nmf: true,
    default: "0",
    help: "L1 penalty on H (adds X·ΣH)",
  },
  {
    flag: "l2-w",
    key: "l2W",
    kind: "number",
    value: "X",
    nmf: true,
    default: "0",
    help: "L2 penalty on W (adds ½X·‖W‖²)",
  },
  {
    flag: "l2-h",
    key: "l2H",
    kind: "number",
    value: "X",
    nmf: true,
    default: "0",
    help: "L2 penalty on H (adds ½X·‖H‖²)",
  },
  {
    flag: "backend",
    key: "backend",
    kind: "string",
    value: "NAME",
    nmf: true,
    default: "auto",
    help: "auto | portable | blas (blas needs --allow-ffi and libopenblas)",
  },
  {
    flag: "step-size",
    key: "stepSize",
    kind: "number",
    value: "X",
    nmf: true,
    default: "1/Lipschitz bound",
    help: "gd only: fixed step size",
  },
  {
    flag: "project",
    key: "project",
    kind: "boolean",
    nmf: true,
    default: "on",
    help: "gd only: project onto W, H ≥ 0 after each step (--no-project lets entries go negative)",
  },
  {
    flag: "inner-max-iter",
    key: "innerMaxIter",
    kind: "integer",
    value: "N",
    nmf: true,
    default: "hals 10, pgd 20",
    help: "hals, pgd only: most inner sweeps per outer iteration",
  },
  {
    flag: "extrapolate",
    key: "extrapolate",
    kind: "boolean",
    nmf: true,
    default: "off",
    help:
      "hals, anls-bpp only: extrapolate each iterate, restarting when the loss rises (Ang & Gillis 2019)",
  },
  {
    flag: "update-first",
    key: "updateFirst",
    kind: "string",
    value: "H|W",
    nmf: true,
    default: "H",
    help: "which factor each iteration updates first (scikit-learn: W)",
  },
  {
    flag: "mask",
    key: "mask",
    kind: "path",
    value: "FILE",
    help:
      "CSV of weights in [0, 1] of the input's shape: 1 = observed, 0 = missing (solvers mu, hals)",
  },
  {
    flag: "runs",
    key: "runs",
    kind: "integer",
    value: "R",
    default: "1",
    help: "fit R times from seeded random starts and keep the lowest loss",
  },
  {
    flag: "threads",
    key: "threads",
    kind: "integer",
    value: "T",
    default: "one per core",
    help: "threads for the portable backend's products (1: none besides this one)",
  },
  {
    flag: "dataset",
    key: "dataset",
    kind: "string",
    value: "NAME",
    help: "fit a shipped data set instead of a file: digits | faces | sotu | golub | speech",
  },
  {
    flag: "out",
    key: "out",
    kind: "path",
    value: "DIR",
    default: "out/fit/<input name>",
    help: "folder for W.csv, H.csv, trace.csv, convergence.svg/.png, manifest.json",
  },
  {
    flag: "header",
    key: "header",
    kind: "string",
    value: "auto|yes|no",
    default: "auto",
    help:
      "whether the first line holds column labels (auto: when a cell after its first is not a number, or its first cell is empty)",
  },
  {
    flag: "row-labels",
    key: "rowLabels",
    kind: "string",
    value: "auto|yes|no",
    default: "auto",
    help:
      "whether the first column holds row labels (auto: when a data line starts with a non-number)",
  },
  {
    flag: "png",
    key: "png",
    kind: "boolean",
    default: "on",
    help: "also write convergence.png (--no-png skips the rasterizer)",
  },
  {
    flag: "quiet",
    key: "quiet",
    kind: "boolean",
    default: "off",
    help: "no progress output on stderr",
  },
  { flag: "version", key: "version", kind: "boolean", help: "print the nmflab version and exit" },
  { flag: "help", key: "help", kind: "boolean", help: "print this help and exit" },
];

const BY_FLAG = new Map(FLAGS.map((f) => [f.flag, f]));

/** The `nmf` option names the command line passes on (the kebab-case twins are the flags). */
export const NMF_OPTION_FLAGS: ReadonlyMap<string, string> = new Map(
  FLAGS.filter((f) => f.nmf).map((f) => [f.key, f.flag]),
);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Edit distance, to suggest the flag a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function suggest(name: string): string {
  let best = "", bestD = Infinity;
  for (const f of FLAGS) {
    const d = distance(name, f.flag);
    if (d < bestD) [best, bestD] = [f.flag, d];
  }
  return bestD <= Math.max(1, Math.floor(name.length / 3)) ? `; did you mean --${best}?` : "";
}

function parseValue(spec: FlagSpec, raw: string): string | number {
  const flag = `--${spec.flag}`;
  if (spec.kind === "integer" || spec.kind === "number") {
    const text = raw.trim();
    if (/^[+-]?(inf|infinity)$/i.test(text) && spec.key === "maxSeconds") return Infinity;
    if (!NUMBER.test(text)) {
      throw new UsageError(
        `${flag} expects ${spec.kind === "integer" ? "an integer" : "a number"}, got ${
          JSON.stringify(raw)
        }`,
      );
    }
    // Integers are checked by nmf (whose message says "a positive integer, got 2.5").
    return Number(text);
  }
  if (raw === "") throw new UsageError(`${flag} expects a value, got an empty string`);
  if (spec.key === "beta" && NUMBER.test(raw.trim())) return Number(raw.trim());
  return raw;
}

/**
 * Parse the command line. Flags take their value as the next argument or after `=`
 * (`--rank 5`, `--rank=5`); booleans take none (`--no-png` turns one off). One positional
 * argument is the input CSV.
 *
 * @example
 * ```ts
 * import { parseFitArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 * const a = parseFitArgs(["v.csv", "--rank", "3", "--max-iter=50", "--beta", "kl", "--no-png"]);
 * assert.deepEqual(a, { input: "v.csv", rank: 3, maxIter: 50, beta: "kl", png: false });
 * assert.throws(() => parseFitArgs(["--max-iters", "5"]), /did you mean --max-iter/);
 * ```
 */
export function parseFitArgs(argv: readonly string[]): FitArgs {
  const out: Record<string, unknown> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    if (arg === "-h") {
      out.help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      throw new UsageError(`unknown flag ${arg} (flags start with --; see --help)`);
    }
    const eq = arg.indexOf("=");
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let negated = false;
    if (
      !BY_FLAG.has(name) && name.startsWith("no-") && BY_FLAG.get(name.slice(3))?.kind === "boolean"
    ) {
      name = name.slice(3);
      negated = true;
    }
    const spec = BY_FLAG.get(name);
    if (spec === undefined) {
      throw new UsageError(`unknown flag --${name}${suggest(name)} (see --help)`);
    }
    if (spec.key in out) throw new UsageError(`--${name} is given twice`);
    if (spec.kind === "boolean") {
      if (eq >= 0) {
        throw new UsageError(`--${name} takes no value (use --${name} or --no-${name})`);
      }
      out[spec.key] = !negated;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new UsageError(`--${name} expects a value${spec.value ? ` (${spec.value})` : ""}`);
      }
      raw = next;
      i++;
    }
    out[spec.key] = parseValue(spec, raw);
  }
  if (positional.length > 1) {
    throw new UsageError(
      `expected one input CSV, got ${positional.length} arguments: ${
        positional.map((p) => JSON.stringify(p)).join(" ")
      }`,
    );
  }
  if (positional.length === 1) out.input = positional[0];
  for (const key of ["header", "rowLabels"] as const) {
    const v = out[key];
    if (v !== undefined && v !== "auto" && v !== "yes" && v !== "no") {
      const flag = key === "header" ? "--header" : "--row-labels";
      throw new UsageError(`${flag} must be auto, yes or no, got ${JSON.stringify(v)}`);
    }
  }
  return out as FitArgs;
}

const HELP_WIDTH = 96;

/** The `--help` text, generated from {@linkcode FLAGS}. */
export function helpText(version: string): string {
  const lines = [
    `nmflab ${version}: fit V ≈ WH (W, H ≥ 0) to a CSV matrix and write everything needed to`,
    "reproduce and inspect the result.",
    "",
    "Usage:",
    "  deno task fit <matrix.csv> --rank K [options]",
    "  deno task fit --dataset digits --rank K [options]",
    "",
    "The CSV holds numbers ≥ 0, one matrix row per line; a header line of column labels and a",
    "first column of row labels are detected (or set with --header / --row-labels) and carried",
    "into W.csv (rows) and H.csv (columns).",
    "",
    "Options (each nmf option's flag is its kebab-case twin: maxIter → --max-iter):",
  ];
  const left = FLAGS.map((f) =>
    f.kind === "boolean" && f.default !== undefined && f.key !== "quiet"
      ? `--[no-]${f.flag}`
      : `--${f.flag}${f.value ? ` ${f.value}` : ""}`
  );
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const indent = 2 + width;
  FLAGS.forEach((f, i) => {
    const def = f.default === undefined ? "" : ` [default: ${f.default}]`;
    const words = `${f.help}${def}`.split(" ");
    let line = `  ${(left[i] as string).padEnd(width)}`;
    let empty = true;
    for (const word of words) {
      if (!empty && line.length + 1 + word.length > HELP_WIDTH) {
        lines.push(line);
        line = " ".repeat(indent);
        empty = true;
      }
      line += (empty ? "" : " ") + word;
      empty = false;
    }
    lines.push(line);
  });
  lines.push(
    "",
    "Writes into --out: W.csv, H.csv, trace.csv (one row per recorded iteration), runs.csv",
    "(with --runs > 1), convergence.svg and convergence.png, manifest.json (versions, backend,",
    "resolved options, SHA-256 of the input, iterations, final loss, wall time).",
    "Same input, seed and options give byte-identical W.csv and H.csv.",
    "",
    "Progress goes to stderr: a bar when stderr is a terminal, one line per step otherwise.",
    "Exit status: 0 done, 1 bad input or failed fit, 2 bad command line.",
  );
  return lines.join("\n");
}
