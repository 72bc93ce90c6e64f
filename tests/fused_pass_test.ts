import assert from "node:assert/strict";
import {
  type BlasBackend,
  createRng,
  type DriverResult,
  FUSED_MAX_RANK,
  FUSED_MIN_ENTRIES,
  fusedBlockRows,
  fusedPassStats,
  fusedSubRows,
  gemmInto,
  loadBlas,
  Matrix,
  nmf,
  type NmfOptions,
  openFusedPass,
  runSolver,
  setBlasFusedPass,
  type Solver,
  SOLVERS,
} from "../mod.ts";
import { halsSweepInto } from "../solvers/hals.ts";
import { relativeDistance, runDenoScript } from "./fixtures.ts";

// deno-lint-ignore no-explicit-any
function solverNamed(name: "mu" | "hals"): Solver<any> {
  const solver = SOLVERS[name];
  if (solver === undefined) throw new Error(`no solver ${name}`);
  return solver;
}

const blas = loadBlas();
const skip = typeof blas === "string";
if (skip) console.log(`fused pass tests skipped: ${blas}`);

/** A noisy planted problem large enough for the fused pass (m·n ≥ FUSED_MIN_ENTRIES). */
function problem(m = 703, n = 400, k = 10, seed = 5): Matrix {
  const rng = createRng(seed);
  const W = Matrix.generate(m, k, () => rng.uniform());
  const H = Matrix.generate(k, n, () => rng.uniform());
  const V = W.multiply(H);
  for (let i = 0; i < V.data.length; i++) V.data[i] = (V.data[i] as number) + 0.1 * rng.uniform();
  return V;
}

/** Run `f` with a function that reads OpenBLAS's thread count (the library opened for the test). */
function withThreadCount(library: string, f: (threadsNow: () => number) => void): void {
  const lib = Deno.dlopen(
    library,
    {
      openblas_get_num_threads: { parameters: [], result: "i32" },
    } as const,
  );
  try {
    f(() => lib.symbols.openblas_get_num_threads());
  } finally {
    lib.close();
  }
}

function withFused<T>(enabled: boolean, f: () => T): T {
  const before = setBlasFusedPass(enabled);
  try {
    return f();
  } finally {
    setBlasFusedPass(before);
  }
}

const cases: { name: string; options: Omit<NmfOptions, "rank"> }[] = [
  { name: "mu", options: { solver: "mu" } },
  { name: "mu with penalties", options: { solver: "mu", l1W: 0.05, l2W: 0.2, l1H: 0.01 } },
  { name: "hals, one sweep", options: { solver: "hals", innerMaxIter: 1 } },
  {
    name: "hals, one sweep, penalties",
    options: { solver: "hals", innerMaxIter: 1, l1W: 0.05, l2W: 0.2, l2H: 0.1 },
  },
];

Deno.test({
  name: "the blas fused pass gives the portable backend's factors to 1e-10 (mu, one-sweep hals)",
  ignore: skip,
  fn() {
    const V = problem();
    assert.ok(V.rows * V.cols >= FUSED_MIN_ENTRIES);
    for (const { name, options } of cases) {
      const base = { ...options, rank: 10, maxIter: 80, tol: 0, seed: 3 };
      const before = fusedPassStats().passes;
      const fused = withFused(true, () => nmf(V, { ...base, backend: "blas" }));
      const passes = fusedPassStats().passes - before;
      // one pass per iteration, plus the first WᵀV
      assert.equal(passes, 81, `${name}: passes run`);
      const portable = nmf(V, { ...base, backend: "portable" });
      assert.equal(fused.backend, "blas");
      assert.ok(relativeDistance(fused.W, portable.W) < 1e-10, `${name}: W`);
      assert.ok(relativeDistance(fused.H, portable.H) < 1e-10, `${name}: H`);
      const last = fused.trace[fused.trace.length - 1], ref = portable.trace.at(-1);
      assert.ok(Math.abs((last?.loss ?? NaN) - (ref?.loss ?? NaN)) <= 1e-10 * (ref?.loss ?? 1));
    }
  },
});

Deno.test({
  name:
    "the pass's block shapes (sub-products, large blocks, one product per block) agree to 1e-10",
  ignore: skip,
  fn() {
    // 32-row blocks in 32-row products (above); 128-row blocks in 24-row products; 32-row blocks
    // in one product each (k·n too large for OpenBLAS's unpacked kernel). Odd m: a padding column.
    const shapes = [
      { m: 301, n: 2000, k: 20, rows: 128, sub: 24 },
      { m: 41, n: 8000, k: FUSED_MAX_RANK, rows: 32, sub: 0 },
    ];
    assert.equal(fusedBlockRows(400, 10), 32);
    assert.equal(fusedSubRows(400, 10, 32), 32);
    for (const { m, n, k, rows, sub } of shapes) {
      assert.equal(fusedBlockRows(n, k), rows);
      assert.equal(fusedSubRows(n, k, rows), sub);
      const V = problem(m, n, k, 11);
      for (const { name, options } of [cases[1], cases[3]].filter((c) => c !== undefined)) {
        const base = { ...options, rank: k, maxIter: 15, tol: 0, seed: 2 };
        const before = fusedPassStats().passes;
        const fused = withFused(true, () => nmf(V, { ...base, backend: "blas" }));
        assert.equal(fusedPassStats().passes - before, 16, `${m}×${n} ${name}: passes run`);
        const portable = nmf(V, { ...base, backend: "portable" });
        assert.ok(relativeDistance(fused.W, portable.W) < 1e-10, `${m}×${n} ${name}: W`);
        assert.ok(relativeDistance(fused.H, portable.H) < 1e-10, `${m}×${n} ${name}: H`);
      }
    }
  },
});

Deno.test({
  name: "with the fused pass off, blas runs no pass and gives the same factors to 1e-10",
  ignore: skip,
  fn() {
    const V = problem();
    const base = { solver: "mu", rank: 10, maxIter: 40, tol: 0, seed: 4 } as const;
    const before = fusedPassStats().passes;
    const separate = withFused(false, () => nmf(V, { ...base, backend: "blas" }));
    assert.equal(fusedPassStats().passes, before);
    const fused = withFused(true, () => nmf(V, { ...base, backend: "blas" }));
    assert.ok(fusedPassStats().passes > before);
    assert.ok(relativeDistance(fused.W, separate.W) < 1e-10);
    assert.ok(relativeDistance(fused.H, separate.H) < 1e-10);
    assert.throws(() => setBlasFusedPass(1 as never), TypeError);
  },
});

Deno.test({
  name: "a W changed by onIteration between steps is picked up by the fused pass",
  ignore: skip,
  fn() {
    const V = problem();
    for (const solver of ["mu", "hals"] as const) {
      const base: NmfOptions = {
        solver,
        rank: 10,
        maxIter: 30,
        tol: 0,
        seed: 6,
        ...(solver === "hals" ? { innerMaxIter: 1 } : {}),
        onIteration: ({ iteration, W }) => {
          if (iteration === 7) { for (let i = 0; i < W.data.length; i += 3) W.data[i] = 0.5; }
        },
      };
      const fused = nmf(V, { ...base, backend: "blas" });
      const portable = nmf(V, { ...base, backend: "portable" });
      assert.ok(relativeDistance(fused.W, portable.W) < 1e-10, solver);
      assert.ok(relativeDistance(fused.H, portable.H) < 1e-10, solver);
    }
  },
});

Deno.test({
  name: "the fused pass gives the same bits on one thread and on two (chunks fixed by m)",
  ignore: skip,
  async fn() {
    const one = loadBlas({ threads: 1 }), two = loadBlas({ threads: 2 });
    if (typeof one === "string" || typeof two === "string") return;
    const V = problem(817, 330, 9, 8);
    for (const solverName of ["mu", "hals"] as const) {
      const run = (backend: BlasBackend) => {
        const rng = createRng(2);
        const W = Matrix.generate(V.rows, 9, () => rng.uniform());
        const H = Matrix.generate(9, V.cols, () => rng.uniform());
        const stats = fusedPassStats();
        const result: DriverResult = runSolver(solverNamed(solverName), {
          V,
          W,
          H,
          beta: 2,
          penalties: { l1W: 0.01, l1H: 0, l2W: 0.1, l2H: 0 },
          backend,
          settings: { innerMaxIter: 1 },
        }, { maxIter: 25, tol: 0, maxSeconds: Infinity, traceEvery: 5 });
        const after = fusedPassStats();
        return {
          result,
          passes: after.passes - stats.passes,
          byWorkers: after.chunks - after.chunksByCaller - (stats.chunks - stats.chunksByCaller),
        };
      };
      const a = run(one);
      // The first runs start the worker thread (a few ms, longer on a loaded machine): run until
      // one of them has shared chunks with it, at most 20 times.
      let b = run(two);
      for (let attempt = 0; attempt < 20 && b.byWorkers === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        b = run(two);
      }
      assert.equal(a.passes, 26);
      assert.equal(b.passes, 26);
      assert.equal(a.byWorkers, 0);
      assert.ok(b.byWorkers > 0, "a worker thread took chunks");
      assert.deepEqual(Array.from(a.result.W.data), Array.from(b.result.W.data), solverName);
      assert.deepEqual(Array.from(a.result.H.data), Array.from(b.result.H.data), solverName);
    }
    loadBlas(); // back to the default thread count
  },
});

Deno.test({
  name: "a fused fit sets OpenBLAS to one thread while it runs and restores the count after",
  ignore: skip,
  fn() {
    if (typeof blas === "string" || blas.threads === null) return;
    withThreadCount(blas.library, (threadsNow) => {
      const before = threadsNow();
      const during: number[] = [];
      nmf(problem(), {
        rank: 10,
        solver: "mu",
        maxIter: 5,
        tol: 0,
        backend: "blas",
        onIteration: () => {
          during.push(threadsNow());
        },
      });
      assert.deepEqual(during, [1, 1, 1, 1, 1]);
      assert.equal(threadsNow(), before);
    });
  },
});

Deno.test({
  name: "openFusedPass: null for a small V; run before start throws; Q is WᵀV after start",
  ignore: skip,
  fn() {
    if (typeof blas === "string" || blas.openFusedPass === undefined) return;
    assert.equal(blas.openFusedPass(Matrix.filled(200, 300, 1), 3, "mu"), null); // small V
    assert.equal(blas.openFusedPass(problem(), FUSED_MAX_RANK + 1, "mu"), null); // large k
    const V = problem(700, 400, 12, 9);
    const pass = blas.openFusedPass(V, 12, "mu");
    assert.ok(pass !== null);
    try {
      const rng = createRng(1);
      const W = Matrix.generate(700, 12, () => rng.uniform());
      const H = Matrix.generate(12, 400, () => rng.uniform());
      const Q = Matrix.zeros(12, 400);
      assert.equal(pass.matches(W), false);
      assert.throws(
        () => pass.run(W, H, Matrix.zeros(12, 12), Q, { l1: 0, l2: 0 }),
        /start\(W, Q\) first/,
      );
      pass.start(W, Q);
      assert.ok(pass.matches(W));
      const expected = gemmInto(Matrix.zeros(12, 400), W, V, { transA: true });
      assert.ok(relativeDistance(Q, expected) < 1e-12);
      // one MU update of W: W ⊙ VHᵀ / (W·HHᵀ), and Q = WᵀV for the new W
      const G = gemmInto(Matrix.zeros(12, 12), H, H, { transB: true });
      const num = gemmInto(Matrix.zeros(700, 12), V, H, { transB: true });
      const den = gemmInto(Matrix.zeros(700, 12), W, G);
      const next = Matrix.generate(700, 12, (i, a) => W.get(i, a) * num.get(i, a) / den.get(i, a));
      pass.run(W, H, G, Q, { l1: 0, l2: 0 });
      assert.ok(relativeDistance(W, next) < 1e-12);
      const after = gemmInto(Matrix.zeros(12, 400), W, V, { transA: true });
      assert.ok(relativeDistance(Q, after) < 1e-12);
      W.set(0, 0, W.get(0, 0) + 1);
      assert.equal(pass.matches(W), false);
    } finally {
      pass.close();
    }
    assert.throws(() => pass.start(Matrix.zeros(700, 12), Matrix.zeros(12, 400)), /closed/);
  },
});

Deno.test({
  name: "FusedPass.stepMu: one whole MU sweep (H, then W) as the formulas, penalties included",
  ignore: skip,
  fn() {
    if (typeof blas === "string" || blas.openFusedPass === undefined) return;
    const V = problem(700, 401, 12, 9);
    const rng = createRng(4);
    const W = Matrix.generate(700, 12, () => rng.uniform());
    const H = Matrix.generate(12, 401, () => rng.uniform());
    const penalties = { l1W: 0.02, l2W: 0.3, l1H: 0.05, l2H: 0.7 };
    const cd = blas.openFusedPass(V, 12, "cd");
    assert.ok(cd !== null);
    try {
      assert.throws(() => cd.stepMu(W, H, penalties), /opened for "cd"/);
    } finally {
      cd.close();
    }
    const pass = blas.openFusedPass(V, 12, "mu");
    assert.ok(pass !== null);
    try {
      assert.throws(() => pass.stepMu(W, H, penalties), /start\(W, Q\) first/);
      pass.start(W, Matrix.zeros(12, 401));
      for (let step = 0; step < 3; step++) {
        const WtV = gemmInto(Matrix.zeros(12, 401), W, V, { transA: true });
        const WtW = gemmInto(Matrix.zeros(12, 12), W, W, { transA: true });
        const denH = gemmInto(Matrix.zeros(12, 401), WtW, H);
        const nextH = Matrix.generate(12, 401, (a, j) => {
          const x = H.get(a, j);
          return x * WtV.get(a, j) / (denH.get(a, j) + penalties.l1H + penalties.l2H * x);
        });
        const G = gemmInto(Matrix.zeros(12, 12), nextH, nextH, { transB: true });
        const num = gemmInto(Matrix.zeros(700, 12), V, nextH, { transB: true });
        const den = gemmInto(Matrix.zeros(700, 12), W, G);
        const nextW = Matrix.generate(700, 12, (i, a) => {
          const x = W.get(i, a);
          return x * num.get(i, a) / (den.get(i, a) + penalties.l1W + penalties.l2W * x);
        });
        pass.stepMu(W, H, penalties);
        assert.ok(relativeDistance(H, nextH) < 1e-12, `step ${step}: H`);
        assert.ok(relativeDistance(W, nextW) < 1e-12, `step ${step}: W`);
        assert.ok(pass.matches(W));
      }
      W.set(3, 2, W.get(3, 2) * 2);
      assert.equal(pass.matches(W), false);
    } finally {
      pass.close();
    }
  },
});

Deno.test({
  name: "the driver releases a solver's state when the run ends, also when a step throws",
  fn() {
    const released: string[] = [];
    const base = solverNamed("mu");
    // deno-lint-ignore no-explicit-any
    const solver: Solver<any> = {
      ...base,
      release: () => {
        released.push("released");
      },
    };
    const V = problem(30, 20, 3);
    const context = {
      V,
      W: Matrix.filled(30, 3, 1),
      H: Matrix.filled(3, 20, 1),
      beta: 2,
      penalties: { l1W: 0, l1H: 0, l2W: 0, l2H: 0 },
      backend: { name: "portable", gemmInto },
      settings: {},
    };
    const options = { maxIter: 5, tol: 0, maxSeconds: Infinity, traceEvery: 1 };
    runSolver(solver, context, options);
    assert.deepEqual(released, ["released"]);
    // deno-lint-ignore no-explicit-any
    const failing: Solver<any> = {
      ...solver,
      step: () => {
        throw new Error("step failed");
      },
    };
    assert.throws(() => runSolver(failing, context, options), /step failed/);
    assert.deepEqual(released, ["released", "released"]);
  },
});

Deno.test({
  name: "a script whose fit used fused-pass threads exits by itself (idle workers close)",
  ignore: skip,
  async fn() {
    const code = `import { Matrix, nmf, fusedPassStats } from "MOD";
const V = Matrix.generate(700, 400, (i, j) => 1 + ((i * 7 + j * 3) % 11));
const r = nmf(V, { rank: 10, solver: "mu", maxIter: 50, tol: 0, backend: "blas" });
await new Promise((resolve) => setTimeout(resolve, 50));
nmf(V, { rank: 10, solver: "mu", maxIter: 50, tol: 0, backend: "blas" });
console.log(r.backend, fusedPassStats().workersStarted >= 1);`;
    const started = Date.now();
    const run = await runDenoScript(code, ["--allow-ffi", "--allow-read", "--allow-env"]);
    assert.ok(run.success, run.stderr);
    assert.equal(run.stdout.trim(), "blas true");
    assert.ok(Date.now() - started < 30_000);
  },
});

Deno.test({
  name:
    "a pass copies through daxpy and domatcopy with the same bits as its loops, and notices edits",
  ignore: skip,
  fn() {
    if (typeof blas === "string") return;
    assert.ok(blas.fusedLibrary.daxpy, "CBLAS has cblas_daxpy");
    // domatcopy is OpenBLAS's own (a reference CBLAS, with no thread control, lacks it)
    if (blas.threads !== null) assert.ok(blas.fusedLibrary.omatcopy, "OpenBLAS has domatcopy");
    const m = 1001, n = 263, k = 14; // odd m: Wᵀ has a padding column
    const V = problem(m, n, k, 12);
    const rng = createRng(6);
    const W0 = Matrix.generate(m, k, () => rng.uniform());
    const H = Matrix.generate(k, n, () => rng.uniform());
    const G = gemmInto(Matrix.zeros(k, k), H, H, { transB: true });
    for (const update of ["mu", "cd"] as const) {
      const libraries = [blas.fusedLibrary, { ...blas.fusedLibrary, daxpy: null, omatcopy: null }];
      const runs: number[][][] = libraries.map(
        (library) => {
          const pass = openFusedPass(V, { k, update, library });
          assert.ok(pass !== null);
          try {
            const W = W0.clone(), Q = Matrix.zeros(k, n), starts = Matrix.zeros(k, n);
            pass.start(W, starts);
            assert.ok(pass.matches(W));
            pass.run(W, H, G, Q, { l1: 0.01, l2: 0 });
            assert.ok(pass.matches(W));
            W.data[W.data.length - 1] = (W.data[W.data.length - 1] as number) + 1;
            assert.ok(!pass.matches(W), "an edit of W after the pass is noticed");
            return [starts, Q, W].map((X) => Array.from(X.data));
          } finally {
            pass.close();
          }
        },
      );
      assert.deepEqual(runs[0], runs[1], update);
    }
  },
});

Deno.test({
  name: "a HALS pass: WebAssembly and TypeScript sweeps give the same bits, and one exact sweep",
  ignore: skip,
  fn() {
    if (typeof blas === "string") return;
    const m = 1001, n = 263, k = 14;
    const V = problem(m, n, k, 11);
    const rng = createRng(4);
    const W0 = Matrix.generate(m, k, () => rng.uniform());
    const H = Matrix.generate(k, n, () => rng.uniform());
    const G = gemmInto(Matrix.zeros(k, k), H, H, { transB: true });
    for (let a = 0; a < k; a++) G.set(a, a, G.get(a, a) + 0.3); // l2W
    const l1 = 0.02;
    const results = (["wasm", "typescript"] as const).map((sweep) => {
      const pass = openFusedPass(V, { k, update: "cd", library: blas.fusedLibrary, sweep });
      assert.ok(pass !== null);
      try {
        const W = W0.clone(), Q = Matrix.zeros(k, n);
        pass.start(W, Q);
        pass.run(W, H, G, Q, { l1, l2: 0 });
        return { W, Q };
      } finally {
        pass.close();
      }
    });
    const [wasm, ts] = results as [{ W: Matrix; Q: Matrix }, { W: Matrix; Q: Matrix }];
    assert.deepEqual(Array.from(wasm.W.data), Array.from(ts.W.data));
    // the sweep of solvers/hals.ts on Wᵀ with C = HVᵀ − l1
    const Wt = Matrix.generate(k, m, (a, i) => W0.get(i, a));
    const C = gemmInto(Matrix.zeros(k, m), H, V, { transB: true });
    for (let i = 0; i < C.data.length; i++) C.data[i] = (C.data[i] as number) - l1;
    halsSweepInto(Wt, { Q: G, C, backend: { name: "portable", gemmInto } }, new Float64Array(m));
    const expected = Matrix.generate(m, k, (i, a) => Wt.get(a, i));
    assert.ok(relativeDistance(wasm.W, expected) < 1e-12);
    const WtV = gemmInto(Matrix.zeros(k, n), wasm.W, V, { transA: true });
    assert.ok(relativeDistance(wasm.Q, WtV) < 1e-12);
  },
});

Deno.test({
  name: "a blas fit inside another's callback: both right, OpenBLAS single until the outer ends",
  ignore: skip,
  fn() {
    if (typeof blas === "string" || blas.threads === null) return;
    withThreadCount(blas.library, (threadsNow) => {
      const before = threadsNow();
      const V = problem(), inner = problem(640, 420, 8, 3);
      const during: number[] = [];
      let innerResult: ReturnType<typeof nmf> | null = null;
      const base = { rank: 10, solver: "mu", maxIter: 12, tol: 0, seed: 1 } as const;
      const outer = nmf(V, {
        ...base,
        backend: "blas",
        onIteration: ({ iteration }) => {
          if (iteration === 4) {
            innerResult = nmf(inner, { ...base, rank: 8, backend: "blas" });
          }
          during.push(threadsNow());
        },
      });
      assert.deepEqual(during, Array(12).fill(1));
      assert.equal(threadsNow(), before);
      const reference = nmf(V, { ...base, backend: "portable" });
      assert.ok(relativeDistance(outer.W, reference.W) < 1e-10);
      const innerReference = nmf(inner, { ...base, rank: 8, backend: "portable" });
      assert.ok(innerResult !== null);
      assert.ok(relativeDistance((innerResult as { W: Matrix }).W, innerReference.W) < 1e-10);
    });
  },
});

Deno.test({
  name: "the fused pass reads V through its own offset when V is a view into a larger buffer",
  ignore: skip,
  fn() {
    const dense = problem(650, 420, 8, 13);
    const big = new Float64Array(dense.size + 1000).fill(1e6); // garbage around the view
    big.set(dense.data, 517);
    const view = new Matrix(big.subarray(517, 517 + dense.size), dense.rows, dense.cols);
    const base = { rank: 8, solver: "mu", maxIter: 20, tol: 0, seed: 2 } as const;
    const before = fusedPassStats().passes;
    const fused = nmf(view, { ...base, backend: "blas" });
    assert.ok(fusedPassStats().passes > before);
    const reference = nmf(dense, { ...base, backend: "portable" });
    assert.ok(relativeDistance(fused.W, reference.W) < 1e-10);
    assert.ok(relativeDistance(fused.H, reference.H) < 1e-10);
  },
});
