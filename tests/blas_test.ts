import assert from "node:assert/strict";
import {
  createRng,
  gemmInto,
  loadBlas,
  Matrix,
  nmf,
  OPENBLAS_THREAD_TIMEOUT,
  resolveBackend,
  SOLVERS,
} from "../mod.ts";
import { runDenoScript } from "./fixtures.ts";

const blas = loadBlas();
const skip = typeof blas === "string";
if (skip) console.log(`blas tests skipped: ${blas}`);

function random(rows: number, cols: number, rng: { uniform(): number }): Matrix {
  return Matrix.generate(rows, cols, () => rng.uniform() * 2 - 1);
}

function relativeDifference(X: Matrix, Y: Matrix): number {
  let num = 0, den = 0;
  for (let i = 0; i < X.data.length; i++) {
    const d = (X.data[i] as number) - (Y.data[i] as number);
    num += d * d;
    den += (Y.data[i] as number) ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

Deno.test({
  name: "blas and portable gemmInto agree to 1e-10 relative on random inputs, all transposes",
  ignore: skip,
  fn() {
    if (typeof blas === "string") return;
    const rng = createRng(8);
    // [300, 12, 40] and [200, 64, 17]: tall, thin A·Bᵀ, which the blas backend computes as
    // (B·Aᵀ)ᵀ (see transposedIsFaster in linalg/blas.ts).
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [7, 5, 3],
      [40, 33, 20],
      [131, 9, 259],
      [300, 12, 40],
      [200, 64, 17],
    ];
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const A = transA ? random(k, m, rng) : random(m, k, rng);
          const B = transB ? random(n, k, rng) : random(k, n, rng);
          const start = random(m, n, rng);
          const options = { transA, transB, alpha: 1.25, beta: -0.5 };
          const viaBlas = blas.gemmInto(start.clone(), A, B, options);
          const viaPortable = gemmInto(start.clone(), A, B, options);
          const difference = relativeDifference(viaBlas, viaPortable);
          assert.ok(difference < 1e-10, `${m}×${n}×${k} ${transA} ${transB}: ${difference}`);
          // beta = 0 overwrites whatever out held, NaN included
          const overwritten = blas.gemmInto(Matrix.filled(m, n, NaN), A, B, { transA, transB });
          const expected = gemmInto(Matrix.zeros(m, n), A, B, { transA, transB });
          assert.ok(relativeDifference(overwritten, expected) < 1e-10, `beta 0, ${m}×${n}×${k}`);
        }
      }
    }
  },
});

Deno.test({
  name: "blas gemmInto rejects the same bad shapes as the portable kernel",
  ignore: skip,
  fn() {
    if (typeof blas === "string") return;
    const A = Matrix.zeros(2, 3);
    assert.throws(() => blas.gemmInto(Matrix.zeros(2, 2), A, A), /inner dimensions differ/);
  },
});

Deno.test({
  name: "nmf() with backend blas returns the same factors as portable to 1e-10",
  ignore: skip,
  fn() {
    const rng = createRng(3);
    const V = Matrix.generate(30, 24, () => rng.uniform());
    // Every solver registered so far (others join as they land).
    const solvers = (["mu", "hals", "anls-bpp"] as const).filter((name) => name in SOLVERS);
    for (const solver of solvers) {
      const options = { rank: 4, solver, maxIter: 60, tol: 0, seed: 2 };
      const viaBlas = nmf(V, { ...options, backend: "blas" });
      const viaPortable = nmf(V, { ...options, backend: "portable" });
      assert.equal(viaBlas.backend, "blas");
      assert.equal(viaPortable.backend, "portable");
      assert.ok(relativeDifference(viaBlas.W, viaPortable.W) < 1e-10, solver);
      assert.ok(relativeDifference(viaBlas.H, viaPortable.H) < 1e-10, solver);
    }
  },
});

Deno.test("resolveBackend('auto') never throws and names the backend it chose", () => {
  const { backend } = resolveBackend("auto");
  assert.equal(backend.name, skip ? "portable" : "blas");
});

Deno.test({
  name:
    "loadBlas sets OPENBLAS_THREAD_TIMEOUT where unset, keeps a value of yours, and loads without env access",
  ignore: skip,
  async fn() {
    // Fresh processes: OpenBLAS reads the variable once, when the library is first opened.
    const script = (before: string) => `
      ${before}
      import { loadBlas } from "MOD";
      const blas = loadBlas();
      if (typeof blas === "string") throw new Error(blas);
      let env = "unreadable";
      try { env = String(Deno.env.get("OPENBLAS_THREAD_TIMEOUT")); } catch { /* no access */ }
      console.log(JSON.stringify({ seen: blas.threadTimeout, env }));
    `;
    const cases: [string, string[], { seen: string | null; env: string }][] = [
      [
        'Deno.env.delete("OPENBLAS_THREAD_TIMEOUT");',
        ["--allow-ffi", "--allow-read", "--allow-env"],
        { seen: String(OPENBLAS_THREAD_TIMEOUT), env: String(OPENBLAS_THREAD_TIMEOUT) },
      ],
      [
        'Deno.env.set("OPENBLAS_THREAD_TIMEOUT", "12");',
        ["--allow-ffi", "--allow-read", "--allow-env"],
        { seen: "12", env: "12" },
      ],
      ["", ["--allow-ffi", "--allow-read"], { seen: null, env: "unreadable" }],
    ];
    for (const [before, permissions, expected] of cases) {
      const run = await runDenoScript(script(before), permissions);
      assert.ok(run.success, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout.trim()), expected, before || "no env access");
    }
  },
});
