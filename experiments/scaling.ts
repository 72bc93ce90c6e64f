/**
 * Notebook 7 — computational scaling.
 *
 * One iteration of a dense NMF solver is dominated by products such as WᵀV (k×m times m×n) and
 * VHᵀ (m×n times n×k): about 2mnk flops each. The rest — WᵀW, HHᵀ (O((m+n)k²)), the k×k solves
 * of ANLS — is smaller while k ≪ m, n. So time per iteration should grow linearly in each of m,
 * n and k: slope ≈ 1 on log–log axes. This module times iterations (the driver's own solver
 * clock, which excludes trace evaluation), fits the slopes, measures the work memory each solver
 * allocates, and what recording the loss every iteration costs.
 *
 * Timing is the one place where experiments read a clock (`performance.now()` through the
 * driver's trace); everything else is deterministic by seed.
 *
 * @module
 */

import {
  type BackendName,
  createObjectiveWork,
  createRng,
  evaluateObjective,
  fitLogLogSlope,
  Matrix,
  nmf,
  NO_PENALTIES,
  resolveBackend,
  setPortableThreads,
  type SolverName,
  SOLVERS,
} from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** One timed configuration. */
export interface TimingRecord {
  /** Which dimension was varied: "m", "n" or "k". */
  vary: "m" | "n" | "k";
  /** The solver. */
  solver: SolverName;
  /** The backend that actually ran. */
  backend: string;
  /** Rows of V. */
  m: number;
  /** Columns of V. */
  n: number;
  /** The rank. */
  k: number;
  /** The varied dimension's value. */
  size: number;
  /** Seconds per iteration (least over the repetitions). */
  seconds: number;
}

/** A fitted slope of log time against log size. */
export interface SlopeRow {
  /** Which dimension was varied. */
  vary: "m" | "n" | "k";
  /** The solver. */
  solver: SolverName;
  /** The backend that ran. */
  backend: string;
  /** The fitted exponent p of time ≈ c·sizeᵖ. */
  slope: number;
  /** Coefficient of determination of the fit (on log scales). */
  r2: number;
}

/** Options of {@linkcode iterationScaling}. */
export interface IterationScalingOptions extends ExperimentOptions {
  /** Solvers to time. @default ["mu", "hals", "anls-bpp"] */
  solvers?: SolverName[];
  /** Backends to time (those that cannot load fall back and are reported once). @default ["portable", "blas"] */
  backends?: BackendName[];
  /** Timed iterations per run. @default 8 (4 when quick) */
  iterations?: number;
  /** Repetitions per point (the least time per iteration over all of them is kept). @default 2 */
  repeats?: number;
}

/** What {@linkcode iterationScaling} returns. */
export interface IterationScalingResult {
  /** The base problem: m, n, k (each sweep varies one of them). */
  base: { m: number; n: number; k: number };
  /** The sizes each sweep runs through. */
  sweeps: { m: number[]; n: number[]; k: number[] };
  /** Every timed configuration. */
  records: TimingRecord[];
  /** One fitted slope per sweep, solver and backend. */
  slopes: SlopeRow[];
  /** Backends that were asked for but not available, with the reason. */
  unavailable: { backend: string; reason: string }[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Seconds per iteration of one configuration: every iteration is timed on its own (between two
 * `onIteration` calls, with no trace evaluated in between), and the least time over all
 * iterations of all repetitions is kept. On a busy machine the least time is the one least
 * disturbed by other processes.
 */
export function secondsPerIteration(
  V: Matrix,
  options: {
    solver: SolverName;
    k: number;
    backend: BackendName;
    iterations: number;
    repeats: number;
    seed: number;
  },
): { seconds: number; backend: string } {
  let best = Infinity;
  let backend = "";
  for (let r = 0; r < options.repeats; r++) {
    let last = NaN;
    const result = nmf(V, {
      rank: options.k,
      solver: options.solver,
      backend: options.backend,
      init: "random",
      seed: options.seed + r,
      // The last iteration is followed by a trace evaluation: run one more and leave it out.
      maxIter: options.iterations + 2,
      tol: 0,
      traceEvery: options.iterations + 2,
      // One sweep per outer iteration, so every hals iteration does the same work.
      ...(options.solver === "hals" ? { innerMaxIter: 1 } : {}),
      onIteration: ({ iteration }) => {
        const now = performance.now();
        // Iteration 1 follows the initial trace entry; time iterations 2… only.
        if (iteration > 1 && iteration <= options.iterations + 1) {
          best = Math.min(best, (now - last) / 1000);
        }
        last = now;
      },
    });
    backend = result.backend;
  }
  return { seconds: best, backend };
}

/**
 * Time per iteration against m, n and k for several solvers and backends, with log–log slopes.
 * The portable backend runs on one thread here (see {@linkcode threadScaling} for threads).
 *
 * @example
 * ```ts
 * import { iterationScaling } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = iterationScaling({ quick: true, solvers: ["mu"], backends: ["portable"] });
 * assert.equal(r.slopes.length, 3);
 * ```
 */
export function iterationScaling(options: IterationScalingOptions = {}): IterationScalingResult {
  const quick = options.quick ?? false;
  const seed = options.seed ?? 0;
  const solvers = options.solvers ?? ["mu", "hals", "anls-bpp"];
  const iterations = options.iterations ?? (quick ? 4 : 8);
  const repeats = options.repeats ?? 2;
  const base = quick ? { m: 200, n: 150, k: 8 } : { m: 400, n: 300, k: 10 };
  const sweeps = quick
    ? { m: [100, 200, 400], n: [75, 150, 300], k: [4, 8, 16] }
    : { m: [200, 400, 800, 1600], n: [150, 300, 600, 1200], k: [5, 10, 20, 40] };
  const unavailable: { backend: string; reason: string }[] = [];
  const backends = (options.backends ?? ["portable", "blas"]).filter((b) => {
    const { notice } = resolveBackend(b);
    if (b === "blas" && notice !== null) unavailable.push({ backend: b, reason: notice });
    return !(b === "blas" && notice !== null);
  });
  const rng = createRng(seed);
  const largest = { m: Math.max(...sweeps.m), n: Math.max(...sweeps.n) };
  // One big random matrix; each size uses its top-left block, so sizes share their data.
  const big = Matrix.generate(largest.m, largest.n, () => rng.uniform());
  const block = (m: number, n: number) => Matrix.generate(m, n, (i, j) => big.get(i, j));
  const records: TimingRecord[] = [];
  // The portable backend is timed on one thread: above a size its products are shared between
  // threads, which would bend the line in the middle of a sweep (threadScaling measures threads).
  const threadsBefore = setPortableThreads(1);
  try {
    // Warm-up: let the JIT compile every solver and backend before anything is timed.
    const warm = block(sweeps.m[0] as number, sweeps.n[0] as number);
    for (const solver of solvers) {
      for (const backend of backends) {
        secondsPerIteration(warm, { solver, k: base.k, backend, iterations: 3, repeats: 2, seed });
      }
    }
    for (const vary of ["m", "n", "k"] as const) {
      // The repetitions go round the sizes (each size once per round, the least time kept), so a
      // slow spell of the machine falls on every size of a sweep alike instead of bending its line.
      const sweep: TimingRecord[] = [];
      for (let round = 0; round < repeats; round++) {
        let at = 0;
        for (const size of sweeps[vary]) {
          const dims = { ...base, [vary]: size };
          const V = block(dims.m, dims.n);
          for (const solver of solvers) {
            for (const backendName of backends) {
              const t = secondsPerIteration(V, {
                solver,
                k: dims.k,
                backend: backendName,
                iterations,
                repeats: 1,
                seed: seed + round,
              });
              const known = sweep[at];
              if (known === undefined) {
                sweep.push({ vary, solver, backend: t.backend, ...dims, size, seconds: t.seconds });
              } else known.seconds = Math.min(known.seconds, t.seconds);
              at++;
            }
          }
        }
      }
      records.push(...sweep);
    }
  } finally {
    setPortableThreads(threadsBefore);
  }
  const slopes: SlopeRow[] = [];
  for (const vary of ["m", "n", "k"] as const) {
    for (const solver of solvers) {
      for (const backend of new Set(records.map((r) => r.backend))) {
        const rs = records.filter((r) =>
          r.vary === vary && r.solver === solver && r.backend === backend
        );
        if (rs.length < 2) continue;
        const fit = fitLogLogSlope(rs.map((r) => r.size), rs.map((r) => r.seconds));
        slopes.push({ vary, solver, backend, slope: fit.slope, r2: fit.r2 });
      }
    }
  }
  const linear = slopes.filter((s) =>
    s.vary !== "k" && s.backend === "portable" && (s.solver === "mu" || s.solver === "hals")
  );
  const farthest = linear.reduce(
    (worst, s) => (Math.abs(s.slope - 1) > Math.abs(worst - 1) ? s.slope : worst),
    1,
  );
  const checks = [
    checkClaim(
      // A timing claim: wide bounds, since a shared 2-core machine (or notebooks executed two at
      // a time) shifts small timings; the slopes measured alone are printed beside it.
      "portable backend: time per iteration of mu and hals grows about linearly in m and n (log–log slopes within 0.5–1.5)",
      linear.length > 0 && linear.every((s) => s.slope > 0.5 && s.slope < 1.5),
      farthest,
    ),
  ];
  return { base, sweeps, records, slopes, unavailable, checks };
}

/** The work memory of one solver on one problem size. */
export interface MemoryRow {
  /** The solver. */
  solver: SolverName;
  /** The loss: 2 = Frobenius, 1 = Kullback–Leibler. */
  beta: number;
  /** Rows of V. */
  m: number;
  /** Columns of V. */
  n: number;
  /** The rank. */
  k: number;
  /** Bytes of V itself (8mn). */
  dataBytes: number;
  /** Bytes of W and H (8(m + n)k). */
  factorBytes: number;
  /** Bytes of the solver's own buffers after creation and one step (measured). */
  solverWorkBytes: number;
  /** Bytes of the loss evaluation's buffers after one evaluation (measured). */
  lossWorkBytes: number;
  /** solverWorkBytes / dataBytes. */
  workOverData: number;
}

/** Sum of the distinct ArrayBuffers reachable from `root`, leaving out those in `exclude`. */
export function reachableBytes(
  root: unknown,
  exclude: ReadonlySet<ArrayBufferLike> = new Set(),
): number {
  const seenBuffers = new Set<ArrayBufferLike>();
  const seenObjects = new Set<object>();
  let total = 0;
  const visit = (x: unknown, depth: number) => {
    if (x === null || typeof x !== "object" || depth > 6) return;
    if (ArrayBuffer.isView(x)) {
      const buffer = x.buffer;
      if (!seenBuffers.has(buffer) && !exclude.has(buffer)) {
        seenBuffers.add(buffer);
        total += buffer.byteLength;
      }
      return;
    }
    if (seenObjects.has(x)) return;
    seenObjects.add(x);
    for (const v of Object.values(x)) visit(v, depth + 1);
  };
  visit(root, 0);
  return total;
}

/**
 * Measure the work buffers each solver allocates (after one step), for Frobenius and KL.
 *
 * @example
 * ```ts
 * import { solverMemory } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = solverMemory({ quick: true });
 * assert.ok(r.rows.length > 0);
 * ```
 */
export function solverMemory(
  options: ExperimentOptions = {},
): { rows: MemoryRow[]; checks: ExperimentCheck[] } {
  const rng = createRng(options.seed ?? 0);
  // The second size doubles m and n: data memory grows 4×.
  const sizes = options.quick ? [[100, 80, 5], [200, 160, 5]] : [[200, 150, 10], [400, 300, 10]];
  const rows: MemoryRow[] = [];
  const { backend } = resolveBackend("portable");
  for (const [m, n, k] of sizes as [number, number, number][]) {
    const V = Matrix.generate(m, n, () => rng.uniform() + 0.1);
    for (const solver of ["mu", "hals", "anls-bpp", "als", "pgd"] as const) {
      const impl = SOLVERS[solver];
      if (impl === undefined) continue;
      for (const beta of [2, 1]) {
        if (!impl.supportsBeta(beta)) continue;
        const W = Matrix.generate(m, k, () => rng.uniform() + 0.1);
        const H = Matrix.generate(k, n, () => rng.uniform() + 0.1);
        const state = impl.create({
          V,
          W,
          H,
          beta,
          penalties: NO_PENALTIES,
          backend,
          settings: {},
          mask: null,
        });
        impl.step(state);
        const exclude = new Set<ArrayBufferLike>([V.data.buffer, W.data.buffer, H.data.buffer]);
        const solverWorkBytes = reachableBytes(state, exclude);
        const work = createObjectiveWork(V, k);
        evaluateObjective(V, W, H, beta, NO_PENALTIES, work, backend);
        const lossWorkBytes = reachableBytes(work);
        const dataBytes = 8 * m * n;
        rows.push({
          solver,
          beta,
          m,
          n,
          k,
          dataBytes,
          factorBytes: 8 * (m + n) * k,
          solverWorkBytes,
          lossWorkBytes,
          workOverData: solverWorkBytes / dataBytes,
        });
      }
    }
  }
  // Growth of each solver's work memory when m and n double.
  const growth = (solver: SolverName, beta: number) => {
    const rs = rows.filter((r) => r.solver === solver && r.beta === beta);
    const a = rs[0], b = rs[rs.length - 1];
    return a !== undefined && b !== undefined && a !== b
      ? b.solverWorkBytes / a.solverWorkBytes
      : NaN;
  };
  const froGrowth = (["mu", "hals", "anls-bpp", "als", "pgd"] as const).map((s) => growth(s, 2))
    .filter((g) => !Number.isNaN(g));
  const worstFro = Math.max(...froGrowth);
  const klGrowth = growth("mu", 1);
  return {
    rows,
    checks: [
      checkClaim(
        "Frobenius solvers' work memory grows like (m + n)k, not mn: doubling m and n at most doubles it (≤ 2.1×)",
        froGrowth.length > 0 && worstFro <= 2.1,
        worstFro,
      ),
      checkClaim(
        "KL multiplicative updates keep m×n buffers: doubling m and n nearly quadruples their work memory (≥ 3.5×)",
        klGrowth >= 3.5,
        klGrowth,
      ),
    ],
  };
}

/** What {@linkcode traceCost} returns. */
export interface TraceCostResult {
  /** m, n, k and iterations. */
  shape: { m: number; n: number; k: number; iterations: number };
  /** One row per solver and traceEvery: wall seconds of the whole call and the solver's own seconds. */
  rows: {
    solver: SolverName;
    traceEvery: number;
    wallSeconds: number;
    solverSeconds: number;
    traced: number;
  }[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * The cost of recording the loss (and KKT residual) every iteration against every 10: the same
 * run, the same iterates, two wall times.
 *
 * @example
 * ```ts
 * import { traceCost } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = traceCost({ quick: true });
 * assert.equal(r.rows.length, 4);
 * ```
 */
export function traceCost(options: ExperimentOptions = {}): TraceCostResult {
  const quick = options.quick ?? false;
  const rng = createRng(options.seed ?? 0);
  const m = quick ? 200 : 400, n = quick ? 150 : 300, k = 10, iterations = quick ? 30 : 60;
  const V = Matrix.generate(m, n, () => rng.uniform());
  const rows: TraceCostResult["rows"] = [];
  for (const solver of ["mu", "hals"] as const) {
    for (const traceEvery of [1, 10]) {
      let wall = Infinity, inner = Infinity, traced = 0;
      for (let r = 0; r < 3; r++) {
        const res = nmf(V, {
          rank: k,
          solver,
          backend: "portable",
          seed: 1,
          maxIter: iterations,
          tol: 0,
          traceEvery,
        });
        wall = Math.min(wall, res.seconds);
        inner = Math.min(inner, (res.trace[res.trace.length - 1] as { seconds: number }).seconds);
        traced = res.trace.length;
      }
      rows.push({ solver, traceEvery, wallSeconds: wall, solverSeconds: inner, traced });
    }
  }
  const mu1 = rows.find((r) => r.solver === "mu" && r.traceEvery === 1);
  const mu10 = rows.find((r) => r.solver === "mu" && r.traceEvery === 10);
  const ratio = mu1 !== undefined && mu10 !== undefined ? mu1.wallSeconds / mu10.wallSeconds : NaN;
  return {
    shape: { m, n, k, iterations },
    rows,
    checks: [
      checkClaim(
        "mu: tracing every iteration costs at least 20% more wall time than every 10th",
        ratio > 1.2,
        ratio,
      ),
    ],
  };
}

/** One thread count of {@linkcode threadScaling}. */
export interface ThreadRow {
  /** Threads the portable backend's products could use. */
  threads: number;
  /** Least seconds per MU iteration (see {@linkcode secondsPerIteration}). */
  secondsPerIteration: number;
  /** Seconds per iteration on one thread divided by this row's. */
  speedup: number;
}

/** What {@linkcode threadScaling} returns. */
export interface ThreadScalingResult {
  shape: { m: number; n: number; k: number; iterations: number };
  /** Logical cores this engine reports (1 where it does not say). */
  cores: number;
  rows: ThreadRow[];
  /** Whether W and H came out the same bit for bit on every thread count. */
  identical: boolean;
  checks: ExperimentCheck[];
}

/**
 * The same MU fit on the portable backend with 1 thread and with every core: time per iteration
 * and whether the factors agree bit for bit. A product is cut into blocks of its output, each
 * computed whole by one thread in a fixed order, so the number of threads changes the time, never
 * the arithmetic. Leaves the thread setting as it found it.
 *
 * @example
 * ```ts
 * import { threadScaling } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = threadScaling({ quick: true });
 * assert.ok(r.identical);
 * ```
 */
export function threadScaling(options: ExperimentOptions = {}): ThreadScalingResult {
  const quick = options.quick ?? false;
  const seed = options.seed ?? 0;
  const rng = createRng(seed);
  // Large enough that each product (m·n·k ≥ 1M multiply-adds, PARALLEL_MIN_WORK) is shared between threads.
  const m = quick ? 1000 : 1600, n = quick ? 500 : 1200, k = 10, iterations = quick ? 10 : 30;
  const V = Matrix.generate(m, n, () => rng.uniform());
  const cores = typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0
    ? navigator.hardwareConcurrency
    : 1;
  const counts = [...new Set([1, 2, Math.min(cores, 8)])].sort((a, b) => a - b);
  const before = setPortableThreads(1);
  const rows: ThreadRow[] = [];
  let reference: { W: Matrix; H: Matrix } | null = null;
  let identical = true;
  try {
    for (const threads of counts) {
      setPortableThreads(threads);
      const fit = nmf(V, { rank: k, solver: "mu", backend: "portable", seed, maxIter: 20, tol: 0 });
      if (reference === null) reference = { W: fit.W, H: fit.H };
      else {
        identical &&= fit.W.data.every((x, i) => Object.is(x, reference?.W.data[i])) &&
          fit.H.data.every((x, i) => Object.is(x, reference?.H.data[i]));
      }
      const { seconds } = secondsPerIteration(V, {
        solver: "mu",
        k,
        backend: "portable",
        iterations,
        repeats: 2,
        seed,
      });
      rows.push({ threads, secondsPerIteration: seconds, speedup: NaN });
    }
  } finally {
    setPortableThreads(before);
  }
  const one = rows[0]?.secondsPerIteration ?? NaN;
  for (const row of rows) row.speedup = one / row.secondsPerIteration;
  return {
    shape: { m, n, k, iterations },
    cores,
    rows,
    identical,
    checks: [
      checkClaim(
        "portable backend: W and H are the same bit for bit on every number of threads",
        identical,
        rows.map((r) => r.threads).join(", ") + " threads",
      ),
    ],
  };
}
