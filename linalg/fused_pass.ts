/**
 * One pass over V per iteration for the blas backend: the W update of MU and of HALS (one sweep)
 * fused between the two products over V, row block by row block, on every core.
 *
 * Why: an MU or HALS iteration multiplies V (m×n) by thin factors twice, VHᵀ for the W update and
 * WᵀV for the next H update. OpenBLAS packs V into its own layout for each of those products, so an
 * iteration reads and copies V from memory four times, and a thin product runs at about half of
 * dgemm's speed here (measured: 2000×1000 by k = 20 at 30–45 GFLOP/s on 2 cores, against 94 for a
 * square product). But row i of the new W needs only row i of VHᵀ (the W update of MU is entrywise
 * and HALS's sweep over the columns of W treats each row on its own), and WᵀV = Σ_b W_bᵀ V_b over
 * row blocks V_b. So for each block of rows (32, or up to 128 where n is large: see
 * {@linkcode fusedBlockRows}), small enough to stay in the core's cache:
 *
 *   P_b ← V_b Hᵀ,   W_b ← update(W_b, P_b),   Q_c ← Q_c + W_bᵀ V_b,
 *
 * and the Q_c of the row chunks sum to WᵀV for the new W, the numerator of the next H update. Each
 * block of V is read from memory once per iteration and then from cache. P_b is computed in
 * products V_s·Hᵀ of a few rows each, small enough for OpenBLAS's kernel that does not pack its
 * operands ({@linkcode fusedSubRows}), which runs these shapes faster than one product per block.
 * The chunks of rows are taken by the calling thread and one worker thread per further core, each
 * calling a single-threaded dgemm on its blocks (OpenBLAS is set to one thread from a fit's first
 * pass until it ends, and back after). The chunks are fixed by V's shape and k alone and summed in
 * their order, so the result does not depend on how many threads ran them, nor on which ran what.
 * For HALS, W is kept as Wᵀ (k×m), so that a block of rows of W is a block of columns, the layout
 * of kernels.wat's sweep. For MU, W, P and D stay row-major (m×k): P_b is written by its products
 * in place, the update runs over one contiguous stretch, W_bᵀV_b reads W_b transposed by dgemm
 * itself, and W goes in and out as a plain copy. Measured on the Intel Xeon (2000×1000, k = 20,
 * 4 alternating pairs of fits): 1.57–1.59 → 1.45–1.49 ms an iteration; on one core the products
 * alone ran 3–4% faster in this form (W_bᵀV_b at 65 GFLOP/s against 60 from Wᵀ).
 *
 * For MU the pass also runs the H update between two passes over V (`FusedPass.stepMu`), split by
 * chunks of columns of H over the same threads: H_t ← H_t ⊙ Q_t / (WᵀW·H_t + l1 + l2·H_t), with
 * Q = Σ_c Q_c summed there in chunk order, WᵀW = Σ_c W_cᵀW_c from the chunks of the pass before,
 * and the new columns' H_tH_tᵀ summed into the Gram matrix of the W update. What stays on the
 * calling thread is D = W·G (one product) and the copies of W and H out. Measured on the Intel
 * Xeon, 2000×1000, k = 20, 6 alternating rounds of 5 fits: 1.48 → 1.44 ms an iteration (medians
 * of the best of each round; the H update in the solver took 0.13–0.14 ms of serial work).
 *
 * The row updates are those of `solvers/mu.ts` (β = 2, no mask) and `solvers/hals.ts` (one sweep,
 * in kernels.wat's cdSweep on the pass's own WebAssembly memory, or in a TypeScript loop where
 * WebAssembly SIMD is missing), with the same operations in the same order; only the products'
 * rounding differs from the unfused path (they sum in another order), well inside the 1e-10 at
 * which backends agree. Measured on 2 cores (AMD EPYC): 2000×1000, k = 20, MU 4.9 → 3.5 ms an
 * iteration; SOTU dense, k = 10, 1.15 → 0.75 ms. Where it does not pay it is not used: see
 * {@linkcode FUSED_MIN_ENTRIES} and {@linkcode FUSED_MAX_RANK}.
 *
 * This file is Deno-only (FFI) and is reached only through the blas backend. Worker threads start
 * from a Blob URL with the program below (no file or permission beyond `--allow-ffi`), read V in
 * place through its address, and close themselves after {@linkcode FUSED_IDLE_MS} without work.
 *
 * @module
 */

import type { FusedPass, FusedUpdate, MuPenalties } from "./kernels.ts";
import type { Matrix } from "./matrix.ts";
import { awaitChunks, canBlock } from "./chunk_wait.ts";
import { MAX_PAGES, PAGE_BYTES, type Sweep, type WasmKernels, wasmKernels } from "./wasm.ts";
import { parkWorkers } from "./wasm_threads.ts";

/** The per-core L2 cache the block sizes are tuned for (1 MiB on the AMD EPYC, Zen 4, here). */
const L2_BYTES = 1 << 20;

/**
 * Rows of V per block, for V with n columns and rank k. Each block streams three panels through
 * the cache: V_b (rows×n), H (k×n, read for P_b) and Q_c (k×n, read and written by the
 * accumulation). Where those fit in L2 with 32 rows, 32 rows; else larger blocks (up to 128 rows,
 * V_b at most 2 MiB, re-read from L3), so that Q_c's traffic, 2k/rows times V_b's, stays small.
 * Measured on 2 cores (MU, best of 5 runs alternating with the previous rule): 2000×2000, k = 20,
 * 6.7 → 6.3 ms an iteration with 128 rows instead of 32 (and → 5.6 with the products of
 * {@linkcode fusedSubRows}); at 2000×1414 32 rows (3.3 ms) beat 128 (3.9). On an Intel Xeon with
 * 2 MiB of L2 per core the same rule still measured best: MU at 2000×1000, k = 20, blocks of 16–256
 * rows with sub-products of 0–64 rows, none faster than 32 and 32 (4 rounds of alternating fits).
 */
export function fusedBlockRows(n: number, k: number): number {
  if ((32 + 2 * k) * n * 8 <= L2_BYTES) return 32;
  const rows = 2 * Math.floor((2 * L2_BYTES) / (16 * n));
  return Math.max(8, Math.min(128, rows));
}

/** OpenBLAS 0.3.21 runs dgemm without packing its operands where M·N·K ≤ 10⁶ (a small kernel). */
const SMALL_GEMM = 1e6;

/**
 * Rows per product V_s·Hᵀ inside a block: the most (a multiple of 4, at most `rows`) for which
 * that product is small enough for OpenBLAS's unpacked kernel, or 0 where 4 rows are already too
 * many (then one product H·V_bᵀ per block). Measured on one core, 2000×1000, k = 20: 32-row
 * products V_s·Hᵀ at 36–42 GFLOP/s against 30–34 for H·V_bᵀ on the same rows (four runs). In a
 * fit: at 2000×2000, k = 20, MU 6.3 → 5.6 ms an iteration; at 2000×1000 the change is inside the
 * noise.
 */
export function fusedSubRows(n: number, k: number, rows: number): number {
  const sub = Math.min(rows, 4 * Math.floor(SMALL_GEMM / (4 * k * n)));
  return sub >= 4 ? sub : 0;
}

/** Most row chunks of a pass (chunks are what threads take; fixed by the shape alone). */
export const FUSED_CHUNKS = 4;
/**
 * The pass is used for V of at least this many entries (2 MB): a smaller V stays in the cores'
 * caches between two separate products, and then the pass only adds synchronization (measured:
 * digits, 64×1797, MU 0.39 → 0.45 ms an iteration with it).
 */
export const FUSED_MIN_ENTRIES = 1 << 18;
/**
 * …and for ranks up to this: as k grows each separate product does more arithmetic per entry of V
 * read and runs nearer dgemm's speed, so the pass gains less. Measured on 2 cores (AMD EPYC),
 * since the pass runs MU's H update on its threads too (`stepMu`): pass against separate products,
 * 6 alternating pairs of fits per shape, least times and median ratio. At k = 32 and 40 the pass
 * wins on 2000×1000 (0.86–0.91) and 3000×1500 (0.73–0.88), MU and HALS; at 1000×1000 it is even
 * (0.94–1.06). From k = 48 to 64 the two are even within the noise (medians 0.93–1.07 on the same
 * shapes; 5000×2000, k = 50: 0.96–1.04), so they stay with separate products.
 */
export const FUSED_MAX_RANK = 40;
/** A worker with no pass to serve for this long closes itself. */
export const FUSED_IDLE_MS = 250;

// Control slots (Int32) of the pool.
const GEN = 0; // job generation
const TICKET = 1; // (gen & 0x7ffff) << 12 | next chunk; -1 between jobs
const COUNT = 2; // chunks in the job
const DONE = 3; // chunks finished
const FAILED = 4; // a chunk threw
const KIND = 5; // 0 product, 1 mu, 2 cd
const PASS = 6; // id of the pass the job belongs to
const WANT = 7; // id of the newest pass (workers attach to it)
const READY = 8; // workers running
const QUIT = 9; // workers that have closed
const BROKEN = 10; // workers that could not open the library (then none are started again)
const SLOTS = 11;

/** Byte offsets of a pass's buffers in its SharedArrayBuffer, and its shape. */
interface Layout {
  m: number;
  n: number;
  k: number;
  ld: number; // row length of the k×m buffers: m rounded up to even (the sweep takes pairs)
  rows: number; // rows of V per block (even)
  sub: number; // rows per product V_s·Hᵀ inside a block (0: one product H·V_bᵀ per block)
  chunkRows: number; // rows per chunk (a multiple of rows)
  count: number; // row chunks
  rowMajor: boolean; // mu: W, P and D are m×k row-major; cd: k×ld (transposed)
  oW: number; // mu: W, m×k; cd: Wᵀ, k×ld (column i is row i of W)
  oH: number; // H, k×n
  oHt: number; // Hᵀ, n×k (for the products V_s·Hᵀ)
  oS: number; // per chunk, sub×k (cd): V_s·Hᵀ before it is written into Pᵀ
  oG: number; // G, k×k
  oP: number; // mu: P = V Hᵀ, m×k; cd: Pᵀ, k×ld
  oD: number; // mu: D = W·G before the pass, m×k
  oQ: number; // chunks × k×n
  oF: number; // parameters: l1, l2, epsilon; then one sweep sum per chunk
  // mu only (else 0): the H update in the pass (FusedPass.stepMu), by chunks of columns of H
  hCols: number; // columns of H per chunk (fixed by the shape)
  oWW: number; // chunks × k×k: W_cᵀW_c of each row chunk; then one k×k slot for their sum
  oHH: number; // column chunks × k×k: H_tH_tᵀ of each column chunk
  oDen: number; // k×n: WᵀW·H, the denominator of the H update
  oFH: number; // parameters of the H update: l1, l2
}

type DgemmPtr = (
  order: number,
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Deno.PointerValue,
  lda: number,
  b: Deno.PointerValue,
  ldb: number,
  beta: number,
  c: Deno.PointerValue,
  ldc: number,
) => void;

type DaxpyPtr = (
  n: number,
  alpha: number,
  x: Deno.PointerValue,
  incx: number,
  y: Deno.PointerValue,
  incy: number,
) => void;

type OmatcopyPtr = (
  order: number,
  trans: number,
  rows: number,
  cols: number,
  alpha: number,
  a: Deno.PointerValue,
  lda: number,
  b: Deno.PointerValue,
  ldb: number,
) => void;

/**
 * Run chunk `chunk` of a job of `kind` (0: Q_c ← Σ W_bᵀV_b; 1: MU; 2: one HALS sweep; 3: MU's H
 * update, chunk = a chunk of columns of H) on a pass.
 * `sweep` is the WebAssembly sweep over the pass's memory, or null (then a TypeScript loop with
 * the same operations). Self-contained (no imports, no outer names): its source is also the
 * worker's.
 */
function runPassChunk(
  dgemm: DgemmPtr,
  at: (bytes: number) => Deno.PointerValue,
  atV: (bytes: number) => Deno.PointerValue,
  f: Float64Array,
  L: Layout,
  kind: number,
  chunk: number,
  sweep: Sweep | null,
): void {
  const { m, n, k, ld, rows } = L;
  const RM = 101, NT = 111, TR = 112;
  const r0 = chunk * L.chunkRows, r1 = Math.min(m, r0 + L.chunkRows);
  const oQc = L.oQ + 8 * chunk * k * n;
  const l1 = f[L.oF / 8] as number, l2 = f[L.oF / 8 + 1] as number;
  const eps = f[L.oF / 8 + 2] as number, tiny = 2.2250738585072014e-308;
  const w = L.oW / 8, p = L.oP / 8, d = L.oD / 8, g = L.oG / 8;
  if (kind === 3) {
    // H ← H ⊙ Q / (WᵀW·H + l1 + l2·H) on columns j0…j1 (solvers/mu.ts, γ = 1), Q = Σ_c Q_c summed
    // in chunk order; then those columns into Hᵀ, and H_tH_tᵀ for the W update's Gram matrix
    const j0 = chunk * L.hCols, j1 = Math.min(n, j0 + L.hCols), cols = j1 - j0;
    dgemm(
      RM,
      NT,
      NT,
      k,
      cols,
      k,
      1,
      at(L.oWW + 8 * L.count * k * k),
      k,
      at(L.oH + 8 * j0),
      n,
      0,
      at(L.oDen + 8 * j0),
      n,
    );
    const h = L.oH / 8, den = L.oDen / 8, q0 = L.oQ / 8, size = k * n, ht = L.oHt / 8;
    const hl1 = f[L.oFH / 8] as number, hl2 = f[L.oFH / 8 + 1] as number;
    for (let a = 0; a < k; a++) {
      for (let j = j0; j < j1; j++) {
        const e = a * n + j;
        let num = f[q0 + e] as number;
        for (let c = 1; c < L.count; c++) num = num + (f[q0 + c * size + e] as number);
        const xi = f[h + e] as number;
        let dn = (f[den + e] as number) + hl1 + hl2 * xi;
        if (dn === 0) dn = eps;
        const next = xi * (num / dn);
        let x = next;
        if (!(next >= tiny)) x = next < tiny || xi === 0 ? 0 : next;
        f[h + e] = x;
        if (L.sub > 0) f[ht + j * k + a] = x;
      }
    }
    dgemm(
      RM,
      NT,
      TR,
      k,
      k,
      cols,
      1,
      at(L.oH + 8 * j0),
      n,
      at(L.oH + 8 * j0),
      n,
      0,
      at(L.oHH + 8 * chunk * k * k),
      k,
    );
    return;
  }
  for (let i0 = r0; i0 < r1; i0 += rows) {
    const b = Math.min(rows, r1 - i0), i1 = i0 + b;
    const Vb = atV(8 * i0 * n);
    if (L.rowMajor) {
      if (kind === 1) {
        // P_b ← V_b·Hᵀ (rows i0…i1 of the m×k buffer), in products of `sub` rows where they
        // are small enough for OpenBLAS's unpacked kernel
        if (L.sub === 0) {
          dgemm(RM, NT, TR, b, k, n, 1, Vb, n, at(L.oH), n, 0, at(L.oP + 8 * i0 * k), k);
        } else {
          for (let s0 = i0; s0 < i1; s0 += L.sub) {
            const sb = Math.min(L.sub, i1 - s0);
            dgemm(
              RM,
              NT,
              NT,
              sb,
              k,
              n,
              1,
              atV(8 * s0 * n),
              n,
              at(L.oHt),
              k,
              0,
              at(L.oP + 8 * s0 * k),
              k,
            );
          }
        }
        // MU: W ← W ⊙ P / (D + l1 + l2·W), D = W·G from before the pass (solvers/mu.ts, γ = 1)
        for (let q = i0 * k, end = i1 * k; q < end; q++) {
          const xi = f[w + q] as number;
          let den = (f[d + q] as number) + l1 + l2 * xi;
          if (den === 0) den = eps;
          const next = xi * ((f[p + q] as number) / den);
          // as multiplicativeUpdateInto: 0 stays 0 (also for 0·∞), tiny results flush to 0
          if (next >= tiny) f[w + q] = next;
          else f[w + q] = next < tiny || xi === 0 ? 0 : next;
        }
      }
      // Q_c ← Q_c + W_bᵀ V_b (the first block of the chunk overwrites)
      dgemm(RM, TR, NT, k, n, b, 1, at(L.oW + 8 * i0 * k), k, Vb, n, i0 === r0 ? 0 : 1, at(oQc), n);
      continue;
    }
    if (kind !== 0 && L.sub === 0) {
      // Pᵀ_b (columns i0…i1 of the k×ld buffer) ← H·V_bᵀ
      dgemm(RM, NT, TR, k, b, n, 1, at(L.oH), n, Vb, n, 0, at(L.oP + 8 * i0), ld);
    } else if (kind !== 0) {
      // The same in products of `sub` rows, small enough for OpenBLAS's unpacked kernel:
      // S ← V_s·Hᵀ (s×k), then S's columns into Pᵀ
      const oS = L.oS + 8 * chunk * L.sub * k, s = oS / 8;
      for (let s0 = i0; s0 < i1; s0 += L.sub) {
        const sb = Math.min(L.sub, i1 - s0);
        dgemm(RM, NT, NT, sb, k, n, 1, atV(8 * s0 * n), n, at(L.oHt), k, 0, at(oS), k);
        for (let a = 0; a < k; a++) {
          const row = p + a * ld + s0;
          for (let i = 0; i < sb; i++) f[row + i] = f[s + i * k + a] as number;
        }
      }
    }
    if (kind === 2) {
      // One HALS sweep over the columns i0…i1 of Wᵀ (solvers/hals.ts): G holds HHᵀ + l2·I, the
      // right-hand side is C = Pᵀ − l1 (subtracted as the subproblem does).
      if (l1 !== 0) {
        for (let a = 0; a < k; a++) {
          for (let i = i0; i < i1; i++) f[p + a * ld + i] = (f[p + a * ld + i] as number) - l1;
        }
      }
      if (sweep !== null) {
        // the padding column of an odd m is 0 in Wᵀ and Pᵀ, and stays 0
        sweep(L.oW, L.oG, L.oP, k, i0, i1 + (i1 & 1), ld, L.oF + 8 * (3 + chunk));
      } else {
        // The sweep's order (solvers/hals.ts, halsSweepInto): rows in pairs (a, a + 1) whose
        // sums skip both, then take the other of the pair (old X_a+1 for a, new X_a for a + 1).
        const put = (a: number, i: number, t: number) => {
          const diag = f[g + a * k + a] as number, old = f[w + a * ld + i] as number;
          if (diag > 0) {
            const x = t * (1 / diag);
            f[w + a * ld + i] = x > 0 ? x : 0;
          } else if (t < 0 && old !== 0) f[w + a * ld + i] = 0;
        };
        for (let i = i0; i < i1; i++) {
          let a = 0;
          for (; a + 1 < k; a += 2) {
            const a2 = a + 1, ga = g + a * k, ga2 = g + a2 * k;
            let t = f[p + a * ld + i] as number, t2 = f[p + a2 * ld + i] as number;
            for (let c = 0; c < k; c++) {
              if (c === a || c === a2) continue;
              const x = f[w + c * ld + i] as number;
              const q = f[ga + c] as number, q2 = f[ga2 + c] as number;
              if (q !== 0) t = t - q * x;
              if (q2 !== 0) t2 = t2 - q2 * x;
            }
            const qx = f[ga + a2] as number;
            if (qx !== 0) t = t - qx * (f[w + a2 * ld + i] as number);
            put(a, i, t);
            const qy = f[ga2 + a] as number;
            if (qy !== 0) t2 = t2 - qy * (f[w + a * ld + i] as number);
            put(a2, i, t2);
          }
          if (a < k) {
            let t = f[p + a * ld + i] as number;
            const ga = g + a * k;
            for (let c = 0; c < a; c++) {
              const q = f[ga + c] as number;
              if (q !== 0) t = t - q * (f[w + c * ld + i] as number);
            }
            put(a, i, t);
          }
        }
      }
    }
    // Q_c ← Q_c + W_bᵀ V_b (the first block of the chunk overwrites)
    dgemm(RM, NT, NT, k, n, b, 1, at(L.oW + 8 * i0), ld, Vb, n, i0 === r0 ? 0 : 1, at(oQc), n);
  }
  if (L.rowMajor) {
    // W_cᵀW_c of the new rows, for the next H update's WᵀW
    const Wc = at(L.oW + 8 * r0 * k);
    dgemm(RM, TR, NT, k, k, r1 - r0, 1, Wc, k, Wc, k, 0, at(L.oWW + 8 * chunk * k * k), k);
  }
}

/** Take chunks of generation `gen` for pass `id` until none is left. Self-contained. */
function servePass(
  ctl: Int32Array,
  gen: number,
  run: (kind: number, chunk: number) => void,
): number {
  const count = Atomics.load(ctl, 2), kind = Atomics.load(ctl, 5);
  let ran = 0;
  for (;;) {
    const t = Atomics.load(ctl, 1);
    if (t < 0 || t >>> 12 !== (gen & 0x7ffff)) return ran;
    const index = t & 4095;
    if (index >= count) return ran;
    if (Atomics.compareExchange(ctl, 1, t, t + 1) !== t) continue;
    try {
      run(kind, index);
    } catch {
      Atomics.store(ctl, 4, 1);
    }
    ran++;
    if (Atomics.add(ctl, 3, 1) + 1 === count) Atomics.notify(ctl, 3);
  }
}

/** The worker's program (sent as a Blob with the two functions above). */
function passWorkerMain(serve: typeof servePass, runChunk: typeof runPassChunk): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent) => void) | null;
    close(): void;
  };
  const D = (globalThis as unknown as { Deno: typeof Deno }).Deno;
  let ctl: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let dgemm: DgemmPtr | null = null;
  let idle = 250, attached = -1, seen = -1, scheduled = false, waitingSince = -1;
  let run: ((kind: number, chunk: number) => void) | null = null;
  const quit = () => {
    Atomics.sub(ctl, 8, 1);
    Atomics.add(ctl, 9, 1);
    scope.close();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(loop, 0);
  };
  const loop = (): void => {
    scheduled = false;
    for (;;) {
      if (Atomics.load(ctl, 7) !== attached) {
        // The newest pass comes as a message: return to the event loop to receive it.
        if (waitingSince < 0) waitingSince = performance.now();
        else if (performance.now() - waitingSince > idle) return quit();
        return schedule();
      }
      waitingSince = -1;
      const gen = Atomics.load(ctl, 0);
      if (gen !== seen) {
        seen = gen;
        if (Atomics.load(ctl, 6) === attached && run !== null) serve(ctl, gen, run);
        continue;
      }
      // After an MU job, watch for the next one for up to 0.5 ms before sleeping: between two,
      // the caller copies factors or updates H on its own thread (FusedPass.run: about 0.2 ms at
      // 2000×1000, k = 20; stepMu: about 20 µs), and waking
      // from Atomics.wait took 30–90 µs here. Not after the others: between HALS's passes the
      // caller shares its sweep over H with the portable backend's threads, which need the core.
      const last = Atomics.load(ctl, 5);
      if (last === 1 || last === 3) {
        const until = performance.now() + 0.5;
        let spins = 0;
        while (Atomics.load(ctl, 0) === seen && Atomics.load(ctl, 7) === attached) {
          if ((++spins & 255) === 0 && performance.now() > until) break;
        }
        if (Atomics.load(ctl, 0) !== seen) continue;
      }
      // Sleep until the next pass.
      const woke = Atomics.wait(ctl, 0, seen, idle);
      if (
        woke === "timed-out" && Atomics.load(ctl, 0) === seen && Atomics.load(ctl, 7) === attached
      ) {
        return quit();
      }
    }
  };
  scope.onmessage = (event: MessageEvent) => {
    const data = event.data as {
      library?: string;
      control?: SharedArrayBuffer;
      idleMs?: number;
      spawnedAt?: number;
      id?: number;
      buffer?: SharedArrayBuffer;
      memory?: WebAssembly.Memory | null;
      module?: WebAssembly.Module | null;
      vAddress?: bigint;
      layout?: Layout;
    };
    if (data.library !== undefined && data.control !== undefined) {
      ctl = new Int32Array(data.control);
      try {
        const p = "pointer", i = "i32", x = "f64";
        const lib = D.dlopen(
          data.library,
          {
            cblas_dgemm: { parameters: [i, i, i, i, i, i, x, p, i, p, i, x, p, i], result: "void" },
          } as const,
        );
        dgemm = lib.symbols.cblas_dgemm as unknown as DgemmPtr;
      } catch {
        Atomics.add(ctl, 10, 1);
        Atomics.add(ctl, 9, 1);
        scope.close();
        return;
      }
      const startup = Date.now() - (data.spawnedAt ?? Date.now());
      idle = Math.min(5000, Math.max(data.idleMs ?? 250, 4 * startup));
      Atomics.add(ctl, 8, 1);
      Atomics.notify(ctl, 8);
    }
    if (data.buffer !== undefined && data.layout !== undefined && dgemm !== null) {
      const f = new Float64Array(data.buffer), layout = data.layout, g = dgemm;
      const base = D.UnsafePointer.of(f) as Deno.PointerObject;
      const vBase = D.UnsafePointer.create(data.vAddress as bigint) as Deno.PointerObject;
      const at = (bytes: number) => D.UnsafePointer.offset(base, bytes);
      const atV = (bytes: number) => D.UnsafePointer.offset(vBase, bytes);
      let sweep: Parameters<typeof runChunk>[7] = null;
      if (data.module && data.memory) {
        const instance = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
        sweep = (instance.exports as { cdSweep: NonNullable<typeof sweep> }).cdSweep;
      }
      run = (kind, chunk) => runChunk(g, at, atV, f, layout, kind, chunk, sweep);
      attached = data.id as number;
      seen = -1;
    }
    if (dgemm !== null) schedule();
  };
}

const WORKER_SOURCE = `const runPassChunk = ${runPassChunk.toString()};
const servePass = ${servePass.toString()};
(${passWorkerMain.toString()})(servePass, runPassChunk);
`;

interface Pool {
  library: string;
  ctl: Int32Array;
  url: string;
  launched: number;
  gen: number;
  passes: number;
  workers: { worker: Worker; pass: number }[];
}

const pools = new Map<string, Pool | null>();

function getPool(library: string): Pool | null {
  const known = pools.get(library);
  if (known !== undefined) return known;
  let pool: Pool | null = null;
  if (typeof Worker === "function" && typeof SharedArrayBuffer === "function" && canBlock()) {
    try {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
      const ctl = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
      Atomics.store(ctl, TICKET, -1);
      pool = { library, ctl, url, launched: 0, gen: 0, passes: 0, workers: [] };
    } catch {
      pool = null;
    }
  }
  pools.set(library, pool);
  return pool;
}

/** The live workers of a pool, after dropping those that closed. */
function aliveWorkers(p: Pool): number {
  return p.launched - Atomics.load(p.ctl, QUIT);
}

function ensureWorkers(p: Pool, wanted: number): void {
  if (Atomics.load(p.ctl, BROKEN) > 0) return; // e.g. no FFI permission in workers
  if (aliveWorkers(p) <= 0) p.workers = [];
  for (let w = aliveWorkers(p); w < wanted; w++) {
    let worker: Worker;
    try {
      worker = new Worker(p.url, { type: "module" });
    } catch {
      return;
    }
    p.launched++;
    worker.onerror = (event) => {
      event.preventDefault();
      Atomics.add(p.ctl, BROKEN, 1);
      Atomics.add(p.ctl, QUIT, 1);
    };
    worker.postMessage({
      library: p.library,
      control: p.ctl.buffer,
      idleMs: FUSED_IDLE_MS,
      spawnedAt: Date.now(),
    });
    p.workers.push({ worker, pass: -1 });
  }
}

/** The message that attaches a worker to a pass. */
interface PassMessage {
  id: number;
  buffer: SharedArrayBuffer;
  /** The WebAssembly memory over `buffer` and the kernels' module (null without them). */
  memory: WebAssembly.Memory | null;
  module: WebAssembly.Module | null;
  vAddress: bigint;
  layout: Layout;
}

/** Start workers up to `wanted` and send the pass to every one that has not had it. */
function attachWorkers(p: Pool, wanted: number, message: PassMessage): void {
  ensureWorkers(p, wanted);
  for (const entry of p.workers) {
    if (entry.pass === message.id) continue;
    entry.pass = message.id;
    entry.worker.postMessage(message);
  }
}

/** What {@linkcode openFusedPass} needs from the blas backend. */
export interface FusedPassLibrary {
  /** The library path or name (workers open it again: same process, same copy). */
  library: string;
  /** cblas_dgemm taking pointers. */
  dgemm: DgemmPtr;
  /** cblas_daxpy taking pointers (y ← αx + y), or null: then a TypeScript loop. */
  daxpy?: DaxpyPtr | null;
  /** OpenBLAS's cblas_domatcopy taking pointers (B ← α·op(A)), or null: then a TypeScript loop. */
  omatcopy?: OmatcopyPtr | null;
  /** OpenBLAS's thread count: read, and set (null when the library has no such control). */
  threads: number;
  setThreads: ((count: number) => void) | null;
}

/** Open passes holding OpenBLAS at one thread, per library (a fit in a callback opens a second). */
const singleHolders = new Map<string, number>();

/** Options of {@linkcode openFusedPass}. */
export interface FusedPassOptions {
  /** The rank: W is m×k, H k×n. */
  k: number;
  /** The row update of W. */
  update: FusedUpdate;
  /** The library that runs the products. */
  library: FusedPassLibrary;
  /**
   * Where HALS's row sweeps run: `"wasm"` uses kernels.wat's cdSweep (SIMD) when the engine has
   * WebAssembly SIMD and threads, `"typescript"` always the TypeScript loop (the same bits).
   * @default "wasm"
   */
  sweep?: "wasm" | "typescript";
}

/** Model epsilon for zero denominators (the same as `solvers/guard.ts`'s MODEL_EPSILON). */
const EPSILON = 2.220446049250313e-16;

/**
 * Open a fused pass over a dense V (m×n) for a factor rank k and the row update `update` of W,
 * or return null when V is too small to gain from it. See the module comment.
 */
export function openFusedPass(V: Matrix, options: FusedPassOptions): FusedPass | null {
  const { k, update, library: lib } = options;
  const m = V.rows, n = V.cols;
  if (m * n < FUSED_MIN_ENTRIES || k < 1 || k > FUSED_MAX_RANK) return null;
  const rows = fusedBlockRows(n, k), sub = fusedSubRows(n, k, rows), ld = m + (m & 1);
  const blocks = Math.ceil(m / rows);
  if (blocks < 2) return null;
  const chunks = Math.min(FUSED_CHUNKS, blocks);
  const chunkRows = Math.ceil(blocks / chunks) * rows;
  const count = Math.ceil(m / chunkRows);
  let o = 0;
  const take = (elements: number) => {
    const at = o;
    o += 8 * elements + 64 - (8 * elements) % 64;
    return at;
  };
  const rowMajor = update === "mu";
  const hCount = rowMajor ? Math.min(FUSED_CHUNKS, n) : 0;
  const hCols = rowMajor ? Math.ceil(n / hCount) : 0;
  const layout: Layout = {
    m,
    n,
    k,
    ld,
    rows,
    sub,
    chunkRows,
    count,
    rowMajor,
    oW: take(k * ld),
    oH: take(k * n),
    oHt: take(sub > 0 ? k * n : 0),
    oS: take(rowMajor ? 0 : sub * k * count),
    oG: take(k * k),
    oP: take(k * ld),
    oD: take(update === "mu" ? k * ld : 0),
    oQ: take(count * k * n),
    oF: take(3 + count),
    hCols,
    oWW: take(rowMajor ? (count + 1) * k * k : 0),
    oHH: take(hCount * k * k),
    oDen: take(rowMajor ? k * n : 0),
    oFH: take(rowMajor ? 2 : 0),
  };
  // The buffers live in a WebAssembly memory of their own when the kernels are there, so that
  // HALS's sweep runs in kernels.wat's cdSweep (SIMD); else in a plain SharedArrayBuffer.
  const kernels = update === "cd" && options.sweep !== "typescript" ? wasmKernels() : null;
  const pages = Math.ceil(o / PAGE_BYTES);
  let memory: WebAssembly.Memory | null = null;
  let sweep: Sweep | null = null;
  if (kernels !== null && kernels.shared && pages <= MAX_PAGES) {
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      const instance = new WebAssembly.Instance(kernels.module, { env: { memory } });
      sweep = (instance.exports as { cdSweep: Sweep }).cdSweep;
    } catch {
      memory = null;
      sweep = null;
    }
  }
  const buffer = memory === null
    ? new SharedArrayBuffer(o)
    : memory.buffer as unknown as SharedArrayBuffer;
  const f = new Float64Array(buffer);
  const base = Deno.UnsafePointer.of(f) as Deno.PointerObject;
  // Held while the pass is open: the workers read V's entries through their address.
  let held: Float64Array | null = V.data;
  const vPointer = Deno.UnsafePointer.of(held) as Deno.PointerObject;
  const at = (bytes: number) => Deno.UnsafePointer.offset(base, bytes);
  const atV = (bytes: number) => Deno.UnsafePointer.offset(vPointer, bytes);
  const threads = Math.max(1, Math.min(count, lib.threads));
  const pool = threads > 1 ? getPool(lib.library) : null;
  const id = pool === null ? 0 : ++pool.passes;
  const message: PassMessage = {
    id,
    buffer,
    memory,
    module: memory === null ? null : (kernels as WasmKernels).module,
    vAddress: BigInt(Deno.UnsafePointer.value(vPointer)),
    layout,
  };
  /** Make this the pass the workers serve (starting any missing) and wake them to fetch it. */
  const bringWorkers = (p: Pool) => {
    Atomics.store(p.ctl, WANT, id);
    attachWorkers(p, threads - 1, message);
    Atomics.notify(p.ctl, GEN);
  };
  if (pool !== null) bringWorkers(pool); // start them now: they are ready sooner
  const runHere = (kind: number, chunk: number) =>
    runPassChunk(lib.dgemm, at, atV, f, layout, kind, chunk, sweep);
  let open = true;
  let loaded = false;
  // OpenBLAS runs on one thread from the first pass until close(): its own idle threads spin for
  // a while after each multi-threaded call, and would take the cores from the pass's threads.
  let single = false;
  const wAt = layout.oW / 8;

  const job = (kind: number, chunks = count) => {
    if (!open || held === null) throw new Error("FusedPass: the pass is closed");
    parkWorkers();
    if (!single && lib.setThreads !== null && lib.threads > 1) {
      const holders = singleHolders.get(lib.library) ?? 0;
      if (holders === 0) lib.setThreads(1);
      singleHolders.set(lib.library, holders + 1);
      single = true;
    }
    if (
      pool !== null &&
      (Atomics.load(pool.ctl, WANT) !== id || aliveWorkers(pool) < threads - 1)
    ) {
      // A worker closed while idle (start another), or a fit in a callback opened another pass
      // since (bring the workers back to this one).
      bringWorkers(pool);
    }
    let mine = chunks;
    if (pool === null || Atomics.load(pool.ctl, READY) <= 0) {
      for (let c = 0; c < chunks; c++) runHere(kind, c);
    } else mine = shareJob(pool, id, kind, chunks, runHere);
    if (kind !== 3) {
      // the stats count passes over V (not stepMu's H updates)
      stats.jobs++;
      stats.chunks += chunks;
      stats.byCaller += mine;
    }
  };
  // The caller's copies around a job go through the library where it has the routines (the same
  // bits: daxpy with α = 1 rounds x + y once, as the loop does, and domatcopy with α = 1 copies),
  // and matches() compares W with a row-major copy instead of reading Wᵀ across. Measured at
  // 2000×1000, k = 20 (least of 300, two runs): the sum of 4 chunks' WᵀV 30–51 → 16 µs,
  // W ← (Wᵀ)ᵀ 24 → 14 µs, Hᵀ 13–14 → 7 µs, matches() 34 → 18 µs (+ 6 µs to keep the copy). With
  // the worker's spin after MU passes (passWorkerMain), 8 alternating pairs of fits: SOTU's dense
  // V (k = 10) MU 0.88 and one-sweep HALS 0.91 of the time (medians), 2000×1000 and 2000×2000
  // 0.95–1.00.
  const ROW_MAJOR = 101, TRANS = 112;
  const daxpy = lib.daxpy ?? null, omatcopy = lib.omatcopy ?? null;
  const pointerOf = (data: Float64Array) =>
    Deno.UnsafePointer.of(data as Float64Array<ArrayBuffer>);
  /**
   * For "cd": W as the pass last wrote it (or took it), row-major, for matches(): a sequential
   * compare. For "mu" the pass's own W is row-major already.
   */
  const shadow = new Float64Array(rowMajor ? 0 : m * k);
  /** Q ← Σ_c Q_c, in chunk order. */
  const sumInto = (Q: Matrix) => {
    const size = k * n, q = Q.data, first = layout.oQ / 8;
    q.set(f.subarray(first, first + size));
    const qAt = daxpy === null ? null : pointerOf(q);
    for (let c = 1; c < count; c++) {
      const s = first + c * size;
      if (daxpy !== null) daxpy(size, 1, at(8 * s), 1, qAt, 1);
      else for (let i = 0; i < size; i++) q[i] = (q[i] as number) + (f[s + i] as number);
    }
  };
  /**
   * D = W·G for every row at once, before the MU pass (measured: as one product per chunk inside
   * the pass, 500×20 by 20×20, the pass took as much longer as this product takes here).
   */
  const muDenominator = () =>
    lib.dgemm(101, 111, 111, m, k, k, 1, at(layout.oW), k, at(layout.oG), k, 0, at(layout.oD), k);
  return {
    threads,
    matches(W: Matrix): boolean {
      if (!loaded) return false;
      const w = W.data;
      if (rowMajor) {
        for (let i = 0; i < w.length; i++) if (w[i] !== f[wAt + i]) return false;
      } else for (let i = 0; i < w.length; i++) if (w[i] !== shadow[i]) return false;
      return true;
    },
    start(W: Matrix, Q: Matrix): void {
      const w = W.data;
      if (rowMajor) f.set(w, wAt);
      else if (omatcopy !== null) {
        omatcopy(ROW_MAJOR, TRANS, m, k, 1, pointerOf(w), k, at(layout.oW), ld);
      } else {
        for (let i = 0; i < m; i++) {
          for (let a = 0; a < k; a++) f[wAt + a * ld + i] = w[i * k + a] as number;
        }
      }
      if (!rowMajor) shadow.set(w);
      loaded = true;
      job(0);
      sumInto(Q);
    },
    run(W: Matrix, H: Matrix, G: Matrix, Q: Matrix, penalties: { l1: number; l2: number }): void {
      if (!loaded) throw new Error("FusedPass.run: start(W, Q) first");
      f.set(H.data, layout.oH / 8);
      if (sub > 0) {
        const h = H.data, t = layout.oHt / 8;
        if (omatcopy !== null) omatcopy(ROW_MAJOR, TRANS, k, n, 1, pointerOf(h), n, at(8 * t), k);
        else {
          for (let a = 0; a < k; a++) {
            for (let j = 0; j < n; j++) f[t + j * k + a] = h[a * n + j] as number;
          }
        }
      }
      f.set(G.data, layout.oG / 8);
      f[layout.oF / 8] = penalties.l1;
      f[layout.oF / 8 + 1] = update === "mu" ? penalties.l2 : 0;
      f[layout.oF / 8 + 2] = EPSILON;
      if (update === "mu") muDenominator();
      job(update === "mu" ? 1 : 2);
      sumInto(Q);
      const w = W.data;
      if (rowMajor) w.set(f.subarray(wAt, wAt + m * k));
      else if (omatcopy !== null) {
        omatcopy(ROW_MAJOR, TRANS, k, m, 1, at(layout.oW), ld, pointerOf(w), k);
      } else {
        for (let i = 0; i < m; i++) {
          for (let a = 0; a < k; a++) w[i * k + a] = f[wAt + a * ld + i] as number;
        }
      }
      if (!rowMajor) shadow.set(w);
    },
    stepMu(W: Matrix, H: Matrix, penalties: MuPenalties): void {
      if (!rowMajor) throw new Error('FusedPass.stepMu: the pass was opened for "cd"');
      if (!loaded) throw new Error("FusedPass.stepMu: start(W, Q) first");
      const hAt = layout.oH / 8, kk = k * k, F = layout.oF / 8;
      f.set(H.data, hAt);
      f[layout.oFH / 8] = penalties.l1H;
      f[layout.oFH / 8 + 1] = penalties.l2H;
      f[F] = penalties.l1W;
      f[F + 1] = penalties.l2W;
      f[F + 2] = EPSILON;
      // WᵀW ← Σ_c W_cᵀW_c (the pass's last job left them), in chunk order
      const ww = layout.oWW / 8, wwSum = ww + count * kk;
      for (let e = 0; e < kk; e++) {
        let t = f[ww + e] as number;
        for (let c = 1; c < count; c++) t = t + (f[ww + c * kk + e] as number);
        f[wwSum + e] = t;
      }
      job(3, hCount);
      H.data.set(f.subarray(hAt, hAt + k * n));
      // G = HHᵀ ← Σ_t H_tH_tᵀ, in chunk order; then D = W·G for every row at once
      const hh = layout.oHH / 8, g = layout.oG / 8;
      for (let e = 0; e < kk; e++) {
        let t = f[hh + e] as number;
        for (let c = 1; c < hCount; c++) t = t + (f[hh + c * kk + e] as number);
        f[g + e] = t;
      }
      muDenominator();
      job(1);
      W.data.set(f.subarray(wAt, wAt + m * k));
    },
    close(): void {
      if (single) {
        const holders = (singleHolders.get(lib.library) ?? 1) - 1;
        singleHolders.set(lib.library, holders);
        if (holders === 0) lib.setThreads?.(lib.threads);
      }
      single = false;
      open = false;
      held = null;
    },
  };
}

const STALL_MS = 30_000;

/** Counters of the passes run so far (see {@linkcode fusedPassStats}). */
const stats = { jobs: 0, chunks: 0, byCaller: 0 };

/** What {@linkcode fusedPassStats} reports. */
export interface FusedPassStats {
  /** Worker threads started so far, and those that have closed (idle). */
  workersStarted: number;
  workersClosed: number;
  /** Passes run, their chunks, and how many of those the calling thread ran itself. */
  passes: number;
  chunks: number;
  chunksByCaller: number;
}

/**
 * How the blas backend's fused passes shared their work in this process: whether worker threads
 * took chunks (where they cannot start, the calling thread runs every chunk).
 *
 * @example
 * ```ts
 * import { fusedPassStats } from "../mod.ts";
 * const s = fusedPassStats();
 * console.log(`${s.chunks - s.chunksByCaller} of ${s.chunks} chunks ran on workers`);
 * ```
 */
export function fusedPassStats(): FusedPassStats {
  let started = 0, closed = 0;
  for (const p of pools.values()) {
    if (p === null) continue;
    started += p.launched;
    closed += Atomics.load(p.ctl, QUIT);
  }
  return {
    workersStarted: started,
    workersClosed: closed,
    passes: stats.jobs,
    chunks: stats.chunks,
    chunksByCaller: stats.byCaller,
  };
}

function shareJob(
  p: Pool,
  id: number,
  kind: number,
  count: number,
  runHere: (kind: number, chunk: number) => void,
): number {
  const ctl = p.ctl;
  Atomics.store(ctl, KIND, kind);
  Atomics.store(ctl, PASS, id);
  Atomics.store(ctl, COUNT, count);
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, FAILED, 0);
  const gen = p.gen = (p.gen + 1) & 0x7ffff;
  Atomics.store(ctl, TICKET, gen << 12);
  Atomics.store(ctl, GEN, gen);
  Atomics.notify(ctl, GEN);
  const mine = servePass(ctl, gen, runHere);
  awaitChunks(ctl, count, {
    done: DONE,
    ticket: TICKET,
    failed: FAILED,
    spinMs: 1,
    stallMs: STALL_MS,
    stalled: "blas backend: a fused-pass worker thread stopped responding",
    failure: "blas backend: a fused-pass chunk failed in a worker thread",
  });
  return mine;
}
