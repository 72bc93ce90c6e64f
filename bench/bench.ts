/**
 * `deno task bench`: nmflab (each backend; solvers mu, hals, anls-bpp) against scikit-learn (MU and
 * CD, in a Python subprocess on bit-identical data and the same initial factors), side by side in
 * one run. Not a timed test: numbers depend on the machine and on what else runs on it.
 *
 * Usage:
 *   deno task bench                 # all data sets, results in bench/results/
 *   deno task bench --quick         # a tiny problem (a smoke test, a few seconds)
 *   deno task bench --only=synthetic-2000x1000 --out=/tmp/bench
 *   deno task bench --only=digits,scaling   # "scaling": the scaling study in m, n, k
 *
 * For each data set it reports, per solver and backend: ms per iteration (solver time only: the
 * trace's `seconds`, which excludes evaluating the loss), the ratio to scikit-learn's MU and CD,
 * the effective GFLOP/s of the dominant products (4·m·n·k flops per iteration, 4·nnz·k for
 * sparse V), and the time to reach within 1e-4 (relative) of the best loss any solver reached.
 * A second table times the dominant products alone (WᵀV, VHᵀ) on each backend and in numpy, and a
 * square 1000×1000 dgemm as the machine's reference.
 *
 * @module
 */

import {
  csrMatmulInto,
  CsrMatrix,
  csrTransposeMatmulInto,
  fitLogLogSlope,
  gemmInto,
  type GemmOptions,
  initialize,
  loadBlas,
  Matrix,
  nmf,
  type NmfOptions,
  type NmfResult,
  portableBackend,
  portableThreads,
  scalarGemmInto,
  setBlasFusedPass,
  setPortableThreads,
  simdAvailable,
  SOLVERS,
  type TraceEntry,
} from "../mod.ts";
import type { Backend } from "../linalg/kernels.ts";
import { createRng } from "../linalg/rng.ts";
import { findSklearnPython, runPythonJson } from "../scripts/python.ts";
import { secondsPerIteration } from "../experiments/scaling.ts";

/**
 * Whether OPENBLAS_THREAD_TIMEOUT was unset when the bench started: then the value the scikit-learn
 * subprocess would inherit is the one loadBlas sets for nmflab, and it is removed for scikit-learn,
 * which runs as its users run it.
 */
const THREAD_TIMEOUT_UNSET = Deno.env.get("OPENBLAS_THREAD_TIMEOUT") === undefined;

// ---------------------------------------------------------------------------------------------
// Arguments

interface Args {
  quick: boolean;
  out: string;
  only: string[] | null;
  sklearn: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    out: new URL("./results/", import.meta.url).pathname,
    only: null,
    sklearn: true,
  };
  for (const a of argv) {
    if (a === "--quick") args.quick = true;
    else if (a === "--no-sklearn") args.sklearn = false;
    else if (a.startsWith("--out=")) args.out = a.slice(6);
    else if (a.startsWith("--only=")) args.only = a.slice(7).split(",");
    else if (a === "--help" || a === "-h") {
      console.log("deno task bench [--quick] [--no-sklearn] [--only=name,...|scaling] [--out=dir]");
      Deno.exit(0);
    } else throw new RangeError(`bench: unknown argument ${JSON.stringify(a)}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Data sets

interface BenchDataset {
  name: string;
  V: Matrix;
  /** The sparse form of V, when the data set is sparse. */
  csr: CsrMatrix | null;
  k: number;
  /** Most outer iterations of each nmflab run (and the last point of scikit-learn's schedule). */
  maxIter: number;
  /** Wall-clock budget of each nmflab run, seconds. */
  maxSeconds: number;
  note: string;
}

/** A planted rank-k non-negative matrix plus 10% uniform noise. */
function synthetic(m: number, n: number, k: number, seed: number): Matrix {
  const rng = createRng(seed);
  const W = Matrix.generate(m, k, () => rng.uniform());
  const H = Matrix.generate(k, n, () => rng.uniform());
  const V = Matrix.zeros(m, n);
  gemmInto(V, W, H);
  const scale = 0.1 * (k / 4);
  for (let i = 0; i < V.data.length; i++) {
    V.data[i] = (V.data[i] as number) + scale * rng.uniform();
  }
  return V;
}

async function datasets(args: Args): Promise<{ list: BenchDataset[]; notes: string[] }> {
  const notes: string[] = [];
  if (args.quick) {
    return {
      list: [{
        name: "synthetic-120x80",
        V: synthetic(120, 80, 5, 1),
        csr: null,
        k: 5,
        maxIter: 20,
        maxSeconds: 5,
        note: "planted rank 5 + noise (quick)",
      }],
      notes,
    };
  }
  const list: BenchDataset[] = [
    {
      name: "synthetic-2000x1000",
      V: synthetic(2000, 1000, 20, 1),
      csr: null,
      k: 20,
      maxIter: 200,
      maxSeconds: 20,
      note: "planted rank 20 + noise",
    },
    {
      name: "synthetic-5000x2000",
      V: synthetic(5000, 2000, 50, 2),
      csr: null,
      k: 50,
      maxIter: 100,
      maxSeconds: 20,
      note: "planted rank 50 + noise",
    },
  ];
  try {
    const { loadDataset } = await import("../data/datasets.ts");
    const digits = loadDataset("digits");
    list.push({
      name: "digits",
      V: digits.V,
      csr: null,
      k: 16,
      maxIter: 300,
      maxSeconds: 20,
      note: "64 pixels × 1797 images",
    });
    const sotu = loadDataset("sotu");
    const csr = CsrMatrix.fromDense(sotu.V);
    list.push({
      name: "sotu",
      V: sotu.V,
      csr,
      k: 10,
      maxIter: 300,
      maxSeconds: 20,
      note: `2000 terms × 233 addresses, ${(100 * csr.density).toFixed(1)}% non-zero`,
    });
  } catch (error) {
    notes.push(`digits/sotu skipped: ${(error as Error).message.split("\n")[0]}`);
  }
  const chosen = args.only === null ? list : list.filter((d) => args.only?.includes(d.name));
  return { list: chosen, notes };
}

// ---------------------------------------------------------------------------------------------
// Machine

interface Machine {
  date: string;
  cpu: string;
  /** Vector extension, clock and L2 per core (`cpuDetails`). */
  cpuDetails: string;
  cores: number;
  deno: string;
  v8: string;
  blas: string;
  simd: string;
  loadBefore: string;
  loadAfter: string;
  python: string;
  sklearn: string;
  numpy: string;
}

/** What `sh -c script` prints, trimmed (machine facts: Deno reads /proc only with -A). */
function shellOutput(script: string): string {
  const out = new Deno.Command("sh", { args: ["-c", script], stdout: "piped", stderr: "null" })
    .outputSync();
  return new TextDecoder().decode(out.stdout).trim();
}

/** The CPU model from /proc/cpuinfo. */
function cpuModel(): string {
  try {
    const text = shellOutput(
      "grep -m1 'model name' /proc/cpuinfo || sysctl -n machdep.cpu.brand_string",
    );
    return text.includes(":") ? text.split(":").slice(1).join(":").trim() : text || "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * What the kernels' speed depends on beyond the model name: the widest x86 vector extension the
 * CPU reports (OpenBLAS uses it, WebAssembly SIMD stays at 128 bits), its clock as reported, and
 * the L2 cache of one core (the fused pass's blocks are sized for it).
 */
function cpuDetails(): string {
  try {
    const lines = shellOutput(
      "grep -m1 '^flags' /proc/cpuinfo; grep -m1 'cpu MHz' /proc/cpuinfo; " +
        "cat /sys/devices/system/cpu/cpu0/cache/index2/size 2>/dev/null",
    ).split("\n");
    const flags = new Set((lines.find((l) => l.startsWith("flags")) ?? "").split(/\s+/));
    const simd = flags.has("avx512f") ? "AVX-512" : flags.has("avx2") ? "AVX2" : "no AVX2";
    const mhz = (lines.find((l) => l.startsWith("cpu MHz")) ?? "").split(":")[1]?.trim();
    const l2 = lines.find((l) => /^[0-9]+[KM]$/.test(l.trim()));
    return [
      simd,
      mhz === undefined ? null : `${Number(mhz).toFixed(0)} MHz reported`,
      l2 === undefined ? null : `L2 ${l2.trim()} per core`,
    ]
      .filter((x) => x !== null).join(", ");
  } catch {
    return "unknown";
  }
}

/** OpenBLAS's name for the kernels it chose on this CPU (`openblas_get_corename`), if it has it. */
function openblasCore(library: string): string {
  try {
    const lib = Deno.dlopen(library, {
      openblas_get_corename: { parameters: [], result: "pointer" },
    });
    try {
      const name = lib.symbols.openblas_get_corename();
      return name === null ? "unknown" : Deno.UnsafePointerView.getCString(name);
    } finally {
      lib.close();
    }
  } catch {
    return "unknown";
  }
}

function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------
// scikit-learn subprocess

export interface SklearnRun {
  iterations: number;
  seconds: number;
  loss: number;
  relativeError: number;
}

export interface SklearnAnswer {
  python: string;
  sklearn: string;
  numpy: string;
  solvers: Record<string, { runs: SklearnRun[]; secondsPerIteration: number }>;
  gemm: { WtV: number; VHt: number; square1000: number };
}

function writeF64(path: string, M: Matrix): void {
  Deno.writeFileSync(path, new Uint8Array(M.data.buffer, M.data.byteOffset, M.data.byteLength));
}

/** The iteration counts scikit-learn is run for (each run restarts from the same init). */
function schedule(maxIter: number): number[] {
  const points = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500].filter((t) => t < maxIter);
  return [...points, maxIter];
}

async function runSklearn(
  python: string,
  data: BenchDataset,
  W0: Matrix,
  H0: Matrix,
): Promise<SklearnAnswer> {
  const dir = Deno.makeTempDirSync({ prefix: "nmflab-bench-" });
  try {
    writeF64(`${dir}/V.f64`, data.V);
    writeF64(`${dir}/W0.f64`, W0);
    writeF64(`${dir}/H0.f64`, H0);
    const request = {
      dir,
      m: data.V.rows,
      n: data.V.cols,
      k: data.k,
      sparse: data.csr !== null,
      solvers: ["mu", "cd"],
      schedule: schedule(data.maxIter),
      repeats: 3,
    };
    // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set in this environment, make numpy's OpenBLAS
    // pick a slow kernel: they are removed for this subprocess only.
    const env = Deno.env.toObject();
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    if (THREAD_TIMEOUT_UNSET) delete env.OPENBLAS_THREAD_TIMEOUT;
    const script = new URL("./sklearn_ref.py", import.meta.url);
    return await runPythonJson(python, script, request, { env }) as SklearnAnswer;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/**
 * Two scikit-learn answers for the same data merged into the faster: per solver, each timed run's
 * least seconds (the runs are the same iterations from the same init, so their losses agree) and
 * the least seconds per iteration; per product, the least time.
 */
export function fasterSklearn(a: SklearnAnswer, b: SklearnAnswer): SklearnAnswer {
  const solvers: SklearnAnswer["solvers"] = {};
  for (const [name, s] of Object.entries(a.solvers)) {
    const t = b.solvers[name];
    solvers[name] = t === undefined || t.runs.length !== s.runs.length ? s : {
      runs: s.runs.map((run, i) => ({
        ...run,
        seconds: Math.min(run.seconds, (t.runs[i] as SklearnRun).seconds),
      })),
      secondsPerIteration: Math.min(s.secondsPerIteration, t.secondsPerIteration),
    };
  }
  return {
    ...a,
    solvers,
    gemm: {
      WtV: Math.min(a.gemm.WtV, b.gemm.WtV),
      VHt: Math.min(a.gemm.VHt, b.gemm.VHt),
      square1000: Math.min(a.gemm.square1000, b.gemm.square1000),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Timing helpers

function bestSeconds(f: () => void, repeats: number): number {
  // Warm up (JIT, caches, worker threads starting) for at least 0.2 s.
  const warm = performance.now();
  do f(); while (performance.now() - warm < 200);
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

/** The TypeScript-only kernel, timed beside the SIMD one to show what WebAssembly adds. */
const SCALAR: Backend = { name: "portable (scalar TS only)", gemmInto: scalarGemmInto };

interface ProductRow {
  dataset: string;
  implementation: string;
  product: string;
  ms: number;
  gflops: number;
}

function timeProducts(
  data: BenchDataset,
  W: Matrix,
  H: Matrix,
  backends: Backend[],
  repeats: number,
): ProductRow[] {
  const rows: ProductRow[] = [];
  const { V, k } = data;
  const m = V.rows, n = V.cols;
  const flops = 2 * m * n * k;
  const WtV = Matrix.zeros(k, n), VHt = Matrix.zeros(m, k);
  const cases: [string, Matrix, Matrix, Matrix, GemmOptions][] = [
    ["WᵀV", WtV, W, V, { transA: true }],
    ["VHᵀ", VHt, V, H, { transB: true }],
  ];
  const time = (label: string, backend: Backend, data: Matrix) => {
    for (const [product, out, A, B, options] of cases) {
      const a = A === V ? data : A, b = B === V ? data : B;
      const s = bestSeconds(() => backend.gemmInto(out, a, b, options), repeats);
      rows.push({
        dataset: dataName,
        implementation: label,
        product,
        ms: 1000 * s,
        gflops: flops / s / 1e9,
      });
    }
  };
  const dataName = data.name;
  for (const backend of [...backends, SCALAR]) {
    if (backend !== portableBackend) {
      time(`nmflab ${backend.name}`, backend, V);
      continue;
    }
    // The portable backend as nmf() uses it (V resident in WebAssembly memory, all threads),
    // then on one thread, then copying V into WebAssembly memory for every product.
    const resident = portableBackend.prepare?.(V) ?? V;
    const threads = portableThreads();
    time(`nmflab portable (V resident, ${threads} threads)`, backend, resident);
    const before = setPortableThreads(1);
    time("nmflab portable (V resident, 1 thread)", backend, resident);
    setPortableThreads(before);
    time(`nmflab portable (V copied per product, ${threads} threads)`, backend, V);
    portableBackend.release?.(resident);
  }
  if (data.csr !== null) {
    const csr = data.csr;
    const sparseFlops = 2 * csr.nnz * k;
    const sWtV = bestSeconds(
      () => csrTransposeMatmulInto(WtV, csr, W, { transOut: true }),
      repeats,
    );
    const sVHt = bestSeconds(() => csrMatmulInto(VHt, csr, H, { transB: true }), repeats);
    rows.push(
      {
        dataset: data.name,
        implementation: "nmflab csr",
        product: "WᵀV",
        ms: 1000 * sWtV,
        gflops: sparseFlops / sWtV / 1e9,
      },
      {
        dataset: data.name,
        implementation: "nmflab csr",
        product: "VHᵀ",
        ms: 1000 * sVHt,
        gflops: sparseFlops / sVHt / 1e9,
      },
    );
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Runs

interface SolverRow {
  dataset: string;
  implementation: string;
  backend: string;
  solver: string;
  iterations: number;
  msPerIteration: number;
  ratioMu: number;
  ratioCd: number;
  gflops: number;
  finalLoss: number;
  /** Points (seconds, loss) of the loss-against-time curve. */
  curve: [number, number][];
  secondsToTarget: number;
  /** Seconds until the loss is within 1e-4 of the best loss scikit-learn reached. */
  secondsToSklearnBest: number;
  note: string;
}

interface NmflabVariant {
  solver: "mu" | "hals" | "anls-bpp";
  label: string;
  extra: Partial<NmfOptions>;
  /** blas only: run with the fused pass off (two separate products per iteration). */
  separate?: boolean;
}

function variants(backend: string): NmflabVariant[] {
  const list: NmflabVariant[] = [{ solver: "mu", label: "mu", extra: {} }];
  if (backend === "blas") {
    list.push({ solver: "mu", label: "mu (separate products)", extra: {}, separate: true });
  }
  if ("hals" in SOLVERS) {
    list.push(
      { solver: "hals", label: "hals", extra: {} },
      { solver: "hals", label: "hals (updateFirst W)", extra: { updateFirst: "W" } },
      { solver: "hals", label: "hals (innerMaxIter 1)", extra: { innerMaxIter: 1 } },
      { solver: "hals", label: "hals (extrapolate)", extra: { extrapolate: true } },
      {
        solver: "hals",
        label: "hals (extrapolate, updateFirst W)",
        extra: { extrapolate: true, updateFirst: "W" },
      },
    );
    if (backend === "blas") {
      list.push({
        solver: "hals",
        label: "hals (innerMaxIter 1, separate products)",
        extra: { innerMaxIter: 1 },
        separate: true,
      });
    }
  }
  if ("anls-bpp" in SOLVERS) {
    list.push(
      { solver: "anls-bpp", label: "anls-bpp", extra: {} },
      { solver: "anls-bpp", label: "anls-bpp (extrapolate)", extra: { extrapolate: true } },
    );
  }
  return list;
}

function runNmflab(
  data: BenchDataset,
  W0: Matrix,
  H0: Matrix,
  backend: "portable" | "blas",
  variant: NmflabVariant,
  flopsPerIteration: number,
): SolverRow {
  const traceEvery = Math.max(1, Math.floor(data.maxIter / 50));
  let input: Matrix | CsrMatrix = data.V;
  let note = "";
  if (data.csr !== null) input = data.csr;
  const options: NmfOptions = {
    rank: data.k,
    solver: variant.solver,
    init: { W: W0, H: H0 },
    maxIter: data.maxIter,
    maxSeconds: data.maxSeconds,
    tol: 0,
    traceEvery,
    backend,
    warn: () => {},
    ...variant.extra,
  };
  let result;
  const fusedBefore = setBlasFusedPass(variant.separate !== true);
  try {
    result = nmf(input as Matrix, options);
    if (input !== data.V) note = "sparse V (CSR)";
    // Short runs are noisy: repeat (best of up to 5) while a run takes at most 1 s, the rule the
    // scikit-learn side applies to its timed end points. The runs are deterministic: only the
    // time differs.
    const solverSeconds = (r: NmfResult) => (r.trace[r.trace.length - 1] as TraceEntry).seconds;
    for (let repeat = 0; repeat < 4 && solverSeconds(result) <= 1; repeat++) {
      const again = nmf(input as Matrix, options);
      if (solverSeconds(again) < solverSeconds(result)) result = again;
    }
  } catch (error) {
    if (input === data.V) throw error;
    note = "dense V (nmf() does not take CSR yet)";
    result = nmf(data.V, options);
  } finally {
    setBlasFusedPass(fusedBefore);
  }
  const trace: TraceEntry[] = result.trace;
  const last = trace[trace.length - 1] as TraceEntry;
  const secondsPerIteration = last.iteration > 0 ? last.seconds / last.iteration : NaN;
  if (result.stopReason === "maxSeconds") {
    note = [note, `stopped by the ${data.maxSeconds} s budget`].filter((s) => s).join("; ");
  }
  return {
    dataset: data.name,
    implementation: "nmflab",
    backend: result.backend,
    solver: variant.label,
    iterations: result.iterations,
    msPerIteration: 1000 * secondsPerIteration,
    ratioMu: NaN,
    ratioCd: NaN,
    gflops: flopsPerIteration / secondsPerIteration / 1e9,
    finalLoss: result.loss,
    curve: trace.map((e) => [e.seconds, e.loss]),
    secondsToTarget: NaN,
    secondsToSklearnBest: NaN,
    note,
  };
}

// ---------------------------------------------------------------------------------------------
// Scaling: per-iteration time against m, n and k

interface ScalingRow {
  backend: string;
  solver: string;
  /** Which size was varied. */
  dimension: "m" | "n" | "k";
  sizes: number[];
  msPerIteration: number[];
  /** Least-squares slope of log(ms/iter) against log(size): 1 means linear. */
  slope: number;
  /** Coefficient of determination of that fit (on log scales). */
  r2: number;
}

/**
 * Per-iteration time against m, n and k around the base problem 2000×1000, k = 20: each sweep
 * varies one of them over five sizes from half to double (steps of √2), the others fixed.
 *
 * Each point is the least time of one iteration (experiments/scaling.ts `secondsPerIteration`:
 * iterations timed one by one, no loss evaluated in between), over 10 iterations in each of
 * 5 rounds. A round goes once through the sizes of a sweep, so a slow spell of this shared
 * machine falls on all of them alike instead of bending the line; everything is run once first so
 * that the JIT has compiled it. The portable backend runs on its default threads (every product
 * here is large enough to be shared).
 */
function scalingStudy(backends: Backend[], quick: boolean): ScalingRow[] {
  const base = quick ? { m: 80, n: 60, k: 4 } : { m: 2000, n: 1000, k: 20 };
  const factors = quick ? [0.5, 1, 2] : [0.5, Math.SQRT1_2, 1, Math.SQRT2, 2];
  const iterations = quick ? 3 : 10, rounds = quick ? 1 : 5;
  const solvers = (["mu", "hals"] as const).filter((s) => s in SOLVERS);
  const label = (solver: string) => solver === "hals" ? "hals (innerMaxIter 1)" : solver;
  const rows: ScalingRow[] = [];
  const time = (V: Matrix, solver: "mu" | "hals", k: number, backend: Backend, seed: number) =>
    1000 * secondsPerIteration(V, {
      solver,
      k,
      backend: backend.name as "portable" | "blas",
      iterations,
      repeats: 1,
      seed,
    }).seconds;
  const warm = synthetic(base.m, base.n, base.k, 3);
  for (const backend of backends) {
    for (const solver of solvers) time(warm, solver, base.k, backend, 0);
  }
  for (const dimension of ["m", "n", "k"] as const) {
    const sizes = factors.map((f) => Math.round(base[dimension] * f));
    const problems = sizes.map((size) => {
      const shape = { ...base, [dimension]: size };
      return { V: synthetic(shape.m, shape.n, shape.k, 3), k: shape.k };
    });
    for (const backend of backends) {
      for (const solver of solvers) {
        const ms = sizes.map(() => Infinity);
        for (let round = 0; round < rounds; round++) {
          problems.forEach(({ V, k }, i) => {
            ms[i] = Math.min(ms[i] as number, time(V, solver, k, backend, 1 + round));
          });
        }
        const fit = fitLogLogSlope(sizes, ms);
        rows.push({
          backend: backend.name,
          solver: label(solver),
          dimension,
          sizes,
          msPerIteration: ms,
          slope: fit.slope,
          r2: fit.r2,
        });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Output

function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return "—";
  return x.toFixed(digits);
}

function fmtLoss(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(8) : "—";
}

function markdown(
  machine: Machine,
  data: BenchDataset[],
  rows: SolverRow[],
  products: ProductRow[],
  scaling: ScalingRow[],
  notes: string[],
  command: string,
): string {
  const lines: string[] = [];
  lines.push(`# nmflab benchmark`, "");
  lines.push(`Command: \`${command}\``, "");
  lines.push(`| machine | |`, `|---|---|`);
  lines.push(`| date | ${machine.date} |`);
  lines.push(`| CPU | ${machine.cpu}, ${machine.cores} logical cores (${machine.cpuDetails}) |`);
  lines.push(
    `| load average (1/5/15 min) before → after | ${machine.loadBefore} → ${machine.loadAfter} |`,
  );
  lines.push(`| Deno / V8 | ${machine.deno} / ${machine.v8} |`);
  lines.push(`| nmflab portable backend | ${machine.simd} |`);
  lines.push(`| nmflab blas backend | ${machine.blas} |`);
  lines.push(
    `| Python / scikit-learn / numpy | ${machine.python} / ${machine.sklearn} / ${machine.numpy} |`,
  );
  lines.push("");
  lines.push("Data sets:", "");
  for (const d of data) {
    lines.push(`- **${d.name}**: ${d.V.rows}×${d.V.cols}, k = ${d.k}; ${d.note}`);
  }
  lines.push("");
  lines.push(
    "ms/iter: solver time per outer iteration (nmflab: the trace's `seconds`, loss evaluation " +
      "excluded; scikit-learn: (T(last) − T(first)) / (iterations between), from runs restarted " +
      "at the same init; on both sides, a run of at most 1 s is repeated, best of up to 5; " +
      "scikit-learn runs twice, before and after nmflab's runs on the same data, and the faster " +
      "of the two is kept; a longer nmflab run also has a second try, after all the first tries " +
      "on that data set, and the faster per iteration is kept). ×MU, ×CD: ratio to " +
      "scikit-learn's MU and CD ms/iter (below 1 is faster). GFLOP/s: 4·m·n·k (dense) or " +
      "4·nnz·k (sparse) flops per iteration over ms/iter. " +
      "to target: seconds until the loss is within 1e-4 (relative) of the best loss any solver " +
      "reached on that data set (— = not reached within the run); to sklearn's best: the same " +
      "for the best loss scikit-learn reached (solvers can end in different local minima, " +
      "so this compares the time to a loss both sides reach). All runs: same initial " +
      "factors (nndsvda from nmflab), Frobenius loss, tol = 0. nmflab's blas mu and hals " +
      "(innerMaxIter 1) read V once per iteration (the fused pass, `linalg/fused_pass.ts`); the " +
      'rows marked "separate products" run the same solvers with it off.',
    "",
  );
  lines.push(
    "| data | implementation | backend | solver | iterations | ms/iter | ×MU | ×CD | GFLOP/s | final loss | to target (s) | to sklearn's best (s) | note |",
    "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  );
  for (const r of rows) {
    lines.push(
      `| ${r.dataset} | ${r.implementation} | ${r.backend} | ${r.solver} | ${r.iterations} | ${
        fmt(r.msPerIteration)
      } | ${fmt(r.ratioMu)} | ${fmt(r.ratioCd)} | ${fmt(r.gflops)} | ${fmtLoss(r.finalLoss)} | ${
        fmt(r.secondsToTarget, 3)
      } | ${fmt(r.secondsToSklearnBest, 3)} | ${r.note} |`,
    );
  }
  lines.push("");
  lines.push(
    "Time to scikit-learn's best loss (within 1e-4), fastest solver on each side:",
    "",
    "| data | nmflab (backend, solver) | s | scikit-learn (solver) | s | ratio |",
    "|---|---|---:|---|---:|---:|",
  );
  for (const d of data) {
    const fastest = (implementation: string) => {
      let bestRow: SolverRow | undefined;
      for (const r of rows) {
        if (r.dataset !== d.name || r.implementation !== implementation) continue;
        if (!Number.isFinite(r.secondsToSklearnBest)) continue;
        if (bestRow === undefined || r.secondsToSklearnBest < bestRow.secondsToSklearnBest) {
          bestRow = r;
        }
      }
      return bestRow;
    };
    const ours = fastest("nmflab"), theirs = fastest("scikit-learn");
    const label = (r: SolverRow | undefined, withBackend: boolean) =>
      r === undefined
        ? "not reached"
        : withBackend
        ? `${r.backend}, ${r.solver}${r.note.includes("dense V") ? ", dense V" : ""}`
        : r.solver;
    lines.push(
      `| ${d.name} | ${label(ours, true)} | ${fmt(ours?.secondsToSklearnBest ?? NaN, 3)} | ${
        label(theirs, false)
      } | ${fmt(theirs?.secondsToSklearnBest ?? NaN, 3)} | ${
        fmt((ours?.secondsToSklearnBest ?? NaN) / (theirs?.secondsToSklearnBest ?? NaN))
      } |`,
    );
  }
  lines.push("");
  lines.push("The dominant products alone (best of 5; 2·m·n·k flops each, 2·nnz·k for CSR):", "");
  lines.push("| data | implementation | product | ms | GFLOP/s |", "|---|---|---|---:|---:|");
  for (const p of products) {
    lines.push(
      `| ${p.dataset} | ${p.implementation} | ${p.product} | ${fmt(p.ms, 3)} | ${fmt(p.gflops)} |`,
    );
  }
  if (scaling.length > 0) {
    lines.push(
      "",
      "Scaling: ms per iteration as one of m, n, k goes from half to double the middle size in " +
        "steps of √2, the others fixed (the least time of one iteration over 5 rounds of 10, the " +
        "rounds going round the sizes); slope of log(ms/iter) against log(size) (1 = linear) and " +
        "the fit's R².",
      "",
      "| backend | solver | varied | sizes | ms/iter | slope | R² |",
      "|---|---|---|---|---|---:|---:|",
    );
    for (const r of scaling) {
      lines.push(
        `| ${r.backend} | ${r.solver} | ${r.dimension} | ${r.sizes.join(", ")} | ${
          r.msPerIteration.map((x) => fmt(x)).join(", ")
        } | ${fmt(r.slope)} | ${fmt(r.r2, 3)} |`,
      );
    }
  }
  if (notes.length > 0) {
    lines.push("", "Notes:", "");
    for (const n of notes) lines.push(`- ${n}`);
  }
  lines.push("");
  return lines.join("\n");
}

function csvCell(value: string | number): string {
  const s = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csv(machine: Machine, rows: SolverRow[], products: ProductRow[]): string {
  const header = [
    "kind",
    "dataset",
    "implementation",
    "backend",
    "solver_or_product",
    "iterations",
    "ms",
    "ratio_sklearn_mu",
    "ratio_sklearn_cd",
    "gflops",
    "final_loss",
    "seconds_to_target",
    "seconds_to_sklearn_best",
    "note",
    "cpu",
    "cores",
    "deno",
    "python",
    "sklearn",
    "numpy",
    "blas",
    "date",
  ];
  const tail = [
    machine.cpu,
    machine.cores,
    machine.deno,
    machine.python,
    machine.sklearn,
    machine.numpy,
    machine.blas,
    machine.date,
  ];
  const lines = [header.join(",")];
  for (const r of rows) {
    lines.push(
      [
        "solver",
        r.dataset,
        r.implementation,
        r.backend,
        r.solver,
        r.iterations,
        r.msPerIteration,
        r.ratioMu,
        r.ratioCd,
        r.gflops,
        r.finalLoss,
        r.secondsToTarget,
        r.secondsToSklearnBest,
        r.note,
        ...tail,
      ].map(csvCell).join(","),
    );
  }
  for (const p of products) {
    lines.push(
      [
        "product",
        p.dataset,
        p.implementation,
        "",
        p.product,
        "",
        p.ms,
        "",
        "",
        p.gflops,
        "",
        "",
        "",
        "",
        ...tail,
      ].map(csvCell).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const args = parseArgs(Deno.args);
  const command = `deno task bench${Deno.args.length > 0 ? " " + Deno.args.join(" ") : ""}`;
  const blas = loadBlas();
  const backends: Backend[] = [portableBackend];
  const notes: string[] = [];
  if (typeof blas === "string") notes.push(`blas backend not measured: ${blas}`);
  else backends.push(blas);
  const python = args.sklearn ? findSklearnPython() : null;
  if (python === null) {
    notes.push(
      args.sklearn
        ? "scikit-learn columns skipped: no python3 with sklearn, scipy and numpy (apt-get install python3-sklearn)"
        : "scikit-learn columns skipped (--no-sklearn)",
    );
  } else {
    notes.push(
      "scikit-learn ran in a subprocess with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from " +
        "its environment (they can force a slow numpy kernel), and OPENBLAS_THREAD_TIMEOUT too " +
        "where nmflab set it; its own time includes fit_transform's input checks and final " +
        "loss evaluation in the to-target column.",
    );
  }
  const machine: Machine = {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cpuDetails: cpuDetails(),
    cores: navigator.hardwareConcurrency,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    blas: typeof blas === "string"
      ? `unavailable (${blas})`
      : `${blas.library} (${openblasCore(blas.library)} kernels), ${blas.threads} threads, ` +
        "OPENBLAS_THREAD_TIMEOUT " +
        (blas.threadTimeout ?? "unread (OpenBLAS's default)") +
        (THREAD_TIMEOUT_UNSET && blas.threadTimeout !== null ? " (set by nmflab)" : ""),
    simd: simdAvailable()
      ? `WebAssembly SIMD (f64x2) for products of ≥ 2048 multiply-adds on ${portableThreads()} ` +
        `thread(s) (the caller + workers), V resident in WebAssembly memory during a fit; ` +
        `scalar TypeScript below`
      : "scalar TypeScript only (no WebAssembly SIMD in this engine)",
    loadBefore: loadAverage(),
    loadAfter: "",
    python: "—",
    sklearn: "—",
    numpy: "—",
  };
  const { list, notes: dataNotes } = await datasets(args);
  notes.push(...dataNotes);
  const rows: SolverRow[] = [];
  const products: ProductRow[] = [];
  const repeats = args.quick ? 2 : 5;
  for (const data of list) {
    console.error(`bench: ${data.name} (${data.V.rows}×${data.V.cols}, k=${data.k})`);
    const { W: W0, H: H0 } = initialize(data.V, data.k, { method: "nndsvda", seed: 0 });
    const flops = 4 * (data.csr === null ? data.V.rows * data.V.cols : data.csr.nnz) * data.k;
    const dataRows: SolverRow[] = [];
    // scikit-learn runs before and after nmflab's runs, and the faster of the two is kept: a slow
    // spell of the machine during one of them then does not flatter nmflab's ratios.
    const measured: { sk: SklearnAnswer | null } = { sk: null };
    const sklearnWindow = async () => {
      if (python === null) return;
      try {
        const answer = await runSklearn(python, data, W0, H0);
        machine.python = answer.python;
        machine.sklearn = answer.sklearn;
        machine.numpy = answer.numpy;
        measured.sk = measured.sk === null ? answer : fasterSklearn(measured.sk, answer);
      } catch (error) {
        notes.push(`${data.name}: scikit-learn failed: ${(error as Error).message.slice(0, 300)}`);
      }
    };
    await sklearnWindow();
    // A sparse data set runs twice: as CSR (O(nnz·k) products) and as the dense matrix, since
    // which is faster depends on the density.
    const forms = data.csr === null ? [data] : [data, { ...data, csr: null }];
    const runs: { run: () => SolverRow; row: SolverRow }[] = [];
    for (const form of forms) {
      const formFlops = 4 * (form.csr === null ? form.V.rows * form.V.cols : form.csr.nnz) * form.k;
      for (const backend of backends) {
        for (const variant of variants(backend.name)) {
          const run = () => {
            console.error(`bench:   nmflab ${backend.name} ${variant.label}`);
            const row = runNmflab(
              form,
              W0,
              H0,
              backend.name as "portable" | "blas",
              variant,
              formFlops,
            );
            if (data.csr !== null && form.csr === null) {
              row.note = [row.note, "dense V"].filter((x) => x).join("; ");
            }
            return row;
          };
          runs.push({ run, row: run() });
        }
      }
    }
    // A run of more than 1 s had one try so far (shorter ones had up to 5, in runNmflab):
    // scikit-learn has two, its windows before and after, so each long run gets a second try
    // now, a round after its first, and the faster per iteration is kept.
    if (!args.quick) {
      for (const entry of runs) {
        if (entry.row.msPerIteration * entry.row.iterations <= 1000) continue;
        const again = entry.run();
        if (again.msPerIteration < entry.row.msPerIteration) entry.row = again;
      }
    }
    dataRows.push(...runs.map((entry) => entry.row));
    await sklearnWindow();
    const sk = measured.sk;
    if (sk !== null) {
      for (const solver of ["mu", "cd"]) {
        const s = sk.solvers[solver];
        if (s === undefined) continue;
        const lastRun = s.runs[s.runs.length - 1] as SklearnRun;
        dataRows.push({
          dataset: data.name,
          implementation: "scikit-learn",
          backend: "numpy",
          solver,
          iterations: lastRun.iterations,
          msPerIteration: 1000 * s.secondsPerIteration,
          ratioMu: NaN,
          ratioCd: NaN,
          gflops: flops / s.secondsPerIteration / 1e9,
          finalLoss: lastRun.loss,
          curve: s.runs.map((r) => [r.seconds, r.loss]),
          secondsToTarget: NaN,
          secondsToSklearnBest: NaN,
          note: data.csr !== null ? "sparse V (scipy CSR)" : "",
        });
      }
      const m = data.V.rows, n = data.V.cols, f = 2 * m * n * data.k;
      products.push(
        {
          dataset: data.name,
          implementation: "numpy",
          product: "WᵀV",
          ms: 1000 * sk.gemm.WtV,
          gflops: f / sk.gemm.WtV / 1e9,
        },
        {
          dataset: data.name,
          implementation: "numpy",
          product: "VHᵀ",
          ms: 1000 * sk.gemm.VHt,
          gflops: f / sk.gemm.VHt / 1e9,
        },
      );
      if (!products.some((p) => p.dataset === "—" && p.implementation === "numpy")) {
        products.push({
          dataset: "—",
          implementation: "numpy",
          product: "square 1000 dgemm",
          ms: 1000 * sk.gemm.square1000,
          gflops: 2e9 / sk.gemm.square1000 / 1e9,
        });
      }
    }
    const skMu = dataRows.find((r) => r.implementation === "scikit-learn" && r.solver === "mu");
    const skCd = dataRows.find((r) => r.implementation === "scikit-learn" && r.solver === "cd");
    let best = Infinity;
    for (const r of dataRows) for (const [, loss] of r.curve) best = Math.min(best, loss);
    const target = best * (1 + 1e-4);
    let skBest = Infinity;
    for (const r of dataRows) {
      if (r.implementation === "scikit-learn") {
        for (const [, loss] of r.curve) skBest = Math.min(skBest, loss);
      }
    }
    const skTarget = skBest * (1 + 1e-4);
    for (const r of dataRows) {
      const skHit = r.curve.find(([, loss]) => loss <= skTarget);
      r.secondsToSklearnBest = skHit === undefined ? NaN : skHit[0];
      r.ratioMu = skMu === undefined ? NaN : r.msPerIteration / skMu.msPerIteration;
      r.ratioCd = skCd === undefined ? NaN : r.msPerIteration / skCd.msPerIteration;
      const hit = r.curve.find(([, loss]) => loss <= target);
      r.secondsToTarget = hit === undefined ? NaN : hit[0];
    }
    rows.push(...dataRows);
    products.push(...timeProducts(data, W0, H0, backends, repeats));
  }
  // The machine's reference: a square dgemm on each backend.
  const size = args.quick ? 200 : 1000;
  const rng = createRng(7);
  const A = Matrix.generate(size, size, () => rng.uniform());
  const C = Matrix.zeros(size, size);
  for (const backend of [...backends, SCALAR]) {
    const s = bestSeconds(() => backend.gemmInto(C, A, A), args.quick ? 2 : 3);
    products.push({
      dataset: "—",
      implementation: `nmflab ${backend.name}`,
      product: `square ${size} dgemm`,
      ms: 1000 * s,
      gflops: (2 * size ** 3) / s / 1e9,
    });
  }
  console.error("bench: scaling in m, n, k");
  const scaling = args.only === null || args.only.includes("scaling")
    ? scalingStudy(backends, args.quick)
    : [];
  machine.loadAfter = loadAverage();
  const md = markdown(machine, list, rows, products, scaling, notes, command);
  Deno.mkdirSync(args.out, { recursive: true });
  const stem = args.quick ? "bench-quick" : "bench";
  const out = args.out.endsWith("/") ? args.out : args.out + "/";
  Deno.writeTextFileSync(`${out}${stem}.md`, md);
  Deno.writeTextFileSync(`${out}${stem}.csv`, csv(machine, rows, products));
  console.log(md);
  console.error(`bench: wrote ${out}${stem}.md and ${out}${stem}.csv`);
}

if (import.meta.main) await main();
