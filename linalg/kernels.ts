/**
 * Matrix-product kernels and the backend interface every solver calls for its heavy products
 * (WᵀV, VHᵀ, the Gram matrices WᵀW and HHᵀ, and WH when a loss needs it).
 *
 * Kernels that write into a buffer end in `Into` and take the output first. They never
 * allocate in their loops.
 *
 * @module
 */

import type { Matrix } from "./matrix.ts";
import { simdGemm } from "./gemm_simd.ts";
import { releaseResident, residentCopy } from "./wasm_heap.ts";
import { startWorkers } from "./wasm_threads.ts";

export { simdAvailable } from "./gemm_simd.ts";

/** Options of {@linkcode gemmInto}: `out ← alpha · op(A) · op(B) + beta · out`. */
export interface GemmOptions {
  /** Use Aᵀ instead of A. @default false */
  transA?: boolean;
  /** Use Bᵀ instead of B. @default false */
  transB?: boolean;
  /** Scale of the product. @default 1 */
  alpha?: number;
  /** Scale of the previous content of `out` (0 overwrites it, even NaN). @default 0 */
  beta?: number;
}

/** A provider of the dense products. `portable` is pure TypeScript; `blas` calls OpenBLAS. */
export interface Backend {
  /** Which backend this is, as reported in results and traces. */
  readonly name: string;
  /** `out ← alpha · op(A) · op(B) + beta · out`; returns `out`. */
  gemmInto(out: Matrix, A: Matrix, B: Matrix, options?: GemmOptions): Matrix;
  /**
   * A matrix equal to `V` that this backend multiplies fastest, for a matrix used in many products
   * (the data of a fit): the portable backend returns a copy resident in WebAssembly memory, which
   * its products read without copying. Hand it back to {@linkcode Backend.release} when done.
   * Backends without such a notion omit it.
   */
  prepare?(V: Matrix): Matrix;
  /** Free what {@linkcode Backend.prepare} made (nothing when it returned `V` itself). */
  release?(V: Matrix): void;
  /**
   * A pass that reads a dense V once per iteration for the W update `update` and the next WᵀV
   * (the blas backend: `linalg/fused_pass.ts`), or null where that does not pay (small V).
   * Backends without one omit it, and solvers then use separate products.
   */
  openFusedPass?(V: Matrix, k: number, update: FusedUpdate): FusedPass | null;
}

/** The row-local W updates a {@linkcode FusedPass} can apply: MU (β = 2) or one HALS sweep. */
export type FusedUpdate = "mu" | "cd";

/** The penalties of a multiplicative sweep (the fields of `losses.ts`'s Penalties it uses). */
export interface MuPenalties {
  l1W: number;
  l2W: number;
  l1H: number;
  l2H: number;
}

/**
 * One pass over the rows of V (m×n) per iteration: for each block of rows, P_b = V_b·Hᵀ, then
 * the row update of W_b from P_b, then WᵀV accumulated from the new W_b. The pass keeps its own
 * copy of W between calls.
 */
export interface FusedPass {
  /** Threads the pass runs on (the caller included). */
  readonly threads: number;
  /** Whether W equals the pass's copy (false before `start`, or when W changed elsewhere). */
  matches(W: Matrix): boolean;
  /** Copy W (m×k) in and set Q (k×n) ← WᵀV. */
  start(W: Matrix, Q: Matrix): void;
  /**
   * Update W row by row with P = VHᵀ and G (k×k), then set Q ← WᵀV for the new W. For `"mu"`,
   * G = HHᵀ and W ← W ⊙ P / (WG + l1 + l2·W); for `"cd"`, G = HHᵀ + l2·I and one projected
   * Gauss–Seidel sweep over each row with right-hand side P − l1 (as `solvers/hals.ts`).
   */
  run(W: Matrix, H: Matrix, G: Matrix, Q: Matrix, penalties: { l1: number; l2: number }): void;
  /**
   * One whole multiplicative sweep (β = 2) for a pass opened for `"mu"`: H ← H ⊙ WᵀV / (WᵀW·H +
   * l1H + l2H·H), then W as in `run` with G = HHᵀ of the new H, every product and update split
   * over the pass's threads (H by chunks of its columns). Uses the WᵀV and WᵀW the pass's last
   * job left for its copy of W (`start` first), and writes the new W and H. Throws for `"cd"`.
   */
  stepMu(W: Matrix, H: Matrix, penalties: MuPenalties): void;
  /** Release the pass (its workers close themselves when idle). */
  close(): void;
}

/**
 * Products with at least this many multiply-adds (m·n·k) go to the WebAssembly SIMD kernels when
 * the engine supports them; smaller ones stay in TypeScript, where copying would not pay.
 */
export const SIMD_MIN_WORK = 2048;

/** Inner-dimension block: a kc×4 micro-panel of each operand stays in L1. */
const KC = 256;
/** Rows of A per block (the packed A block, MC×KC, stays in L2). */
const MC = 128;
/** Columns of B per block (the packed B block, KC×NC). */
const NC = 512;

const packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);
/** Zero-padded copies of a fringe micro-panel (fewer than 4 rows or columns). */
const fringeA = new Float64Array(4 * KC);
const fringeB = new Float64Array(4 * KC);
const tile = new Float64Array(16);

/**
 * The 4×4 micro-kernel: C[0..4, 0..4] += alpha · Σ_p a(r, p) b(p, c) over `kb` steps, where
 * a(r, p) = a[pa + p·sa + r] and b(p, c) = b[pb + p·sb + c]. Writes the `mr`×`nr` top-left corner
 * into out at `po` (row stride `ldo`).
 */
function micro4x4(
  a: Float64Array,
  pa: number,
  sa: number,
  b: Float64Array,
  pb: number,
  sb: number,
  kb: number,
  o: Float64Array,
  po: number,
  ldo: number,
  mr: number,
  nr: number,
  alpha: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kb; p++) {
    const b0 = b[pb] as number, b1 = b[pb + 1] as number;
    const b2 = b[pb + 2] as number, b3 = b[pb + 3] as number;
    let x = a[pa] as number;
    c00 += x * b0;
    c01 += x * b1;
    c02 += x * b2;
    c03 += x * b3;
    x = a[pa + 1] as number;
    c10 += x * b0;
    c11 += x * b1;
    c12 += x * b2;
    c13 += x * b3;
    x = a[pa + 2] as number;
    c20 += x * b0;
    c21 += x * b1;
    c22 += x * b2;
    c23 += x * b3;
    x = a[pa + 3] as number;
    c30 += x * b0;
    c31 += x * b1;
    c32 += x * b2;
    c33 += x * b3;
    pa += sa;
    pb += sb;
  }
  if (mr === 4 && nr === 4) {
    let q = po;
    o[q] = (o[q] as number) + alpha * c00;
    o[q + 1] = (o[q + 1] as number) + alpha * c01;
    o[q + 2] = (o[q + 2] as number) + alpha * c02;
    o[q + 3] = (o[q + 3] as number) + alpha * c03;
    q += ldo;
    o[q] = (o[q] as number) + alpha * c10;
    o[q + 1] = (o[q + 1] as number) + alpha * c11;
    o[q + 2] = (o[q + 2] as number) + alpha * c12;
    o[q + 3] = (o[q + 3] as number) + alpha * c13;
    q += ldo;
    o[q] = (o[q] as number) + alpha * c20;
    o[q + 1] = (o[q + 1] as number) + alpha * c21;
    o[q + 2] = (o[q + 2] as number) + alpha * c22;
    o[q + 3] = (o[q + 3] as number) + alpha * c23;
    q += ldo;
    o[q] = (o[q] as number) + alpha * c30;
    o[q + 1] = (o[q + 1] as number) + alpha * c31;
    o[q + 2] = (o[q + 2] as number) + alpha * c32;
    o[q + 3] = (o[q + 3] as number) + alpha * c33;
    return;
  }
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c03;
  tile[4] = c10;
  tile[5] = c11;
  tile[6] = c12;
  tile[7] = c13;
  tile[8] = c20;
  tile[9] = c21;
  tile[10] = c22;
  tile[11] = c23;
  tile[12] = c30;
  tile[13] = c31;
  tile[14] = c32;
  tile[15] = c33;
  for (let r = 0; r < mr; r++) {
    const q = po + r * ldo;
    for (let c = 0; c < nr; c++) {
      o[q + c] = (o[q + c] as number) + alpha * (tile[r * 4 + c] as number);
    }
  }
}

/**
 * Blocked product `o += alpha · op(A) · op(B)` for row-major buffers; `op(A)` is m×k, `op(B)` k×n.
 * Operands whose 4-wide micro-panels are already contiguous rows (Aᵀ stored k×m, B stored k×n)
 * are read in place; the others are packed block by block into module-level buffers.
 */
function blockedGemm(
  o: Float64Array,
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nb = Math.min(NC, n - jc);
    const nPanels = (nb + 3) >> 2;
    for (let pc = 0; pc < k; pc += KC) {
      const kb = Math.min(KC, k - pc);
      if (transB) {
        // op(B)(p, j) = b[j·k + p]: gather 4 columns per panel, zero-padded.
        if (packB.length < kb * 4 * nPanels) packB = new Float64Array(kb * 4 * nPanels);
        for (let q = 0; q < nPanels; q++) {
          const base = q * 4 * kb;
          for (let c = 0; c < 4; c++) {
            const j = jc + 4 * q + c;
            if (j < n) {
              let src = j * k + pc;
              for (let p = 0; p < kb; p++) packB[base + p * 4 + c] = b[src++] as number;
            } else {
              for (let p = 0; p < kb; p++) packB[base + p * 4 + c] = 0;
            }
          }
        }
      } else if ((nb & 3) !== 0) {
        // The last panel of this block is narrower than 4: copy it, zero-padded.
        const j0 = jc + 4 * (nPanels - 1), w = n - j0;
        for (let p = 0; p < kb; p++) {
          const src = (pc + p) * n + j0;
          for (let c = 0; c < 4; c++) fringeB[p * 4 + c] = c < w ? (b[src + c] as number) : 0;
        }
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mb = Math.min(MC, m - ic);
        const mPanels = (mb + 3) >> 2;
        if (!transA) {
          // op(A)(i, p) = a[i·k + p]: gather 4 rows per panel, zero-padded.
          for (let q = 0; q < mPanels; q++) {
            const base = q * 4 * kb;
            for (let r = 0; r < 4; r++) {
              const i = ic + 4 * q + r;
              if (i < m) {
                let src = i * k + pc;
                for (let p = 0; p < kb; p++) packA[base + p * 4 + r] = a[src++] as number;
              } else {
                for (let p = 0; p < kb; p++) packA[base + p * 4 + r] = 0;
              }
            }
          }
        } else if ((mb & 3) !== 0) {
          const i0 = ic + 4 * (mPanels - 1), h = m - i0;
          for (let p = 0; p < kb; p++) {
            const src = (pc + p) * m + i0;
            for (let r = 0; r < 4; r++) fringeA[p * 4 + r] = r < h ? (a[src + r] as number) : 0;
          }
        }
        if (mb <= nb) {
          for (let qj = 0; qj < nPanels; qj++) {
            const j = jc + 4 * qj, nr = Math.min(4, n - j);
            const bArr = transB ? packB : nr < 4 ? fringeB : b;
            const pb = transB ? qj * 4 * kb : nr < 4 ? 0 : pc * n + j;
            const sb = transB || nr < 4 ? 4 : n;
            for (let qi = 0; qi < mPanels; qi++) {
              const i = ic + 4 * qi, mr = Math.min(4, m - i);
              const aArr = !transA ? packA : mr < 4 ? fringeA : a;
              const pa = !transA ? qi * 4 * kb : mr < 4 ? 0 : pc * m + i;
              const sa = !transA || mr < 4 ? 4 : m;
              micro4x4(aArr, pa, sa, bArr, pb, sb, kb, o, i * n + j, n, mr, nr, alpha);
            }
          }
        } else {
          for (let qi = 0; qi < mPanels; qi++) {
            const i = ic + 4 * qi, mr = Math.min(4, m - i);
            const aArr = !transA ? packA : mr < 4 ? fringeA : a;
            const pa = !transA ? qi * 4 * kb : mr < 4 ? 0 : pc * m + i;
            const sa = !transA || mr < 4 ? 4 : m;
            for (let qj = 0; qj < nPanels; qj++) {
              const j = jc + 4 * qj, nr = Math.min(4, n - j);
              const bArr = transB ? packB : nr < 4 ? fringeB : b;
              const pb = transB ? qj * 4 * kb : nr < 4 ? 0 : pc * n + j;
              const sb = transB || nr < 4 ? 4 : n;
              micro4x4(aArr, pa, sa, bArr, pb, sb, kb, o, i * n + j, n, mr, nr, alpha);
            }
          }
        }
      }
    }
  }
}

function shapeError(what: string): never {
  throw new TypeError(`gemmInto: ${what}`);
}

/**
 * Check the arguments of a `gemmInto` call and return the sizes of `op(A)` (m×k) and `op(B)`
 * (k×n). Every backend calls it first, so all of them reject the same mistakes the same way.
 *
 * @example
 * ```ts
 * import { gemmDimensions, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const W = Matrix.zeros(5, 2), V = Matrix.zeros(5, 3);
 * assert.deepEqual(gemmDimensions(Matrix.zeros(2, 3), W, V, { transA: true }), { m: 2, n: 3, k: 5 });
 * ```
 */
export function gemmDimensions(
  out: Matrix,
  A: Matrix,
  B: Matrix,
  options: GemmOptions = {},
): { m: number; n: number; k: number } {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const m = transA ? A.cols : A.rows;
  const kA = transA ? A.rows : A.cols;
  const kB = transB ? B.cols : B.rows;
  const n = transB ? B.rows : B.cols;
  if (kA !== kB) {
    shapeError(`inner dimensions differ: op(A) is ${m}×${kA}, op(B) is ${kB}×${n}`);
  }
  if (out.rows !== m || out.cols !== n) {
    shapeError(`out is ${out.rows}×${out.cols}, expected ${m}×${n}`);
  }
  if (out.data === A.data || out.data === B.data) shapeError("out must not alias A or B");
  return { m, n, k: kA };
}

/**
 * Portable general matrix product: `out ← alpha · op(A) · op(B) + beta · out`.
 *
 * Products of at least {@linkcode SIMD_MIN_WORK} multiply-adds run in the WebAssembly SIMD
 * kernels of `kernels.wat` where the engine supports them; the rest, and every product where it does
 * not, run in {@linkcode scalarGemmInto}. Both sum in the same order within a tile but not across
 * tiles, so the two can differ in the last bits.
 *
 * @example
 * ```ts
 * import { gemmInto, Matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const A = Matrix.fromRows([[1, 2], [3, 4]]);
 * const out = Matrix.zeros(2, 2);
 * gemmInto(out, A, A, { transA: true }); // AᵀA
 * assert.deepEqual(out.toRows(), [[10, 14], [14, 20]]);
 * ```
 */
export function gemmInto(out: Matrix, A: Matrix, B: Matrix, options: GemmOptions = {}): Matrix {
  const { m, n, k } = gemmDimensions(out, A, B, options);
  if (
    m > 0 && n > 0 && k > 0 && m * n * k >= SIMD_MIN_WORK &&
    simdGemm(
      out.data,
      A.data,
      B.data,
      m,
      n,
      k,
      options.transA ?? false,
      options.transB ?? false,
      options.alpha ?? 1,
      options.beta ?? 0,
    )
  ) return out;
  return scalarGemmInto(out, A, B, options);
}

/**
 * The TypeScript-only product (cache-blocked, packed, 4×4 register tiles), same contract as
 * {@linkcode gemmInto}. `gemmInto` uses it for small products and where WebAssembly SIMD is
 * missing; it is exported for tests and for comparing the two in the benchmark.
 *
 * @example
 * ```ts
 * import { Matrix, scalarGemmInto } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const out = Matrix.filled(1, 1, 10);
 * scalarGemmInto(out, Matrix.fromRows([[1, 2]]), Matrix.fromRows([[3], [4]]), { beta: 1 });
 * assert.deepEqual(out.toRows(), [[21]]);
 * ```
 */
export function scalarGemmInto(
  out: Matrix,
  A: Matrix,
  B: Matrix,
  options: GemmOptions = {},
): Matrix {
  const { m, n, k } = gemmDimensions(out, A, B, options);
  const beta = options.beta ?? 0;
  const o = out.data;
  if (beta === 0) o.fill(0);
  else if (beta !== 1) { for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) * beta; }
  if (m === 0 || n === 0 || k === 0) return out;
  blockedGemm(
    o,
    A.data,
    B.data,
    m,
    n,
    k,
    options.transA ?? false,
    options.transB ?? false,
    options.alpha ?? 1,
  );
  return out;
}

/** Matrices smaller than this (entries) are not worth a resident copy. */
const RESIDENT_MIN_SIZE = 4096;

/**
 * The portable backend (TypeScript, with WebAssembly SIMD kernels on one or more threads where the
 * engine has them; runs anywhere, browsers included).
 */
export const portableBackend: Backend = {
  name: "portable",
  gemmInto,
  prepare: (V) => {
    if (V.size < RESIDENT_MIN_SIZE) return V;
    startWorkers(); // a fit this size will likely share its products: start the threads early
    return residentCopy(V) ?? V;
  },
  release: (V) => releaseResident(V),
};

/** `out ← AᵀA` (`transpose: false`, the default) or `out ← AAᵀ` (`transpose: true`). */
export function gramInto(
  out: Matrix,
  A: Matrix,
  options: { transpose?: boolean; backend?: Backend } = {},
): Matrix {
  const backend = options.backend ?? portableBackend;
  return options.transpose
    ? backend.gemmInto(out, A, A, { transB: true })
    : backend.gemmInto(out, A, A, { transA: true });
}

/** Σ_ij A_ij B_ij, the Frobenius inner product of two matrices of the same shape. */
export function dot(A: Matrix, B: Matrix): number {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new TypeError(
      `dot: shapes ${A.rows}×${A.cols} and ${B.rows}×${B.cols} differ`,
    );
  }
  const a = A.data, b = B.data;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
