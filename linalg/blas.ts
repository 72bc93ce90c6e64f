/**
 * The `blas` backend: the system OpenBLAS (or any CBLAS) called through Deno's foreign function
 * interface. `cblas_dgemm` receives the `Float64Array` buffers of the matrices directly, with no
 * copy, so the product runs at the speed of the library (multi-threaded, SIMD).
 *
 * This is the one Deno-only piece of the core. Importing this module touches nothing: it only
 * registers a loader with {@linkcode registerBlasLoader}. The library is opened the first time a
 * caller asks for the `blas` (or `auto`) backend, and only when FFI permission is already granted
 * (`deno run --allow-ffi`); it never prompts. Anywhere it cannot load (a browser, no permission,
 * no library) the loader returns a one-line reason and `resolveBackend` falls back to `portable`.
 *
 * Getting the library on Debian/Ubuntu: `apt-get install libopenblas0` (the `pthread` flavour is
 * the default); on macOS: `brew install openblas`.
 *
 * @module
 */

import { accumulateInto } from "./accumulate.ts";
import { registerBlasLoader } from "./backend.ts";
import { type FusedPassLibrary, openFusedPass } from "./fused_pass.ts";
import { type Backend, gemmDimensions, type GemmOptions } from "./kernels.ts";
import { parkWorkers } from "./wasm_threads.ts";
import type { Matrix } from "./matrix.ts";

/** Library names and paths tried in order by {@linkcode loadBlas}. */
export const BLAS_LIBRARY_CANDIDATES: readonly string[] = [
  "libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "libopenblas.so",
  "libcblas.so.3",
  "libblas.so.3",
  "libopenblas.dylib",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

const DGEMM_SYMBOLS = {
  cblas_dgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f64", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f64", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
} as const;

/** The same dgemm taking raw pointers (for the fused pass, which offsets into its buffers). */
const DGEMM_POINTER_SYMBOLS = {
  cblas_dgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f64",
      "pointer",
      "i32",
      "pointer",
      "i32",
      "f64",
      "pointer",
      "i32",
    ],
    result: "void",
  },
} as const;

const THREAD_SYMBOLS = {
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
} as const;

/**
 * Copies the fused pass makes with the library where it has them (null where not): daxpy (CBLAS)
 * for the sum of its chunks' WᵀV, domatcopy (an OpenBLAS extension) for W ↔ Wᵀ and Hᵀ.
 */
const COPY_SYMBOLS = {
  cblas_daxpy: {
    parameters: ["i32", "f64", "pointer", "i32", "pointer", "i32"],
    result: "void",
    optional: true,
  },
  cblas_domatcopy: {
    parameters: ["i32", "i32", "i32", "i32", "f64", "pointer", "i32", "pointer", "i32"],
    result: "void",
    optional: true,
  },
} as const;

/** Options of {@linkcode loadBlas}. */
export interface LoadBlasOptions {
  /** Library names or paths to try, in order. @default BLAS_LIBRARY_CANDIDATES */
  candidates?: readonly string[];
  /**
   * Threads OpenBLAS may use. When unset, `OPENBLAS_NUM_THREADS` is respected if it is set and
   * readable without a prompt; otherwise the number of logical cores (`navigator.hardwareConcurrency`).
   * @default undefined
   */
  threads?: number;
}

/**
 * How long OpenBLAS's idle threads spin before they sleep, in OpenBLAS's `OPENBLAS_THREAD_TIMEOUT`
 * units: 2^20 cycles, about 0.4 ms at 2.6 GHz. {@linkcode loadBlas} sets the variable to this
 * before it opens the library, unless it is set already (a value of yours is kept) or cannot be
 * set without a prompt (no `--allow-env`: OpenBLAS's default then applies).
 *
 * Why: with OpenBLAS's default, 2^28 cycles (about 0.1 s), its worker threads keep spinning after
 * each product, through whatever runs before the next one. In HALS that is the sweeps, which run on
 * the portable backend's worker threads and then share a core with a spinning thread. Measured on
 * 2 cores (AMD EPYC), blas backend, fits alternating between processes with 28 and with 20, as the
 * median ratio (20 over 28) of neighbouring runs: 5000×2000, k = 50, HALS 0.88 and 0.80 (two
 * batches of 4 pairs), MU 0.96 and 0.97, HALS with one sweep 0.95 and 1.01; 2000×1000, k = 20
 * (8 pairs), MU 0.98, HALS 0.98, one sweep 1.01; digits (6 runs each), medians within the noise.
 */
export const OPENBLAS_THREAD_TIMEOUT = 20;

/** A loaded BLAS backend, with the library it came from. */
export interface BlasBackend extends Backend {
  /** The library name or path that was opened. */
  readonly library: string;
  /** Threads requested from OpenBLAS (null when the library has no thread control). */
  readonly threads: number | null;
  /**
   * `OPENBLAS_THREAD_TIMEOUT` as the library saw it when it was opened: the value in the
   * environment (from you or {@linkcode OPENBLAS_THREAD_TIMEOUT}), or null where the environment
   * could not be read (OpenBLAS's default applies).
   */
  readonly threadTimeout: string | null;
  /** What its fused passes run on (for {@linkcode openFusedPass} called directly). */
  readonly fusedLibrary: FusedPassLibrary;
}

type DenoLike = {
  dlopen?: unknown;
  permissions?: {
    querySync?: (descriptor: { name: string; variable?: string }) => { state: string };
  };
  env?: { get(name: string): string | undefined; set?(name: string, value: string): void };
};

function denoGlobal(): DenoLike | undefined {
  const g = globalThis as unknown as { Deno?: DenoLike };
  return g.Deno;
}

function configuredThreads(deno: DenoLike): number {
  try {
    const state = deno.permissions?.querySync?.({ name: "env", variable: "OPENBLAS_NUM_THREADS" });
    if (state?.state === "granted") {
      const value = Number(deno.env?.get("OPENBLAS_NUM_THREADS"));
      if (Number.isInteger(value) && value > 0) return value;
    }
  } catch { /* no env access: use the core count */ }
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined;
  return typeof cores === "number" && cores > 0 ? cores : 1;
}

/**
 * Set `OPENBLAS_THREAD_TIMEOUT` to {@linkcode OPENBLAS_THREAD_TIMEOUT} where it is unset and env
 * access is granted; return the value in the environment afterwards (null: not readable). OpenBLAS
 * reads it once, when the library is first opened in the process.
 */
function threadTimeoutFor(deno: DenoLike): string | null {
  const name = "OPENBLAS_THREAD_TIMEOUT";
  try {
    const state = deno.permissions?.querySync?.({ name: "env", variable: name });
    if (state?.state !== "granted" || deno.env === undefined) return null;
    const current = deno.env.get(name);
    if (current !== undefined) return current;
    deno.env.set?.(name, String(OPENBLAS_THREAD_TIMEOUT));
    return deno.env.get(name) ?? null;
  } catch {
    return null; // no env access: OpenBLAS's default
  }
}

/**
 * Open a CBLAS library and wrap its `cblas_dgemm` as a {@linkcode Backend}. Returns a one-line
 * reason (a string) instead of throwing when it cannot: not running in Deno, FFI permission not
 * granted, or no candidate library found.
 *
 * @example
 * ```ts
 * import { loadBlas, Matrix } from "../mod.ts";
 * const blas = loadBlas();
 * if (typeof blas === "string") console.log("portable only:", blas);
 * else {
 *   const out = Matrix.zeros(2, 2);
 *   blas.gemmInto(out, Matrix.identity(2), Matrix.fromRows([[1, 2], [3, 4]]));
 *   console.log(blas.library, out.toRows());
 * }
 * ```
 */
export function loadBlas(options: LoadBlasOptions = {}): BlasBackend | string {
  const deno = denoGlobal();
  if (deno === undefined || typeof deno.dlopen !== "function") {
    return "not running in Deno (no FFI)";
  }
  try {
    const state = deno.permissions?.querySync?.({ name: "ffi" });
    if (state?.state !== "granted") return "FFI permission not granted (run with --allow-ffi)";
  } catch (error) {
    return `cannot query FFI permission: ${(error as Error).message}`;
  }
  const candidates = options.candidates ?? BLAS_LIBRARY_CANDIDATES;
  const threadTimeout = threadTimeoutFor(deno);
  for (const library of candidates) {
    let lib: Deno.DynamicLibrary<typeof DGEMM_SYMBOLS>;
    try {
      lib = Deno.dlopen(library, DGEMM_SYMBOLS);
    } catch {
      continue;
    }
    let threads: number | null = null;
    let setThreads: ((count: number) => void) | null = null;
    try {
      const control = Deno.dlopen(library, THREAD_SYMBOLS);
      threads = options.threads ?? configuredThreads(deno);
      setThreads = (count) => control.symbols.openblas_set_num_threads(count);
      setThreads(threads);
    } catch {
      threads = null; // not OpenBLAS (e.g. reference CBLAS): single-threaded, nothing to set
    }
    const pointers = Deno.dlopen(library, DGEMM_POINTER_SYMBOLS);
    const copies = Deno.dlopen(library, COPY_SYMBOLS).symbols;
    const fused: FusedPassLibrary = {
      library,
      dgemm: pointers.symbols.cblas_dgemm,
      daxpy: copies.cblas_daxpy,
      omatcopy: copies.cblas_domatcopy,
      threads: threads ?? 1,
      setThreads,
    };
    return makeBackend(lib.symbols.cblas_dgemm, library, threads, threadTimeout, fused);
  }
  return `no CBLAS library found (tried ${candidates.join(", ")}); install libopenblas0`;
}

type Dgemm = Deno.DynamicLibrary<typeof DGEMM_SYMBOLS>["symbols"]["cblas_dgemm"];

const INT32_MAX = 2147483647;

/**
 * Whether `out ← A·Bᵀ` (m×n) is better computed as its transpose B·Aᵀ (n×m) and transposed back:
 * for a tall, thin out such as VHᵀ (m×k, k ≪ m), OpenBLAS runs B·Aᵀ 20–30% faster here
 * (measured: V 2000×1000, k = 20: 1.99 ms against 2.42 ms; 5000×2000, k = 50: 13.3 against
 * 18.7 ms), and transposing the m×n result costs O(mn) against the product's O(mnk).
 */
function transposedIsFaster(m: number, n: number, k: number): boolean {
  return n <= 64 && m >= 4 * n && k >= 16;
}

let fusedEnabled = true;

/**
 * Turn the blas backend's fused pass (`linalg/fused_pass.ts`: MU and one-sweep HALS read V once
 * per iteration, on every core) on or off; returns the previous setting. On by default; off, the
 * solvers use two separate products per iteration, as other backends do. For comparisons.
 *
 * @example
 * ```ts
 * import { setBlasFusedPass } from "../mod.ts";
 * const before = setBlasFusedPass(false);
 * setBlasFusedPass(before);
 * ```
 */
export function setBlasFusedPass(enabled: boolean): boolean {
  if (typeof enabled !== "boolean") {
    throw new TypeError(`setBlasFusedPass: enabled must be a boolean, got ${String(enabled)}`);
  }
  const previous = fusedEnabled;
  fusedEnabled = enabled;
  return previous;
}

function makeBackend(
  dgemm: Dgemm,
  library: string,
  threads: number | null,
  threadTimeout: string | null,
  fused: FusedPassLibrary,
): BlasBackend & { readonly fusedLibrary: FusedPassLibrary } {
  let scratch = new Float64Array(0);
  function gemmInto(out: Matrix, A: Matrix, B: Matrix, options: GemmOptions = {}): Matrix {
    const { m, n, k } = gemmDimensions(out, A, B, options);
    const transA = options.transA ?? false;
    const transB = options.transB ?? false;
    const alpha = options.alpha ?? 1;
    const beta = options.beta ?? 0;
    if (m === 0 || n === 0) return out;
    if (k === 0) {
      const o = out.data;
      if (beta === 0) o.fill(0);
      else if (beta !== 1) { for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) * beta; }
      return out;
    }
    parkWorkers(); // OpenBLAS's threads need the cores that spinning portable workers would hold
    if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
      throw new RangeError(`gemmInto (blas): sizes ${m}, ${n}, ${k} exceed 32-bit BLAS indices`);
    }
    if (!transA && transB && transposedIsFaster(m, n, k)) {
      // t (n×m) ← B·Aᵀ, then out ← alpha·tᵀ + beta·out
      if (scratch.length < m * n) scratch = new Float64Array(m * n);
      dgemm(
        CBLAS_ROW_MAJOR,
        CBLAS_NO_TRANS,
        CBLAS_TRANS,
        n,
        m,
        k,
        alpha,
        B.data,
        Math.max(1, B.cols),
        A.data,
        Math.max(1, A.cols),
        0,
        scratch,
        m,
      );
      accumulateInto(out.data, scratch, 0, m, n, m, 1, beta, true);
      return out;
    }
    dgemm(
      CBLAS_ROW_MAJOR,
      transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
      transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
      m,
      n,
      k,
      alpha,
      A.data,
      Math.max(1, A.cols),
      B.data,
      Math.max(1, B.cols),
      beta,
      out.data,
      Math.max(1, n),
    );
    return out;
  }
  return {
    name: "blas",
    library,
    threads,
    threadTimeout,
    fusedLibrary: fused,
    gemmInto,
    openFusedPass: (V, k, update) =>
      fusedEnabled ? openFusedPass(V, { k, update, library: fused }) : null,
  };
}

registerBlasLoader({ load: () => loadBlas() });
