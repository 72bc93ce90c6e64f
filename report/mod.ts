/**
 * The experiment report (`deno task experiments`): runs every derivation experiment and writes
 * out/report/index.html with its figures and tables.
 *
 * @module
 */
export * from "./types.ts";
export * from "./html.ts";
export * from "./run.ts";
export * from "./registry.ts";
