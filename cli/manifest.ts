/**
 * `manifest.json`: everything needed to reproduce a fit and to know what produced it — the
 * nmflab and Deno versions, the platform, the exact command line, the SHA-256 of the input, the
 * options as resolved by `nmf`, and the outcome (iterations, stop reason, loss, times), plus
 * the SHA-256 of each file written next to it.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };
import type { NmfResult } from "../nmf.ts";
import { portableThreads } from "../linalg/wasm_threads.ts";
import type { FitInput } from "./input.ts";

/** The nmflab version (from deno.json). */
export const NMFLAB_VERSION: string = denoJson.version;

/** What manifest.json holds. */
export interface FitManifest {
  /** Always "nmflab fit". */
  tool: "nmflab fit";
  /** The version in deno.json. */
  nmflabVersion: string;
  /** `Deno.version`: Deno, V8 and TypeScript versions. */
  deno: { deno: string; v8: string; typescript: string };
  /** `Deno.build`: operating system and architecture. */
  platform: { os: string; arch: string };
  /** ISO time the manifest was written. */
  createdAt: string;
  /** The command line, starting with "fit". */
  command: string[];
  /** Where the data came from, the SHA-256 of the file(s) read, labels found, and the shape. */
  input: FitInput["source"] & { rows: number; cols: number };
  /** The products backend that ran ("portable" or "blas"). */
  backend: string;
  /** Threads the portable backend's products could use (`--threads`; results do not depend on it). */
  portableThreads: number;
  /** Every nmf option as resolved (defaults filled in; Infinity written as "Infinity"). */
  options: Record<string, unknown>;
  /** The seed given (with --runs: the seed the run seeds are drawn from). */
  seed: number;
  /** Number of fits (--runs). */
  runs: number;
  /** With --runs > 1: each run's seed. */
  runSeeds?: number[];
  /** With --runs > 1: each run's final loss. */
  runLosses?: number[];
  /** With --runs > 1: the run kept (1-based). */
  bestRun?: number;
  /** Outer iterations of the fit kept. */
  iterations: number;
  /** Whether the tol rule stopped it. */
  converged: boolean;
  /** Which rule stopped it. */
  stopReason: string;
  /** Final loss (divergence + penalties). */
  finalLoss: number;
  /** Final ‖V − WH‖_F / ‖V‖_F. */
  relativeError: number;
  /** Seconds of the fit kept (nmf's own clock). */
  fitSeconds: number;
  /** Seconds from start to the manifest (reading, all runs, writing). */
  wallSeconds: number;
  /** Warnings nmf raised. */
  warnings: string[];
  /** SHA-256 of each file written beside the manifest. */
  outputs: Record<string, string>;
}

/** JSON has no Infinity: write it as the string "Infinity" rather than null. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** Build the manifest of a finished fit. */
export function buildManifest(args: {
  command: readonly string[];
  input: FitInput;
  result: NmfResult;
  seed: number;
  runs: number;
  runSeeds?: number[] | undefined;
  runLosses?: number[] | undefined;
  bestRun?: number | undefined;
  mask?: { path: string; sha256: string } | undefined;
  wallSeconds: number;
  outputs: Record<string, string>;
}): FitManifest {
  const { result, input } = args;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.options)) options[k] = jsonSafe(v);
  if (args.mask !== undefined) options.mask = args.mask;
  const manifest: FitManifest = {
    tool: "nmflab fit",
    nmflabVersion: NMFLAB_VERSION,
    deno: { ...Deno.version },
    platform: { os: Deno.build.os, arch: Deno.build.arch },
    createdAt: new Date().toISOString(),
    command: [...args.command],
    input: { ...input.source, rows: input.V.rows, cols: input.V.cols },
    backend: result.backend,
    portableThreads: portableThreads(),
    options,
    seed: args.seed,
    runs: args.runs,
    iterations: result.iterations,
    converged: result.converged,
    stopReason: result.stopReason,
    finalLoss: result.loss,
    relativeError: result.relativeError,
    fitSeconds: result.seconds,
    wallSeconds: args.wallSeconds,
    warnings: result.warnings,
    outputs: args.outputs,
  };
  if (args.runSeeds !== undefined) manifest.runSeeds = args.runSeeds;
  if (args.runLosses !== undefined) manifest.runLosses = args.runLosses;
  if (args.bestRun !== undefined) manifest.bestRun = args.bestRun;
  return manifest;
}
