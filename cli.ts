/**
 * `deno task fit`: the command-line front of nmflab. Fit V ≈ WH to a CSV matrix (or a shipped
 * data set) and write W.csv, H.csv, trace.csv, convergence.svg/.png and manifest.json.
 *
 * ```sh
 * deno task fit data/golub.csv --rank 3 --beta kl --seed 1 --out out/golub
 * deno task fit --dataset digits --rank 10 --solver hals --runs 5
 * deno task fit --help
 * ```
 *
 * Run directly: `deno run --allow-read --allow-write --allow-env --allow-ffi cli.ts …`.
 *
 * @module
 */

export { fitCommand } from "./cli/fit.ts";
import { fitCommand } from "./cli/fit.ts";

if (import.meta.main) {
  Deno.exit(await fitCommand(Deno.args));
}
