import assert from "node:assert/strict";
import { Matrix, simdAvailable } from "../mod.ts";
import { openSweeps, SWEEP_MIN_WORK } from "../linalg/cd_sweep.ts";
import { heapReservedBytes } from "../linalg/wasm_heap.ts";
import { SWEEP_PARALLEL_MIN_WORK } from "../linalg/wasm_threads.ts";
import { halsSweepInto } from "../solvers/hals.ts";
import { randomPositive, withThreads } from "./fixtures.ts";

/** A random subproblem: Q = AAᵀ (positive semidefinite), C with mixed signs, one dead row. */
function problem(k: number, c: number, seed: number) {
  const A = randomPositive(k, 30, seed);
  const Q = Matrix.zeros(k, k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let t = 0; t < 30; t++) s += A.data[a * 30 + t]! * A.data[b * 30 + t]!;
      Q.data[a * k + b] = s;
    }
  }
  const dead = Math.min(2, k - 1);
  for (let b = 0; b < k; b++) Q.data[dead * k + b] = Q.data[b * k + dead] = 0;
  const C = randomPositive(k, c, seed + 1);
  for (let i = 0; i < C.size; i++) C.data[i] = 10 * C.data[i]! - 3;
  return { X: randomPositive(k, c, seed + 2), Q, C };
}

Deno.test("WebAssembly sweeps give the TypeScript sweep's X bit for bit, on 1 and 2 threads", {
  // [64, 1100] and [40, 3001] are above SWEEP_PARALLEL_MIN_WORK: their chunks are shared by two
  // threads ([20, 1000] and [16, 1797] too).
  ignore: !simdAvailable(),
}, () => {
  for (const [k, c] of [[20, 1000], [16, 1797], [7, 4097], [64, 1100], [40, 3001]] as const) {
    assert.ok(k * k * c >= SWEEP_MIN_WORK);
    if (k >= 40) assert.ok(k * k * c >= SWEEP_PARALLEL_MIN_WORK, "large enough to be shared");
    const { X, Q, C } = problem(k, c, k + c);
    const expected = X.clone(), row = new Float64Array(c);
    const changes: number[] = [];
    for (let s = 0; s < 3; s++) changes.push(halsSweepInto(expected, { Q, C } as never, row));
    for (const threads of [1, 2]) {
      withThreads(threads, () => {
        const got = X.clone();
        const session = openSweeps(got, { Q, C });
        assert.ok(session !== null);
        for (let s = 0; s < 3; s++) {
          const change = session.sweep();
          const ref = changes[s]!;
          assert.ok(
            Math.abs(change - ref) <= 1e-12 * Math.max(ref, 1),
            `change ${change} vs ${ref}`,
          );
        }
        session.close();
        assert.deepEqual(got.data, expected.data, `${k}×${c}, ${threads} thread(s)`);
      });
    }
  }
});

Deno.test("openSweeps() declines tiny problems, checks shapes and frees its memory", {
  ignore: !simdAvailable(),
}, () => {
  const tiny = problem(2, 10, 1);
  assert.equal(openSweeps(tiny.X, tiny), null);
  const { X, Q, C } = problem(10, 500, 2);
  assert.throws(() => openSweeps(X, { Q, C: Matrix.zeros(10, 499) }), {
    name: "TypeError",
    message: /expected Q 10×10 and C 10×500/,
  });
  const before = heapReservedBytes();
  const session = openSweeps(X, { Q, C });
  assert.ok(session !== null);
  session.sweep();
  session.close();
  session.close(); // harmless
  assert.equal(heapReservedBytes(), before);
  assert.throws(() => session.sweep(), /closed/);
});

Deno.test("a sweep in pairs of rows is the one-row-at-a-time Gauss–Seidel step, up to rounding", () => {
  /** The textbook sweep: row a from C_a − Σ_{b≠a} Q_ab X_b with the rows before a already new. */
  function sequentialSweep(X: Matrix, Q: Matrix, C: Matrix): void {
    const k = X.rows, c = X.cols;
    for (let a = 0; a < k; a++) {
      const d = Q.data[a * k + a]!;
      for (let j = 0; j < c; j++) {
        let r = C.data[a * c + j]!;
        for (let b = 0; b < k; b++) if (b !== a) r -= Q.data[a * k + b]! * X.data[b * c + j]!;
        const old = X.data[a * c + j]!;
        X.data[a * c + j] = d > 0 ? Math.max(0, r / d) : (r < 0 ? 0 : old);
      }
    }
  }
  for (const [k, c] of [[1, 5], [2, 7], [5, 9], [8, 12], [11, 30]] as const) {
    const { X, Q, C } = problem(k, c, 3 * k + c);
    const pairs = X.clone(), rows = X.clone();
    for (let s = 0; s < 4; s++) {
      halsSweepInto(pairs, { Q, C } as never, new Float64Array(c));
      sequentialSweep(rows, Q, C);
    }
    let diff = 0, size = 0;
    for (let i = 0; i < X.size; i++) {
      diff = Math.max(diff, Math.abs(pairs.data[i]! - rows.data[i]!));
      size = Math.max(size, Math.abs(rows.data[i]!));
    }
    assert.ok(diff <= 1e-12 * Math.max(size, 1), `${k}×${c}: differs by ${diff}`);
    assert.ok(size > 0, `${k}×${c}: a nonzero solution`);
  }
});
