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
import type { FitInput } from "./input.ts";

/** The nmflab version (from deno.json). */
export const NMFLAB_VERSION: string = denoJson.version;

/** What manifest.json holds. */
export interface FitManifest {
  tool: "nmflab fit";
  nmflabVersion: string;
  deno: { deno: string; v8: string; typescript: string };
  platform: { os: string; arch: string };
  createdAt: string;
  command: string[];
  input: FitInput["source"] & { rows: number; cols: number };
  backend: string;
  options: Record<string, unknown>;
  seed: number;
  runs: number;
  runSeeds?: number[];
  runLosses?: number[];
  bestRun?: number;
  iterations: number;
  converged: boolean;
  stopReason: string;
  finalLoss: number;
  relativeError: number;
  fitSeconds: number;
  wallSeconds: number;
  warnings: string[];
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
