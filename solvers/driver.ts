/**
 * The one loop every solver runs in. A solver supplies `create` and `step`; the driver owns
 * the iteration count, the stopping rules (`maxIter`, `tol`, `maxSeconds`, a callback), the
 * clock and the trace, so that traces from different solvers mean the same thing and can be
 * drawn on the same axes.
 *
 * Stopping on `tol`: every time at least 10 iterations have passed since the last check, the
 * relative decrease of the loss since that check, (loss then − loss now) / loss now, is compared
 * with `tol` (as NMF.jl does). scikit-learn divides by the loss at the initial point instead,
 * which stops far too early after a poor start — NNDSVDa's fill value mean(V) can make the initial
 * loss hundreds of times the final one on data whose entries are large.
 *
 * @module
 */

import type { DataMatrix } from "../linalg/data.ts";
import type { Backend } from "../linalg/kernels.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { createObjectiveWork, evaluateObjective, type Penalties } from "../losses.ts";
import { createKktWork, kktResidual } from "./kkt.ts";
import type { Solver, SolverContext, SolverSettings, SolverState } from "./types.ts";

/** One recorded point of a run. Entry 0 is the initial point (iteration 0). */
export interface TraceEntry {
  /** Outer iterations completed when this entry was recorded. */
  iteration: number;
  /** D_β(V | WH) plus penalties (scikit-learn's convention, see `betaDivergence`). */
  loss: number;
  /** ‖V − WH‖_F / ‖V‖_F. */
  relativeError: number;
  /** KKT residual ‖min(X, ∇f)‖ over W and H, divided by its value at the initial point. */
  kkt: number;
  /** Seconds spent in solver steps so far (the time to evaluate the trace is not counted). */
  seconds: number;
  /** Number of negative entries in W and H (non-zero only for `gd` with `project: false`). */
  negatives: number;
}

/** Why a run stopped. */
export type StopReason = "tol" | "maxIter" | "maxSeconds" | "callback" | "diverged";

/** What `onIteration` receives after every iteration. */
export interface IterationInfo {
  /** Iterations completed. */
  iteration: number;
  /** The current basis (live: copy it to keep it). */
  W: Matrix;
  /** The current coefficients (live: copy it to keep it). */
  H: Matrix;
  /** The trace entry recorded at this iteration, if one was. */
  entry: TraceEntry | undefined;
}

/** The driver's stopping and recording settings. */
export interface DriverOptions {
  /** Most outer iterations. */
  maxIter: number;
  /** Relative loss decrease (over ≥ 10 iterations, divided by the current loss) under which to stop. */
  tol: number;
  /** Wall-clock budget in seconds (Infinity for none). */
  maxSeconds: number;
  /** Record a trace entry every this many iterations (the last iteration is always recorded). */
  traceEvery: number;
  /** Called after each iteration; returning `false` stops the run. */
  onIteration?: ((info: IterationInfo) => boolean | void) | undefined;
}

/** What the driver returns. */
export interface DriverResult {
  W: Matrix;
  H: Matrix;
  trace: TraceEntry[];
  iterations: number;
  converged: boolean;
  stopReason: StopReason;
}

function countNegatives(M: Matrix): number {
  let c = 0;
  const d = M.data;
  for (let i = 0; i < d.length; i++) if ((d[i] as number) < 0) c++;
  return c;
}

function allFinite(M: Matrix): boolean {
  const d = M.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i] as number)) return false;
  return true;
}

/** Everything `runSolver` needs besides the solver itself. */
export interface RunContext {
  V: DataMatrix;
  W: Matrix;
  H: Matrix;
  beta: number;
  penalties: Penalties;
  backend: Backend;
  settings: SolverSettings;
  /** Weights in [0, 1] (0 = missing), or null. @default null */
  mask?: Matrix | null;
}

/**
 * Run `solver` from (W, H) (updated in place) until a stopping rule fires, recording the trace.
 */
export function runSolver<S extends SolverState>(
  solver: Solver<S>,
  context: RunContext,
  options: DriverOptions,
): DriverResult {
  const { V, W, beta, penalties, backend } = context;
  const mask = context.mask ?? null;
  const k = W.cols;
  const objectiveWork = createObjectiveWork(V, k, mask);
  const kktWork = createKktWork(V.rows, V.cols, k);
  const solverContext: SolverContext = { ...context, mask };
  const state = solver.create(solverContext);
  const clock = () => performance.now() / 1000;
  const wallStart = clock();
  let solverSeconds = 0;
  let kkt0 = NaN;

  const record = (iteration: number): TraceEntry => {
    const finite = allFinite(state.W) && allFinite(state.H);
    const objective = finite
      ? evaluateObjective(V, state.W, state.H, beta, penalties, objectiveWork, backend, mask)
      : { loss: NaN, relativeError: NaN };
    const residual = finite
      ? kktResidual(kktWork, V, state.W, state.H, beta, penalties, backend, mask)
      : NaN;
    if (iteration === 0) kkt0 = residual;
    const kkt = iteration === 0
      ? (residual === 0 ? 0 : 1)
      : kkt0 === 0 || !Number.isFinite(kkt0)
      ? residual
      : residual / kkt0;
    return {
      iteration,
      loss: objective.loss,
      relativeError: objective.relativeError,
      kkt,
      seconds: solverSeconds,
      negatives: countNegatives(state.W) + countNegatives(state.H),
    };
  };

  const trace: TraceEntry[] = [record(0)];
  const loss0 = (trace[0] as TraceEntry).loss;
  let lastCheckIteration = 0;
  let lastCheckLoss = loss0;
  let iteration = 0;
  let stopReason: StopReason = "maxIter";
  let converged = false;

  try {
    if (!Number.isFinite(loss0) && Number.isNaN(loss0)) stopReason = "diverged";
    else if (loss0 === 0) {
      stopReason = "tol";
      converged = true;
    } else {
      while (iteration < options.maxIter) {
        state.untouched = iteration > 0 && options.onIteration === undefined;
        const t0 = clock();
        solver.step(state);
        solverSeconds += clock() - t0;
        iteration++;
        let entry: TraceEntry | undefined;
        if (iteration % options.traceEvery === 0 || iteration === options.maxIter) {
          entry = record(iteration);
          trace.push(entry);
          if (Number.isNaN(entry.loss) || entry.loss === Infinity && loss0 !== Infinity) {
            stopReason = "diverged";
            break;
          }
          if (iteration - lastCheckIteration >= 10) {
            const decrease = (lastCheckLoss - entry.loss) / Math.abs(entry.loss);
            lastCheckIteration = iteration;
            lastCheckLoss = entry.loss;
            if (entry.loss === 0 || (decrease >= 0 && decrease < options.tol)) {
              stopReason = "tol";
              converged = true;
              break;
            }
          }
        }
        if (options.onIteration) {
          const answer = options.onIteration({ iteration, W: state.W, H: state.H, entry });
          if (answer === false) {
            stopReason = "callback";
            break;
          }
        }
        if (clock() - wallStart >= options.maxSeconds) {
          stopReason = "maxSeconds";
          break;
        }
      }
    }
  } finally {
    solver.release?.(state);
  }
  const last = trace[trace.length - 1] as TraceEntry;
  if (last.iteration !== iteration) trace.push(record(iteration));
  return { W: state.W, H: state.H, trace, iterations: iteration, converged, stopReason };
}
