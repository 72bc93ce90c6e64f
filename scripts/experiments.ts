/**
 * `deno task experiments [--quick] [--out DIR] [--only ID,ID…] [--seed S] [--no-png]`: run every
 * derivation experiment of the notebooks on the shipped and synthetic data and write
 * `out/report/index.html` with its figures (SVG + PNG) and CSV tables. Progress goes to stderr.
 * Exits 1 when any claim fails (or an experiment throws), 2 on a bad command line.
 *
 * @module
 */

import { REPORT_ENTRIES } from "../report/registry.ts";
import { runReport } from "../report/run.ts";

const USAGE =
  `Usage: deno task experiments [--quick] [--out DIR] [--only ID,ID…] [--seed S] [--no-png] [--list]

  --quick      small sizes and few restarts (about a minute), same report layout
  --out DIR    output folder [default: out/report]
  --only IDS   run only these sections (comma-separated ids; see --list)
  --seed S     seed passed to every experiment [default: 0]
  --no-png     write SVG figures only
  --list       print the section ids and exit
  --help       print this help and exit`;

function fail(message: string): never {
  console.error(`experiments: ${message}`);
  Deno.exit(2);
}

function parse(argv: readonly string[]) {
  const args = {
    quick: false,
    out: "out/report",
    only: undefined as string[] | undefined,
    seed: 0,
    png: true,
    list: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") fail(`${flag} expects a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        args.quick = true;
        break;
      case "--no-png":
        args.png = false;
        break;
      case "--list":
        args.list = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "--out":
        args.out = value();
        break;
      case "--only":
        args.only = value().split(",").map((s) => s.trim()).filter((s) => s !== "");
        break;
      case "--seed": {
        const v = value();
        if (!/^[+-]?\d+$/.test(v)) fail(`--seed expects an integer, got ${JSON.stringify(v)}`);
        args.seed = Number(v);
        break;
      }
      default:
        fail(`unknown argument ${JSON.stringify(a)} (see --help)`);
    }
  }
  return args;
}

if (import.meta.main) {
  const args = parse(Deno.args);
  if (args.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  if (args.list) {
    for (const e of REPORT_ENTRIES) console.log(`${e.id}\t(notebook ${e.notebook}) ${e.title}`);
    Deno.exit(0);
  }
  let entries = REPORT_ENTRIES;
  if (args.only !== undefined) {
    const known = new Set(REPORT_ENTRIES.map((e) => e.id));
    const unknown = args.only.filter((id) => !known.has(id));
    if (unknown.length > 0) fail(`unknown section id(s) ${unknown.join(", ")} (see --list)`);
    entries = REPORT_ENTRIES.filter((e) => args.only?.includes(e.id));
  }
  const command = ["deno task experiments"];
  if (args.quick) command.push("--quick");
  if (args.seed !== 0) command.push(`--seed ${args.seed}`);
  if (args.only !== undefined) command.push(`--only ${args.only.join(",")}`);
  const result = await runReport({
    command: command.join(" "),
    entries,
    out: args.out,
    quick: args.quick,
    seed: args.seed,
    png: args.png,
  });
  console.error(
    `experiments: ${result.passed} of ${result.passed + result.failed} claims held` +
      `${result.failed > 0 ? `, ${result.failed} FAILED` : ""}; ${
        result.seconds.toFixed(1)
      } s; report: ${result.index}`,
  );
  console.log(result.index);
  Deno.exit(result.failed > 0 ? 1 : 0);
}
