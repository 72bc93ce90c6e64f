import assert from "node:assert/strict";
import {
  gemmInto,
  Matrix,
  nmf,
  portableThreads,
  releaseResident,
  residentCopy,
  scalarGemmInto,
  setPortableThreads,
  simdAvailable,
} from "../mod.ts";
import { heapAlloc, heapFree, heapReservedBytes, heapView } from "../linalg/wasm_heap.ts";
import { PARALLEL_MIN_WORK, runKernel } from "../linalg/wasm_threads.ts";
import { randomPositive, runDenoScript, withThreads } from "./fixtures.ts";

const simd = simdAvailable();

function maxRelativeDifference(A: Matrix, B: Matrix): number {
  let worst = 0;
  for (let i = 0; i < A.size; i++) {
    const a = A.data[i] as number, b = B.data[i] as number;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
  }
  return worst;
}

// Shapes above the parallel threshold, odd ones included (padding, uneven chunks).
const SHAPES: [number, number, number][] = [[2000, 1000, 20], [1201, 777, 13], [300, 1797, 16]];

Deno.test("the SIMD products give the same bits on 1 and 2 threads, resident or copied", {
  ignore: !simd,
}, () => {
  for (const [m, n, k] of SHAPES) {
    assert.ok(m * n * k >= PARALLEL_MIN_WORK, "shape large enough to be shared between threads");
    const V = randomPositive(m, n, 1), W = randomPositive(m, k, 2), H = randomPositive(k, n, 3);
    const R = residentCopy(V);
    const products = (data: Matrix) => {
      const WtV = gemmInto(Matrix.zeros(k, n), W, data, { transA: true });
      const VHt = gemmInto(Matrix.zeros(m, k), data, H, { transB: true });
      return [WtV, VHt];
    };
    const one = withThreads(1, () => products(V));
    const two = withThreads(2, () => products(V));
    assert.deepEqual(two[0]?.data, one[0]?.data, `WᵀV ${m}×${n}, k ${k}: 2 threads`);
    assert.deepEqual(two[1]?.data, one[1]?.data, `VHᵀ ${m}×${n}, k ${k}: 2 threads`);
    if (R !== null) {
      const resident = withThreads(2, () => products(R));
      assert.deepEqual(resident[0]?.data, one[0]?.data, `WᵀV with V resident`);
      assert.deepEqual(resident[1]?.data, one[1]?.data, `VHᵀ with V resident`);
      releaseResident(R);
    }
    // And all of them agree with the TypeScript kernel.
    const reference = scalarGemmInto(Matrix.zeros(k, n), W, V, { transA: true });
    assert.ok(maxRelativeDifference(one[0] as Matrix, reference) < 1e-12);
  }
});

Deno.test("a resident operand gives the product of its values on either side, all transposes", {
  ignore: !simd,
}, () => {
  const V = randomPositive(203, 157, 4); // odd sizes: the kernels read into the slack rows
  const R = residentCopy(V);
  if (R === null) return; // no shared memory in this engine
  try {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        // V on the left: op(V)·op(X)
        const X = transA
          ? randomPositive(transB ? 9 : 203, transB ? 203 : 9, 5)
          : randomPositive(transB ? 9 : 157, transB ? 157 : 9, 5);
        const rows = transA ? 157 : 203;
        const expected = scalarGemmInto(Matrix.zeros(rows, 9), V, X, { transA, transB });
        const got = withThreads(
          2,
          () => gemmInto(Matrix.zeros(rows, 9), R, X, { transA, transB, alpha: 1.5, beta: 0 }),
        );
        for (let i = 0; i < expected.size; i++) expected.data[i] = 1.5 * expected.data[i]!;
        assert.ok(maxRelativeDifference(got, expected) < 1e-12, `V left ${transA} ${transB}`);
        // V on the right: op(Y)·op(V)
        const Y = transB
          ? randomPositive(transA ? 157 : 11, transA ? 11 : 157, 6)
          : randomPositive(transA ? 203 : 11, transA ? 11 : 203, 6);
        const cols = transB ? 203 : 157;
        const expected2 = scalarGemmInto(Matrix.zeros(11, cols), Y, V, { transA, transB });
        const got2 = gemmInto(Matrix.zeros(11, cols), Y, R, { transA, transB });
        assert.ok(maxRelativeDifference(got2, expected2) < 1e-12, `V right ${transA} ${transB}`);
      }
    }
  } finally {
    releaseResident(R);
  }
});

Deno.test("residentCopy() refuses non-finite entries, and releasing frees its memory", {
  ignore: !simd,
}, () => {
  const bad = Matrix.fromRows([[1, Infinity], [0, 2]]);
  assert.equal(residentCopy(bad), null);
  const before = heapReservedBytes();
  const R = residentCopy(randomPositive(300, 200, 7));
  if (R === null) return;
  assert.ok(heapReservedBytes() >= before + 300 * 200 * 8);
  releaseResident(R);
  assert.equal(heapReservedBytes(), before);
  releaseResident(R); // twice is harmless
  assert.equal(heapReservedBytes(), before);
});

Deno.test("nmf() on the portable backend gives the same factors on 1 and 2 threads and frees V's copy", () => {
  const V = randomPositive(400, 300, 8);
  const options = {
    rank: 8,
    solver: "mu" as const,
    backend: "portable" as const,
    maxIter: 20,
    tol: 0,
    seed: 3,
  };
  const before = heapReservedBytes();
  const one = withThreads(1, () => nmf(V, options));
  const two = withThreads(2, () => nmf(V, options));
  assert.deepEqual(two.W.data, one.W.data);
  assert.deepEqual(two.H.data, one.H.data);
  assert.equal(heapReservedBytes(), before, "the resident copy of V is released after the fit");
});

Deno.test("setPortableThreads() validates its argument and returns the previous value", () => {
  assert.throws(() => setPortableThreads(0), {
    name: "RangeError",
    message: /count must be between 1 and 64, got 0/,
  });
  assert.throws(() => setPortableThreads(1.5), { name: "TypeError", message: /got 1.5/ });
  assert.throws(() => setPortableThreads("2" as unknown as number), { name: "TypeError" });
  const before = setPortableThreads(3);
  assert.equal(setPortableThreads(before), 3);
  assert.ok(portableThreads() >= 1);
});

Deno.test("worker threads do not keep a finished script alive", { ignore: !simd }, async () => {
  const started = performance.now();
  const run = await runDenoScript(
    `import { gemmInto, Matrix, portableThreads, setPortableThreads } from "MOD";
     setPortableThreads(2);
     const A = Matrix.filled(600, 500, 1), B = Matrix.filled(600, 40, 2);
     const out = gemmInto(Matrix.zeros(500, 40), A, B, { transA: true });
     console.log(portableThreads(), out.data[0]);`,
    [],
  );
  const seconds = (performance.now() - started) / 1000;
  assert.ok(run.success, run.stderr);
  assert.match(run.stdout, /^\d+ 1200\n$/);
  // The workers close themselves 0.25 s after their last product; a hung process would take the
  // test's whole time limit. (A generous bound: process start-up dominates.)
  assert.ok(seconds < 20, `script took ${seconds} s`);
});

Deno.test("once portableThreadsReady() resolves, workers take chunks of every large product", {
  ignore: !simd,
}, async () => {
  const run = await runDenoScript(
    `import { gemmInto, Matrix, portableThreadsReady, portableThreadStats, residentCopy,
       setPortableThreads } from "MOD";
     setPortableThreads(2);
     const ready = await portableThreadsReady();
     const M = Matrix.generate(1000, 800, (i, j) => (i * 3 + j) % 7), V = residentCopy(M) ?? M;
     const W = Matrix.generate(1000, 12, (i, j) => (i + j) % 5);
     const before = portableThreadStats();
     for (let i = 0; i < 20; i++) gemmInto(Matrix.zeros(12, 800), W, V, { transA: true });
     const after = portableThreadStats();
     console.log(JSON.stringify({
       ready,
       shared: after.sharedJobs - before.sharedJobs,
       byWorkers: (after.chunks - after.chunksByCaller) - (before.chunks - before.chunksByCaller),
     }));`,
    [],
  );
  assert.ok(run.success, run.stderr);
  const r = JSON.parse(run.stdout);
  assert.equal(r.ready, 2);
  assert.equal(r.shared, 20, "every product was shared");
  assert.ok(r.byWorkers > 0, `workers ran ${r.byWorkers} chunks`);
});

Deno.test(
  "parkWorkers() (called by the blas backend) keeps results and lets workers take chunks again",
  {
    ignore: !simd,
  },
  async () => {
    const run = await runDenoScript(
      `import { gemmInto, Matrix, portableThreadsReady, portableThreadStats, residentCopy,
       scalarGemmInto, setPortableThreads } from "MOD";
     const { parkWorkers } = await import(new URL("./linalg/wasm_threads.ts", "MOD").href);
     setPortableThreads(2);
     await portableThreadsReady();
     const M = Matrix.generate(1000, 800, (i, j) => (i * 3 + j) % 7), V = residentCopy(M) ?? M;
     const W = Matrix.generate(1000, 12, (i, j) => (i + j) % 5);
     const want = scalarGemmInto(Matrix.zeros(12, 800), W, M, { transA: true });
     const same = (X) => X.data.every((x, i) => x === want.data[i]);
     const workerChunks = () => {
       const s = portableThreadStats();
       return s.chunks - s.chunksByCaller;
     };
     let equal = true;
     parkWorkers(); // parked: shared jobs neither spin nor wait spinning for the workers
     const before = workerChunks();
     for (let i = 0; i < 20; i++) equal &&= same(gemmInto(Matrix.zeros(12, 800), W, V, { transA: true }));
     const parked = workerChunks() - before;
     await new Promise((r) => setTimeout(r, 150)); // the park lapses
     const later = workerChunks();
     for (let i = 0; i < 20; i++) equal &&= same(gemmInto(Matrix.zeros(12, 800), W, V, { transA: true }));
     console.log(JSON.stringify({ equal, parked, spinning: workerChunks() - later }));`,
      [],
    );
    assert.ok(run.success, run.stderr);
    const r = JSON.parse(run.stdout);
    assert.equal(r.equal, true, "every product equals the scalar kernel's (integers: exact)");
    assert.ok(r.parked > 0, `parked workers still woke for ${r.parked} chunks`);
    assert.ok(r.spinning > 0, `workers ran ${r.spinning} chunks after the park`);
  },
);

/** Run a product in a fresh process after `setup` removed something from the engine. */
async function fallbackRun(setup: string) {
  const run = await runDenoScript(
    `${setup}
     const { gemmInto, Matrix, nmf, portableThreads, residentCopy, scalarGemmInto, simdAvailable } =
       await import("MOD");
     const A = Matrix.generate(300, 200, (i, j) => (i * 7 + j * 3) % 11);
     const B = Matrix.generate(300, 90, (i, j) => (i + j) % 5);
     const got = gemmInto(Matrix.zeros(200, 90), A, B, { transA: true });
     const want = scalarGemmInto(Matrix.zeros(200, 90), A, B, { transA: true });
     const fit = nmf(A, { rank: 4, backend: "portable", maxIter: 5, seed: 1 });
     console.log(JSON.stringify({
       simd: simdAvailable(),
       threads: portableThreads(),
       resident: residentCopy(A) !== null,
       equal: got.data.every((x, i) => Math.abs(x - want.data[i]) <= 1e-9 * Math.abs(want.data[i])),
       finite: Number.isFinite(fit.loss),
     }));`,
    [],
  );
  assert.ok(run.success, run.stderr);
  return JSON.parse(run.stdout);
}

Deno.test("without SharedArrayBuffer the kernels run unshared on one thread, nothing resident", {
  ignore: !simd,
}, async () => {
  const r = await fallbackRun("delete globalThis.SharedArrayBuffer;");
  assert.deepEqual(r, { simd: true, threads: 1, resident: false, equal: true, finite: true });
});

Deno.test("where the calling thread may not block (a browser's main thread) products stay on it", {
  ignore: !simd,
}, async () => {
  const r = await fallbackRun(
    `Atomics.wait = () => { throw new TypeError("Atomics.wait cannot be called in this context"); };`,
  );
  assert.deepEqual(r, { simd: true, threads: 1, resident: true, equal: true, finite: true });
});

Deno.test("without Worker the products stay on the calling thread", { ignore: !simd }, async () => {
  const r = await fallbackRun("delete globalThis.Worker;");
  assert.deepEqual(r, { simd: true, threads: 1, resident: true, equal: true, finite: true });
});

Deno.test("without WebAssembly the TypeScript kernel computes every product", async () => {
  const r = await fallbackRun("delete globalThis.WebAssembly;");
  assert.deepEqual(r, { simd: false, threads: 1, resident: false, equal: true, finite: true });
});

Deno.test(
  "a product run with overwrite writes C over NaN garbage, the same bits as adding into zeros",
  {
    ignore: !simd,
  },
  () => {
    // TN: C (M×N) += Atᵀ·B with At K×M, B K×N; NT: C (M×N) += A·Btᵀ with A M×K, Bt N×K. Sizes even,
    // one large enough to be shared between threads and one not, K past one inner block of each.
    for (const [M, N, K] of [[20, 1000, 2100], [16, 10, 64]] as const) {
      const elements = 2 * K * Math.max(M, N) + 2 * M * N;
      const base = heapAlloc(elements * 8);
      assert.ok(base >= 0);
      try {
        const b = base / 8, heap = heapView();
        for (let i = 0; i < 2 * K * Math.max(M, N); i++) heap[b + i] = Math.sin(i + 1);
        const pa = base, pb = base + 8 * K * Math.max(M, N);
        const c0 = b + 2 * K * Math.max(M, N), c1 = c0 + M * N;
        for (const threads of [1, 2]) {
          withThreads(threads, () => {
            for (const kernel of ["kernelTN", "kernelNT"] as const) {
              const [lda, ldb] = kernel === "kernelTN" ? [M, N] : [K, K];
              heap.fill(0, c0, c0 + M * N);
              heap.fill(NaN, c1, c1 + M * N);
              runKernel(kernel, M * N * K, pa, pb, 8 * c0, M, N, K, lda, ldb, N, 0);
              runKernel(kernel, M * N * K, pa, pb, 8 * c1, M, N, K, lda, ldb, N, 1);
              const added = new BigUint64Array(heap.buffer, 8 * c0, M * N);
              const written = new BigUint64Array(heap.buffer, 8 * c1, M * N);
              assert.deepEqual(written, added, `${kernel} ${M}×${N}×${K}, ${threads} thread(s)`);
              assert.ok(heap.subarray(c1, c1 + M * N).every(Number.isFinite));
            }
          });
        }
      } finally {
        heapFree(base);
      }
    }
  },
);
