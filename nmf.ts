/**
 * `nmf(V, options)`: the public entry point. It validates every argument against one table,
 * initializes, hands the chosen solver to the shared driver, and returns the factors with the
 * full trace.
 *
 * @module
 */

import { BACKEND_NAMES, type BackendName, resolveBackend } from "./linalg/backend.ts";
import { resultSummaryHtml } from "./display.ts";
import { CsrMatrix } from "./linalg/csr.ts";
import { type DataMatrix, isSparse, mapStored, storedValues, toDense } from "./linalg/data.ts";
import { formatValue, Matrix } from "./linalg/matrix.ts";
import { type Beta, type Penalties, resolveBeta } from "./losses.ts";
import { type Factors, INIT_NAMES, initialize, type InitName } from "./init/initialize.ts";
import {
  type IterationInfo,
  runSolver,
  SOLVER_ALIASES,
  type SolverName,
  SOLVERS,
  type StopReason,
  type TraceEntry,
} from "./solvers/mod.ts";
import { transposeInto } from "./solvers/subproblem.ts";

/** Options of {@linkcode nmf}. Only `rank` is required. */
export interface NmfOptions {
  /** Number of components k (columns of W, rows of H). A positive integer. */
  rank: number;
  /** Which algorithm. @default "mu" */
  solver?: SolverName | "multiplicative" | "cd" | "bpp" | "pg";
  /** The loss: a number or "frobenius" (2), "kullback-leibler" (1), "itakura-saito" (0). @default "frobenius" */
  beta?: Beta;
  /** Initialization name, or custom `{ W, H }` (copied, never mutated). @default "nndsvda" */
  init?: InitName | Factors;
  /** Seed of every random draw (initialization). @default 0 */
  seed?: number;
  /** Most outer iterations. @default 200 */
  maxIter?: number;
  /**
   * Stop when the loss decrease over ≥ 10 iterations, divided by the current loss, is below this
   * (checked at trace points). @default 1e-4
   */
  tol?: number;
  /** Wall-clock budget in seconds. @default Infinity */
  maxSeconds?: number;
  /** Record the trace every this many iterations. @default 1 when m·n·k ≤ 10⁶, else 10 */
  traceEvery?: number;
  /**
   * Called after each iteration with the live factors; return `false` to stop. (For data whose
   * largest entry is outside [1e-100, 1e100], which is rescaled internally, the live factors are
   * in the rescaled units.) @default undefined
   */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** L1 penalty weight on W (adds l1W·ΣW). @default 0 */
  l1W?: number;
  /** L1 penalty weight on H (adds l1H·ΣH). @default 0 */
  l1H?: number;
  /** L2 penalty weight on W (adds ½·l2W·‖W‖²). @default 0 */
  l2W?: number;
  /** L2 penalty weight on H (adds ½·l2H·‖H‖²). @default 0 */
  l2H?: number;
  /**
   * Products backend: `"portable"` (TypeScript and WebAssembly SIMD, on every core where worker
   * threads can run; see `setPortableThreads`), `"blas"` (the system OpenBLAS over Deno FFI), or
   * `"auto"` (blas when it loads, portable otherwise). @default "auto"
   */
  backend?: BackendName;
  /** gd only: fixed step size. @default 1 / (Lipschitz bound at the initial point) */
  stepSize?: number;
  /** gd only: project onto W, H ≥ 0 after each step (false lets entries go negative). @default true */
  project?: boolean;
  /** hals, pgd: most inner sweeps per outer iteration. @default solver-specific (hals 10, pgd 20) */
  innerMaxIter?: number;
  /**
   * hals, anls-bpp: extrapolate each iterate along its last move and restart when the loss rises
   * (Ang & Gillis 2019; `solvers/extrapolation.ts`). Often several times fewer iterations to the
   * same loss, for one more k×k Gram matrix and a few passes over the factors per iteration. The
   * trace then follows the best iterate so far. Not with a mask. @default false
   */
  extrapolate?: boolean;
  /**
   * Which factor each iteration updates first: `"H"` (nmflab's order: H, then W) or `"W"`
   * (scikit-learn's: W, then H). Both are the same alternating method, but from the same start
   * they can end in different local minima. `"W"` runs the solver on Vᵀ with the factors
   * transposed (V is copied once, transposed; `onIteration` then receives copies of W and H).
   * @default "H"
   */
  updateFirst?: "H" | "W";
  /**
   * Weights in [0, 1] for each entry of V, same shape as V; 0 marks a missing entry, which then
   * influences nothing (its value in V may be anything, NaN included). Loss, relative error and
   * trace are computed on the observed entries, weighted. Solvers "mu" and "hals". @default undefined
   */
  mask?: Matrix;
  /** Where warnings go (e.g. zeros in the initial factors of mu). @default console.warn */
  warn?: (message: string) => void;
}

/** What {@linkcode nmf} returns. */
export interface NmfResult {
  /** m×k basis. */
  W: Matrix;
  /** k×n coefficients. */
  H: Matrix;
  /** One entry per recorded iteration; entry 0 is the initial point. */
  trace: TraceEntry[];
  /** Outer iterations run. */
  iterations: number;
  /** Whether the `tol` rule stopped the run. */
  converged: boolean;
  /** Which rule stopped the run. */
  stopReason: StopReason;
  /** Final loss (divergence + penalties). */
  loss: number;
  /** Final ‖V − WH‖_F / ‖V‖_F. */
  relativeError: number;
  /** The solver that ran. */
  solver: SolverName;
  /** The numeric beta. */
  beta: number;
  /** The backend that ran ("portable" or "blas"). */
  backend: string;
  /** Wall-clock seconds for the whole call (initialization and trace included). */
  seconds: number;
  /** Warnings raised (also sent to `warn`). */
  warnings: string[];
  /** The options as resolved (defaults filled in; custom init factors omitted). */
  options: ResolvedOptions;
}

/** The options after defaults are applied. */
export interface ResolvedOptions {
  rank: number;
  solver: SolverName;
  beta: number;
  init: InitName | "custom";
  seed: number;
  maxIter: number;
  tol: number;
  maxSeconds: number;
  traceEvery: number;
  l1W: number;
  l1H: number;
  l2W: number;
  l2H: number;
  backend: BackendName;
  stepSize?: number;
  project?: boolean;
  innerMaxIter?: number;
  /** Present when true. */
  extrapolate?: true;
  /** Present when it is "W" (see {@linkcode NmfOptions.updateFirst}). */
  updateFirst?: "W";
}

type Check = (value: unknown) => void;

/** Whether the once-per-process notice of an "auto" fallback to portable was printed. */
let autoNoticeGiven = false;

function failType(name: string, value: unknown, expected: string): never {
  throw new TypeError(`nmf: ${name} must be ${expected}, got ${formatValue(value)}`);
}

function failRange(name: string, value: unknown, expected: string): never {
  throw new RangeError(`nmf: ${name} must be ${expected}, got ${formatValue(value)}`);
}

function finiteNumber(name: string, min: number, expected: string, allowInfinity = false): Check {
  return (v) => {
    if (typeof v !== "number") failType(name, v, expected);
    if (Number.isNaN(v) || (!allowInfinity && !Number.isFinite(v)) || v < min) {
      failRange(name, v, expected);
    }
  };
}

function integer(name: string, min: number, expected: string): Check {
  return (v) => {
    if (typeof v !== "number") failType(name, v, expected);
    if (!Number.isInteger(v) || v < min) failRange(name, v, expected);
  };
}

const allSolverNames = () => [...Object.keys(SOLVERS), ...Object.keys(SOLVER_ALIASES)];

/**
 * The validation table: one row per option, each with its check. Unknown option names are
 * rejected with the list of valid ones (so a typo like `maxIters` never passes silently).
 */
const VALIDATION: Record<keyof NmfOptions, Check> = {
  rank: integer("rank", 1, "a positive integer"),
  solver: (v) => {
    if (typeof v !== "string") failType("solver", v, "a solver name string");
    if (!(v in SOLVERS) && !(v in SOLVER_ALIASES)) {
      failRange("solver", v, `one of ${allSolverNames().map((s) => `"${s}"`).join(", ")}`);
    }
  },
  beta: (v) => void resolveBeta(v as Beta, "nmf: beta"),
  init: (v) => {
    if (typeof v === "string") {
      if (!INIT_NAMES.includes(v as InitName)) {
        failRange("init", v, `one of ${INIT_NAMES.map((s) => `"${s}"`).join(", ")} or { W, H }`);
      }
      return;
    }
    if (v === null || typeof v !== "object") failType("init", v, "an init name or { W, H }");
    const f = v as Partial<Factors>;
    if (!(f.W instanceof Matrix)) failType("init.W", f.W, "a Matrix");
    if (!(f.H instanceof Matrix)) failType("init.H", f.H, "a Matrix");
  },
  seed: finiteNumber("seed", -Infinity, "a finite number"),
  maxIter: integer("maxIter", 0, "a non-negative integer"),
  tol: finiteNumber("tol", 0, "a finite number ≥ 0"),
  maxSeconds: (v) => {
    if (typeof v !== "number") failType("maxSeconds", v, "a number > 0");
    if (!(v > 0)) failRange("maxSeconds", v, "a number > 0 (or Infinity)");
  },
  traceEvery: integer("traceEvery", 1, "a positive integer"),
  onIteration: (v) => {
    if (typeof v !== "function") failType("onIteration", v, "a function");
  },
  l1W: finiteNumber("l1W", 0, "a finite number ≥ 0"),
  l1H: finiteNumber("l1H", 0, "a finite number ≥ 0"),
  l2W: finiteNumber("l2W", 0, "a finite number ≥ 0"),
  l2H: finiteNumber("l2H", 0, "a finite number ≥ 0"),
  backend: (v) => {
    if (typeof v !== "string") failType("backend", v, "a backend name string");
    if (!BACKEND_NAMES.includes(v as BackendName)) {
      failRange("backend", v, `one of ${BACKEND_NAMES.map((s) => `"${s}"`).join(", ")}`);
    }
  },
  stepSize: (v) => {
    if (typeof v !== "number") failType("stepSize", v, "a finite number > 0");
    if (!(v > 0) || !Number.isFinite(v)) failRange("stepSize", v, "a finite number > 0");
  },
  project: (v) => {
    if (typeof v !== "boolean") failType("project", v, "a boolean");
  },
  innerMaxIter: integer("innerMaxIter", 1, "a positive integer"),
  extrapolate: (v) => {
    if (typeof v !== "boolean") failType("extrapolate", v, "a boolean");
  },
  updateFirst: (v) => {
    if (typeof v !== "string") failType("updateFirst", v, `"H" or "W"`);
    if (v !== "H" && v !== "W") failRange("updateFirst", v, `"H" or "W"`);
  },
  warn: (v) => {
    if (typeof v !== "function") failType("warn", v, "a function");
  },
  mask: () => {}, // checked against V by validateMask
};

/** The mask option: a Matrix of V's shape with entries in [0, 1], or null when absent. */
function validateMask(mask: unknown, V: unknown): Matrix | null {
  if (mask === undefined) return null;
  if (!(mask instanceof Matrix)) failType("mask", mask, "a Matrix of weights in [0, 1]");
  if (V instanceof Matrix && (mask.rows !== V.rows || mask.cols !== V.cols)) {
    throw new TypeError(
      `nmf: mask must have the shape of V (${V.rows}×${V.cols}), got ${mask.rows}×${mask.cols}`,
    );
  }
  for (let i = 0; i < mask.size; i++) {
    const v = mask.data[i] as number;
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(
        `nmf: mask entries must be in [0, 1], got mask[${Math.floor(i / mask.cols)}][${
          i % mask.cols
        }] = ${formatValue(v)}`,
      );
    }
  }
  return mask;
}

/** Options that only some solvers read. */
const SOLVER_ONLY: Partial<Record<keyof NmfOptions, readonly SolverName[]>> = {
  stepSize: ["gd"],
  project: ["gd"],
  innerMaxIter: ["hals", "pgd"],
  extrapolate: ["hals", "anls-bpp"],
};

/** Row and column of stored entry `t` of V. */
function positionOf(V: DataMatrix, t: number): [number, number] {
  if (V instanceof Matrix) return [Math.floor(t / V.cols), t % V.cols];
  let r = 0;
  while ((V.indptr[r + 1] as number) <= t) r++;
  return [r, V.indices[t] as number];
}

/**
 * Check that V is a non-empty matrix (dense or CSR) of finite non-negative numbers; report the
 * first bad entry. Entries whose mask weight is 0 are not checked (they are missing).
 */
export function validateData(
  V: unknown,
  caller = "nmf",
  mask: Matrix | null = null,
): asserts V is DataMatrix {
  if (!(V instanceof Matrix) && !(V instanceof CsrMatrix)) {
    throw new TypeError(`${caller}: V must be a Matrix or CsrMatrix, got ${formatValue(V)}`);
  }
  if (V.rows === 0 || V.cols === 0) {
    throw new RangeError(`${caller}: V must not be empty, got a ${V.rows}×${V.cols} matrix`);
  }
  const d = storedValues(V), w = mask === null ? null : mask.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if ((v >= 0 && v !== Infinity) || (w !== null && w[i] === 0)) continue;
    const [r, c] = positionOf(V, i);
    const what = Number.isNaN(v)
      ? "NaN"
      : v === Infinity || v === -Infinity
      ? "infinite"
      : "negative";
    throw new RangeError(
      `${caller}: V must be non-negative and finite, got a ${what} entry V[${r}][${c}] = ${
        formatValue(v)
      }`,
    );
  }
}

function validateFactor(name: string, M: Matrix, rows: number, cols: number): void {
  if (M.rows !== rows || M.cols !== cols) {
    throw new TypeError(
      `nmf: ${name} must be ${rows}×${cols} (V is m×n and rank is k), got ${M.rows}×${M.cols}`,
    );
  }
  for (let i = 0; i < M.size; i++) {
    const v = M.data[i] as number;
    if (!(v >= 0) || v === Infinity) {
      throw new RangeError(
        `nmf: ${name} must be non-negative and finite, got ${name}[${Math.floor(i / cols)}][${
          i % cols
        }] = ${formatValue(v)}`,
      );
    }
  }
}

/**
 * 1 for data whose largest entry lies in [1e-100, 1e100]; otherwise the power of 4 nearest to
 * that entry, by which V is divided internally so that products of factors neither underflow
 * nor overflow.
 */
function dataScale(V: DataMatrix): number {
  let max = 0;
  for (const v of storedValues(V)) if (v > max) max = v;
  if (max === 0 || (max >= 1e-100 && max <= 1e100)) return 1;
  const exponent = Math.max(-511, Math.min(511, Math.round(Math.log2(max) / 2)));
  return Math.pow(4, exponent);
}

function countZeros(M: Matrix): number {
  let c = 0;
  for (let i = 0; i < M.size; i++) if (M.data[i] === 0) c++;
  return c;
}

/**
 * Factorize a non-negative matrix: V ≈ WH with W, H ≥ 0.
 *
 * @example Recover an exactly factorizable matrix
 * ```ts
 * import { Matrix, nmf } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const W0 = Matrix.fromRows([[1, 0], [0, 1], [1, 1]]);
 * const H0 = Matrix.fromRows([[1, 2, 0], [0, 1, 3]]);
 * const V = W0.multiply(H0);
 * const r = nmf(V, { rank: 2, solver: "mu", init: "nndsvda", maxIter: 2000, tol: 0 });
 * assert.ok(r.relativeError < 1e-3);
 * assert.equal(r.trace[0]!.iteration, 0);
 * ```
 */
export function nmf(V: Matrix | CsrMatrix, options: NmfOptions): NmfResult {
  const started = performance.now();
  if (options === null || typeof options !== "object") {
    validateData(V);
    throw new TypeError(
      `nmf: options must be an object with at least { rank }, got ${formatValue(options)}`,
    );
  }
  const mask = validateMask(options.mask, V);
  validateData(V, "nmf", mask);
  for (const key of Object.keys(options)) {
    if (!(key in VALIDATION)) {
      throw new TypeError(
        `nmf: unknown option ${JSON.stringify(key)}; valid options are ${
          Object.keys(VALIDATION).join(", ")
        }`,
      );
    }
  }
  if (options.rank === undefined) failType("rank", undefined, "a positive integer");
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    VALIDATION[key as keyof NmfOptions](value);
  }
  const solverName: SolverName = SOLVER_ALIASES[options.solver ?? "mu"] ??
    (options.solver ?? "mu") as SolverName;
  const solver = SOLVERS[solverName];
  if (solver === undefined) failRange("solver", options.solver, "an implemented solver");
  const beta = resolveBeta(options.beta ?? "frobenius", "nmf: beta");
  const m = V.rows, n = V.cols, k = options.rank;
  for (const [key, solvers] of Object.entries(SOLVER_ONLY)) {
    if (
      (options as unknown as Record<string, unknown>)[key] !== undefined &&
      !solvers.includes(solverName)
    ) {
      throw new TypeError(
        `nmf: option ${key} applies only to solver ${
          solvers.map((s) => `"${s}"`).join(" or ")
        }, not "${solverName}"`,
      );
    }
  }
  if (!solver.supportsBeta(beta)) {
    throw new RangeError(
      `nmf: solver "${solverName}" minimizes the Frobenius loss only (beta = 2), got beta = ${beta}; ` +
        `use solver "mu" for other divergences`,
    );
  }
  const penalties: Penalties = {
    l1W: options.l1W ?? 0,
    l1H: options.l1H ?? 0,
    l2W: options.l2W ?? 0,
    l2H: options.l2H ?? 0,
  };
  if (!solver.supportsPenalties && Object.values(penalties).some((p) => p !== 0)) {
    throw new RangeError(
      `nmf: solver "${solverName}" does not support the penalties l1W, l1H, l2W, l2H; set them to 0 or use "mu", "hals" or "pgd"`,
    );
  }
  if (isSparse(V) && !solver.supportsSparse) {
    throw new TypeError(
      `nmf: solver "${solverName}" does not accept a sparse (CsrMatrix) V; use a dense Matrix`,
    );
  }
  if (isSparse(V) && mask !== null) {
    throw new TypeError(
      "nmf: mask needs a dense V (a CsrMatrix stores zeros implicitly); use V.toDense()",
    );
  }
  if (mask !== null && options.extrapolate === true) {
    throw new RangeError(
      "nmf: extrapolate must be false with a mask (missing data): the extrapolated loss is computed from Gram matrices that a mask does not allow; drop one of the two",
    );
  }
  if (mask !== null && !solver.supportsMask) {
    throw new RangeError(
      `nmf: solver "${solverName}" does not support a mask (missing data); use solver "mu" or "hals"`,
    );
  }
  if (beta <= 0 && isSparse(V) && V.nnz < m * n) {
    throw new RangeError(
      `nmf: beta = ${beta} (≤ 0, e.g. Itakura-Saito) needs V > 0 everywhere, got a sparse V with ${
        m * n - V.nnz
      } zero entries; add a small floor to V or use beta > 0`,
    );
  }
  if (beta <= 0) {
    const values = storedValues(V);
    for (let i = 0; i < values.length; i++) {
      if (values[i] === 0 && (mask === null || mask.data[i] !== 0)) {
        throw new RangeError(
          `nmf: beta = ${beta} (≤ 0, e.g. Itakura-Saito) needs V > 0 everywhere, got a zero entry V[${
            positionOf(V, i).join("][")
          }]; add a small floor to V or use beta > 0`,
        );
      }
    }
  }
  const initOption = options.init ?? "nndsvda";
  const seed = options.seed ?? 0;
  // Data at extreme scales is rescaled by an exact power of 4 (so √scale is a power of 2):
  // V = scale·V', W = √scale·W', H = √scale·H', and D_β scales by scale^β.
  // Missing entries (mask 0) may hold anything (NaN included): they are zeroed in a copy.
  const observed: DataMatrix = mask === null || isSparse(V)
    ? V
    : V.map((v, i, j) => (mask.get(i, j) === 0 ? 0 : v));
  const scale = dataScale(observed);
  const root = Math.sqrt(scale);
  const data = scale === 1 ? observed : mapStored(observed, (v) => v / scale);
  let W: Matrix, H: Matrix;
  if (typeof initOption === "string") {
    if (initOption.startsWith("nndsvd") && k > Math.min(m, n)) {
      failRange(
        "rank",
        k,
        `at most min(rows, cols) = ${
          Math.min(m, n)
        } for init "${initOption}" (use init "random" for a larger rank)`,
      );
    }
    // The initializations work on a dense V (a sparse V is densified once, for this step only).
    ({ W, H } = initialize(toDense(data), k, { method: initOption, seed }));
  } else {
    validateFactor("init.W", initOption.W, m, k);
    validateFactor("init.H", initOption.H, k, n);
    W = scale === 1 ? initOption.W.clone() : initOption.W.map((v) => v / root);
    H = scale === 1 ? initOption.H.clone() : initOption.H.map((v) => v / root);
  }
  const warnings: string[] = [];
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const say = (message: string) => {
    warnings.push(message);
    warn(message);
  };
  if (solverName === "mu") {
    const zeros = countZeros(W) + countZeros(H);
    if (zeros > 0) {
      say(
        `nmf: ${zeros} entries of the initial W and H are exactly 0; multiplicative updates can never ` +
          `change them (0 times any factor is 0). Use init "nndsvda" or "nndsvdar" instead.`,
      );
    }
  }
  const backendName = options.backend ?? "auto";
  const { backend, notice } = resolveBackend(backendName);
  if (notice !== null) {
    // An explicit "blas" request is told every time; "auto" says it once per process.
    if (backendName === "blas") say(`nmf: ${notice}`);
    else if (!autoNoticeGiven) {
      autoNoticeGiven = true;
      console.warn(`nmf: ${notice}`);
    }
  }
  const traceEvery = options.traceEvery ?? (m * n * k <= 1e6 ? 1 : 10);
  const resolved: ResolvedOptions = {
    rank: k,
    solver: solverName,
    beta,
    init: typeof initOption === "string" ? initOption : "custom",
    seed,
    maxIter: options.maxIter ?? 200,
    tol: options.tol ?? 1e-4,
    maxSeconds: options.maxSeconds ?? Infinity,
    traceEvery,
    ...penalties,
    backend: backendName,
  };
  if (options.stepSize !== undefined) resolved.stepSize = options.stepSize;
  if (options.project !== undefined) resolved.project = options.project;
  if (options.innerMaxIter !== undefined) resolved.innerMaxIter = options.innerMaxIter;
  if (options.extrapolate === true) resolved.extrapolate = true;
  const wFirst = options.updateFirst === "W";
  if (wFirst) resolved.updateFirst = "W";
  // Penalty weights in the rescaled units (0 stays 0: 0·Infinity must not make NaN).
  const rescale = (weight: number, power: number) =>
    weight === 0 ? 0 : weight * Math.pow(scale, power);
  const scaledPenalties: Penalties = scale === 1 ? penalties : {
    l1W: rescale(penalties.l1W, 0.5 - beta),
    l1H: rescale(penalties.l1H, 0.5 - beta),
    l2W: rescale(penalties.l2W, 1 - beta),
    l2H: rescale(penalties.l2H, 1 - beta),
  };
  // W first: the same solver on Vᵀ ≈ HᵀWᵀ, whose first update (of its "H") is our W.
  const source = wFirst ? transposedData(data) : data;
  // A dense V is used in every iteration: let the backend keep it where its products are fastest.
  const fitData = source instanceof Matrix && backend.prepare !== undefined
    ? backend.prepare(source)
    : source;
  const userCallback = options.onIteration;
  const onIteration = wFirst && userCallback !== undefined
    ? (info: IterationInfo) =>
      userCallback({ ...info, W: transposed(info.H), H: transposed(info.W) })
    : userCallback;
  let run: ReturnType<typeof runSolver>;
  try {
    run = runSolver(solver, {
      mask: wFirst && mask !== null ? transposed(mask) : mask,
      V: fitData,
      W: wFirst ? transposed(H) : W,
      H: wFirst ? transposed(W) : H,
      beta,
      penalties: wFirst
        ? {
          l1W: scaledPenalties.l1H,
          l1H: scaledPenalties.l1W,
          l2W: scaledPenalties.l2H,
          l2H: scaledPenalties.l2W,
        }
        : scaledPenalties,
      backend,
      settings: {
        stepSize: options.stepSize === undefined
          ? undefined
          : options.stepSize * Math.pow(scale, beta - 1),
        project: options.project,
        innerMaxIter: options.innerMaxIter,
        extrapolate: options.extrapolate,
      },
    }, {
      maxIter: resolved.maxIter,
      tol: resolved.tol,
      maxSeconds: resolved.maxSeconds,
      traceEvery,
      onIteration,
    });
  } finally {
    if (fitData !== source) backend.release?.(fitData as Matrix);
  }
  if (wFirst) run = { ...run, W: transposed(run.H), H: transposed(run.W) };
  if (scale !== 1) {
    const lossScale = Math.pow(scale, beta);
    // 0 stays 0 even when scale^β overflows (0 · Infinity would be NaN)
    for (const entry of run.trace) if (entry.loss !== 0) entry.loss *= lossScale;
    for (const M of [run.W, run.H]) {
      for (let i = 0; i < M.size; i++) M.data[i] = (M.data[i] as number) * root;
    }
  }
  const last = run.trace[run.trace.length - 1] as TraceEntry;
  return withDisplay({
    W: run.W,
    H: run.H,
    trace: run.trace,
    iterations: run.iterations,
    converged: run.converged,
    stopReason: run.stopReason,
    loss: last.loss,
    relativeError: last.relativeError,
    solver: solverName,
    beta,
    backend: backend.name,
    seconds: (performance.now() - started) / 1000,
    warnings,
    options: resolved,
  });
}

/** Mᵀ as a new matrix. */
function transposed(M: Matrix): Matrix {
  return transposeInto(Matrix.zeros(M.cols, M.rows), M);
}

/** Vᵀ, dense or sparse. */
function transposedData(V: DataMatrix): DataMatrix {
  return isSparse(V) ? V.transpose() : transposed(V);
}

/**
 * Give a result its rich display in the Deno Jupyter kernel (a compact summary with a loss
 * sparkline) as a non-enumerable method, so results still compare and serialize as plain data.
 */
function withDisplay(result: NmfResult): NmfResult {
  Object.defineProperty(result, Symbol.for("Jupyter.display"), {
    value: () => ({
      "text/html": resultSummaryHtml(result),
      "text/plain":
        `nmf: ${result.solver}, rank ${result.W.cols}, ${result.iterations} iterations (${result.stopReason}), loss ${
          result.loss.toPrecision(6)
        }, relative error ${result.relativeError.toPrecision(4)}`,
    }),
    enumerable: false,
  });
  return result;
}
