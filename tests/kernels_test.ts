import assert from "node:assert/strict";
import fc from "fast-check";
import {
  createRng,
  gemmInto,
  type GemmOptions,
  Matrix,
  scalarGemmInto,
  simdAvailable,
} from "../mod.ts";
import { simdGemm } from "../linalg/gemm_simd.ts";

type Gemm = (out: Matrix, A: Matrix, B: Matrix, options: GemmOptions) => Matrix;

/** The SIMD path called directly, whatever the size (gemmInto only uses it for large products). */
const simdOnly: Gemm = (out, A, B, options) => {
  const m = out.rows, n = out.cols, k = options.transA ? A.rows : A.cols;
  if (m === 0 || n === 0 || k === 0) return scalarGemmInto(out, A, B, options);
  const done = simdGemm(
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
  );
  assert.ok(done, "simdGemm declined");
  return out;
};

const KERNELS: [string, Gemm][] = [["gemmInto", gemmInto], ["scalarGemmInto", scalarGemmInto]];
if (simdAvailable()) KERNELS.push(["simdGemm", simdOnly]);
else console.log("WebAssembly SIMD unavailable here: the simdGemm cases are skipped");

/** The textbook triple loop, the reference every fast kernel is checked against. */
function naiveGemm(
  out: Matrix,
  A: Matrix,
  B: Matrix,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
): Matrix {
  const m = out.rows, n = out.cols, k = transA ? A.rows : A.cols;
  const result = Matrix.zeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const a = transA ? A.get(p, i) : A.get(i, p);
        const b = transB ? B.get(j, p) : B.get(p, j);
        s += a * b;
      }
      result.set(i, j, alpha * s + (beta === 0 ? 0 : beta * out.get(i, j)));
    }
  }
  return result;
}

function random(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(rows, cols, () => rng.uniform() * 2 - 1);
}

function maxRelativeDifference(X: Matrix, Y: Matrix): number {
  let worst = 0;
  for (let i = 0; i < X.data.length; i++) {
    const x = X.data[i] as number, y = Y.data[i] as number;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }
  return worst;
}

function checkCase(
  gemm: Gemm,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
  seed: number,
): void {
  const A = transA ? random(k, m, seed) : random(m, k, seed);
  const B = transB ? random(n, k, seed + 1) : random(k, n, seed + 1);
  const out = random(m, n, seed + 2);
  const expected = naiveGemm(out, A, B, transA, transB, alpha, beta);
  gemm(out, A, B, { transA, transB, alpha, beta });
  assert.ok(
    maxRelativeDifference(out, expected) < 1e-12,
    `m=${m} n=${n} k=${k} transA=${transA} transB=${transB} alpha=${alpha} beta=${beta}`,
  );
}

Deno.test("gemmInto(), scalarGemmInto() and the SIMD kernels match the naive triple loop on random small shapes, all transposes, any alpha and beta", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 0, max: 11 }),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom(1, 0, -1, 0.5, 2.5),
      fc.constantFrom(0, 1, -0.5, 3),
      fc.integer({ min: 1, max: 1000 }),
      (m, n, k, transA, transB, alpha, beta, seed) => {
        for (const [, gemm] of KERNELS) checkCase(gemm, m, n, k, transA, transB, alpha, beta, seed);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("every kernel matches the naive triple loop across block boundaries (odd sizes over 128, 256 and 512)", () => {
  const shapes: [number, number, number][] = [[131, 9, 259], [5, 517, 261], [1, 1, 300], [
    130,
    3,
    7,
  ]];
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const [, gemm] of KERNELS) {
          checkCase(gemm, m, n, k, transA, transB, 1.5, 0.5, m + n + k);
        }
      }
    }
  }
});

Deno.test("every kernel gives a Gram product AᵀA or AAᵀ (one matrix on both sides, copied once by simdGemm)", () => {
  // Rows/columns that are and are not multiples of the kernels' 2- and 4-wide tiles, and one
  // large enough to be shared between threads.
  const shapes: [number, number][] = [[16, 1797], [64, 16], [5, 9], [8, 300], [12, 7], [
    24,
    50_000,
  ]];
  for (const [rows, cols] of shapes) {
    const A = random(rows, cols, rows + cols);
    for (const [transA, transB] of [[true, false], [false, true]] as const) {
      const size = transA ? cols : rows;
      if (size * size * (transA ? rows : cols) > 3e7) continue; // the naive loop would be slow
      for (const [, gemm] of KERNELS) {
        const out = random(size, size, 7);
        const expected = naiveGemm(out, A, A, transA, transB, 1.5, 0.5);
        gemm(out, A, A, { transA, transB, alpha: 1.5, beta: 0.5 });
        assert.ok(
          maxRelativeDifference(out, expected) < 1e-12,
          `${rows}×${cols} transA=${transA} transB=${transB}`,
        );
        const plain = gemm(Matrix.zeros(size, size), A, A, { transA, transB });
        const copy = A.clone();
        const twoCopies = gemm(Matrix.zeros(size, size), A, copy, { transA, transB });
        assert.deepEqual(plain.data, twoCopies.data, "the same bits as with two separate copies");
      }
    }
  }
});

Deno.test("every kernel with beta 0 overwrites NaN in out", () => {
  const A = Matrix.fromRows([[1, 2], [3, 4]]);
  for (const [name, gemm] of KERNELS) {
    const out = Matrix.filled(2, 2, NaN);
    gemm(out, A, A, { beta: 0 });
    assert.deepEqual(out.toRows(), [[7, 10], [15, 22]], name);
  }
  const big = Matrix.generate(40, 40, (i, j) => i - j);
  const out = Matrix.filled(40, 40, NaN);
  gemmInto(out, big, big, {}); // 64000 multiply-adds: the SIMD path where available
  assert.ok(out.data.every(Number.isFinite));
});

Deno.test("gemmInto() of a 1×1 product, and of an empty inner dimension, scales out by beta", () => {
  const out = Matrix.fromRows([[2]]);
  gemmInto(out, Matrix.fromRows([[3]]), Matrix.fromRows([[4]]), { alpha: 2, beta: 1 });
  assert.deepEqual(out.toRows(), [[26]]);
  const out2 = Matrix.fromRows([[1, 2], [3, 4]]);
  gemmInto(out2, Matrix.zeros(2, 0), Matrix.zeros(0, 2), { beta: 2 });
  assert.deepEqual(out2.toRows(), [[2, 4], [6, 8]]);
});

Deno.test("gemmInto() rejects mismatched inner dimensions, a wrong out shape and aliasing", () => {
  const A = Matrix.zeros(2, 3);
  assert.throws(() => gemmInto(Matrix.zeros(2, 2), A, A), TypeError);
  assert.throws(() => gemmInto(Matrix.zeros(3, 3), A, A, { transB: true }), /out is 3×3/);
  const S = Matrix.zeros(2, 2);
  assert.throws(() => gemmInto(S, S, Matrix.identity(2)), /alias/);
});

Deno.test("the embedded WebAssembly binaries are the ones linalg/kernels.wat compiles to", async () => {
  const { compileKernels, toBase64 } = await import("../scripts/build_wasm.ts");
  const { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } = await import(
    "../linalg/kernels_wasm.ts"
  );
  const text = await Deno.readTextFile(new URL("../linalg/kernels.wat", import.meta.url));
  const { shared, unshared } = await compileKernels(text);
  assert.equal(
    toBase64(shared),
    KERNELS_WASM_SHARED_BASE64,
    "rebuild: deno run -A scripts/build_wasm.ts",
  );
  assert.equal(
    toBase64(unshared),
    KERNELS_WASM_BASE64,
    "rebuild: deno run -A scripts/build_wasm.ts",
  );
});
