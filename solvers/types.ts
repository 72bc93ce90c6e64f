/**
 * What a solver supplies to the shared driver: its state (with preallocated work buffers),
 * one update step, and which losses it can minimize. The loop, the stopping rules, the timing
 * and the trace belong to the driver alone (`driver.ts`).
 *
 * @module
 */

import type { DataMatrix } from "../linalg/data.ts";
import type { Backend } from "../linalg/kernels.ts";
import type { Matrix } from "../linalg/matrix.ts";
import type { Penalties } from "../losses.ts";

/** The names of the built-in solvers. */
export type SolverName = "mu" | "hals" | "anls-bpp" | "als" | "pgd" | "gd";

/** Options that only some solvers read (validated at the entry point). */
export interface SolverSettings {
  /** gd: fixed step size; `undefined` picks 1 / (Lipschitz bound at the initial point). */
  stepSize?: number | undefined;
  /** gd: project onto W, H ≥ 0 after each step. @default true */
  project?: boolean | undefined;
  /** hals, pgd: most inner sweeps / inner iterations per outer iteration. */
  innerMaxIter?: number | undefined;
  /** hals, anls-bpp: extrapolate with restarts (`extrapolation.ts`). @default false */
  extrapolate?: boolean | undefined;
}

/** Everything a solver is created from. `W` and `H` are the driver's own copies. */
export interface SolverContext {
  /** The data, m×n, dense or (for solvers with `supportsSparse`) CSR. Never modified. */
  readonly V: DataMatrix;
  /** Current basis, m×k; solvers update it in place. */
  readonly W: Matrix;
  /** Current coefficients, k×n; solvers update it in place. */
  readonly H: Matrix;
  /** The numeric beta of the loss. */
  readonly beta: number;
  /** The penalty weights. */
  readonly penalties: Penalties;
  /** The backend for the heavy products. */
  readonly backend: Backend;
  /** Solver-specific settings. */
  readonly settings: SolverSettings;
  /**
   * Weights in [0, 1] per entry of V (0 = missing), or `null` for none. Masked entries of V are
   * already set to 0. Only solvers with `supportsMask` receive a mask.
   */
  readonly mask: Matrix | null;
}

/** The minimum a solver state exposes: the factors it updates. */
export interface SolverState {
  readonly W: Matrix;
  readonly H: Matrix;
  /**
   * Set by the driver before every step: true when nothing but the solver's own steps has written
   * W and H since its previous step (not the first step, and no `onIteration` callback ran in
   * between). A solver may then skip looking for outside changes to them (the fused pass compares
   * W with its own copy otherwise: 43–46 µs an iteration at 2000×1000, k = 20, measured on an Intel
   * Xeon). Whoever else calls `step` leaves it unset, and the solver checks. @default undefined
   */
  untouched?: boolean;
}

/** A solver: a name, what it supports, how to create its state and how to take one step. */
export interface Solver<S extends SolverState = SolverState> {
  /** Its name: the `solver` option value for the built-in ones (a `SolverName`). */
  readonly name: string;
  /** One line saying what it is and where it comes from. */
  readonly description: string;
  /** Whether it minimizes D_β for this beta. */
  supportsBeta(beta: number): boolean;
  /** Whether it honours the L1/L2 penalties `l1W`, `l1H`, `l2W`, `l2H`. */
  readonly supportsPenalties: boolean;
  /** Whether it honours a weight mask (missing data). @default false */
  readonly supportsMask?: boolean;
  /** Whether it accepts a sparse (CSR) V without densifying it. @default false */
  readonly supportsSparse?: boolean;
  /** Allocate the state and work buffers for this problem. */
  create(context: SolverContext): S;
  /** One outer iteration: update `state.W` and `state.H` in place. */
  step(state: S): void;
  /**
   * Free what `create` or `step` acquired beyond ordinary memory (the blas backend's fused pass);
   * the driver calls it once when the run ends, however it ends. @default undefined
   */
  release?(state: S): void;
}
