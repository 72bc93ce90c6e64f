/**
 * The solver registry: every built-in solver by name, plus the shared driver and trace types.
 *
 * @module
 */

import { als } from "./als.ts";
import { anlsBpp } from "./anls_bpp.ts";
import { gd } from "./gd.ts";
import { hals } from "./hals.ts";
import { mu } from "./mu.ts";
import { pgd } from "./pgd.ts";
import type { Solver, SolverName } from "./types.ts";

export * from "./types.ts";
export * from "./driver.ts";

/** All built-in solvers by name. Each file under solvers/ supplies one. */
// deno-lint-ignore no-explicit-any
export const SOLVERS: Partial<Record<SolverName, Solver<any>>> = {
  mu,
  hals,
  "anls-bpp": anlsBpp,
  als,
  pgd,
  gd,
};

/** Other spellings accepted for solver names. */
export const SOLVER_ALIASES: Readonly<Record<string, SolverName>> = {
  "multiplicative": "mu",
  "cd": "hals",
  "bpp": "anls-bpp",
  "pg": "pgd",
};
