/**
 * How the research solvers (GNMF, sparseness-constrained NMF) reach the shared driver: the
 * options they share with `nmf` are checked here, the factors are initialized with the core's
 * `initialize`, and the solver runs in `runSolver` — the same loop, stopping rules and trace as
 * every core solver. The driver's loss is the β-divergence plus the L1/L2 penalties; a solver
 * whose objective has an extra term (GNMF's graph term) reports it separately, per trace entry,
 * through `extraTerm`.
 *
 * @module
 */

import { BACKEND_NAMES, resolveBackend } from "../linalg/backend.ts";
import { formatValue, Matrix } from "../linalg/matrix.ts";
import type { Penalties } from "../losses.ts";
import { INIT_NAMES, initialize } from "../init/initialize.ts";
import { type NmfOptions, type NmfResult, validateData } from "../nmf.ts";
import { runSolver, type Solver, type SolverState, type TraceEntry } from "../solvers/mod.ts";
import { checkInteger, checkMatrix, checkNumber } from "./checks.ts";

/** The options every research solver shares with `nmf` (Frobenius loss only), documented there. */
export type CommonFitOptions = Pick<
  NmfOptions,
  | "rank"
  | "init"
  | "seed"
  | "maxIter"
  | "tol"
  | "maxSeconds"
  | "traceEvery"
  | "onIteration"
  | "backend"
>;

/** The option names of {@linkcode CommonFitOptions}. */
export const COMMON_FIT_KEYS: readonly string[] = [
  "rank",
  "init",
  "seed",
  "maxIter",
  "tol",
  "maxSeconds",
  "traceEvery",
  "onIteration",
  "backend",
];

/**
 * What a research fit returns: the fields of `nmf`'s result that apply. The trace is the
 * driver's: `loss` is ½‖V − WH‖² plus any L1/L2 penalties, and `kkt` is the KKT residual of that
 * plain NMF problem — not of the solver's own objective (graph term, sparseness constraints), so
 * it need not go to 0.
 */
export type FitResult = Pick<
  NmfResult,
  | "W"
  | "H"
  | "trace"
  | "iterations"
  | "converged"
  | "stopReason"
  | "loss"
  | "relativeError"
  | "backend"
  | "seconds"
>;

/** What {@linkcode runResearchSolver} needs besides V and the common options. */
export interface ResearchRun<S extends SolverState> {
  /** The calling function's name, for error messages. */
  caller: string;
  /** The solver to hand to the driver. */
  solver: Solver<S>;
  /** Penalties the driver adds to the loss. */
  penalties: Penalties;
  /** An extra objective term evaluated at every trace entry (e.g. a graph regularizer). */
  extraTerm?: (W: Matrix, H: Matrix) => number;
}

function checkFactor(caller: string, name: string, M: unknown, rows: number, cols: number): Matrix {
  if (!(M instanceof Matrix)) {
    throw new TypeError(`${caller}: ${name} must be a Matrix, got ${formatValue(M)}`);
  }
  if (M.rows !== rows || M.cols !== cols) {
    throw new TypeError(`${caller}: ${name} must be ${rows}×${cols}, got ${M.rows}×${M.cols}`);
  }
  for (let i = 0; i < M.size; i++) {
    const v = M.data[i] as number;
    if (!(v >= 0) || v === Infinity) {
      throw new RangeError(
        `${caller}: ${name} must be non-negative and finite, got ${name}[${Math.floor(i / cols)}][${
          i % cols
        }] = ${formatValue(v)}`,
      );
    }
  }
  return M;
}

/**
 * Check the common options, initialize, run `solver` in the shared driver and collect the
 * result; `extraTerm` (when given) is evaluated at every trace entry and returned alongside.
 */
export function runResearchSolver<S extends SolverState>(
  V: Matrix,
  options: CommonFitOptions,
  run: ResearchRun<S>,
): FitResult & { extraTrace: number[] } {
  const started = performance.now();
  const { caller, solver, penalties, extraTerm } = run;
  checkMatrix(caller, "V", V);
  validateData(V, caller);
  const m = V.rows, n = V.cols;
  const k = checkInteger(caller, "rank", options.rank, 1);
  const seed = checkNumber(caller, "seed", options.seed ?? 0, -Number.MAX_VALUE);
  const maxIter = checkInteger(caller, "maxIter", options.maxIter ?? 200, 0);
  const tol = checkNumber(caller, "tol", options.tol ?? 1e-4, 0);
  const maxSeconds = options.maxSeconds ?? Infinity;
  if (typeof maxSeconds !== "number" || !(maxSeconds > 0)) {
    throw new RangeError(
      `${caller}: maxSeconds must be a number > 0, got ${formatValue(maxSeconds)}`,
    );
  }
  const traceEvery = checkInteger(
    caller,
    "traceEvery",
    options.traceEvery ?? (m * n * k <= 1e6 ? 1 : 10),
    1,
  );
  const backendName = options.backend ?? "auto";
  if (!BACKEND_NAMES.includes(backendName)) {
    throw new RangeError(
      `${caller}: backend must be one of ${BACKEND_NAMES.map((b) => `"${b}"`).join(", ")}, got ${
        formatValue(backendName)
      }`,
    );
  }
  const user = options.onIteration;
  if (user !== undefined && typeof user !== "function") {
    throw new TypeError(`${caller}: onIteration must be a function, got ${formatValue(user)}`);
  }
  const init = options.init ?? "nndsvda";
  let W: Matrix, H: Matrix;
  if (typeof init === "string") {
    if (!INIT_NAMES.includes(init)) {
      throw new RangeError(
        `${caller}: init must be one of ${
          INIT_NAMES.map((s) => `"${s}"`).join(", ")
        } or { W, H }, got ${formatValue(init)}`,
      );
    }
    ({ W, H } = initialize(V, k, { method: init, seed }));
  } else {
    if (init === null || typeof init !== "object") {
      throw new TypeError(
        `${caller}: init must be an init name or { W, H }, got ${formatValue(init)}`,
      );
    }
    W = checkFactor(caller, "init.W", init.W, m, k).clone();
    H = checkFactor(caller, "init.H", init.H, k, n).clone();
  }
  const { backend } = resolveBackend(backendName);
  const extraTrace: number[] = [];
  if (extraTerm) extraTrace.push(extraTerm(W, H));
  const result = runSolver(solver, {
    V,
    W,
    H,
    beta: 2,
    penalties,
    backend,
    settings: {},
  }, {
    maxIter,
    tol,
    maxSeconds,
    traceEvery,
    onIteration: (info) => {
      if (extraTerm && info.entry !== undefined) extraTrace.push(extraTerm(info.W, info.H));
      return user ? user(info) : undefined;
    },
  });
  if (extraTerm) {
    while (extraTrace.length < result.trace.length) extraTrace.push(extraTerm(result.W, result.H));
  }
  const last = result.trace[result.trace.length - 1] as TraceEntry;
  return {
    W: result.W,
    H: result.H,
    trace: result.trace,
    iterations: result.iterations,
    converged: result.converged,
    stopReason: result.stopReason,
    loss: last.loss,
    relativeError: last.relativeError,
    backend: backend.name,
    seconds: (performance.now() - started) / 1000,
    extraTrace,
  };
}
