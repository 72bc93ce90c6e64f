/**
 * The notebooks' experiments as plain functions: a question in, tables, results and the claims
 * they checked out (`checks: [{ claim, passed, value }]`). Every experiment takes
 * `{ quick?, seed? }` so a report or a test can run a small version.
 *
 * @module
 */
export * from "./checks.ts";
export * from "./non_uniqueness.ts";
export * from "./geometry.ts";
export * from "./scaling.ts";
export * from "./noise_models.ts";
export * from "./figures.ts";
export * from "./gradient_descent.ts";
export * from "./convergence.ts";
export * from "./applications.ts";
export * from "./initialization.ts";
