import assert from "node:assert/strict";
import fc from "fast-check";
import { choleskyInto, choleskySolveInto, createRng, Matrix, nnlsInto } from "../mod.ts";

/** A random m×k matrix of rank r (r = k for full rank), entries of both signs. */
function randomA(seed: number, m: number, k: number, r: number): Matrix {
  const rng = createRng(seed);
  const P = Matrix.generate(m, r, () => rng.normal());
  const Q = Matrix.generate(r, k, () => rng.normal());
  return P.multiply(Q);
}

function problem(seed: number, m: number, k: number, n: number, r: number) {
  const A = randomA(seed, m, k, r);
  const rng = createRng(seed + 1000);
  const B = Matrix.generate(m, n, () => rng.normal());
  const At = A.transpose();
  return { A, B, AtA: At.multiply(A), AtB: At.multiply(B) };
}

/** max over columns of the KKT violations: min(x), min(y), max |x·y|, relative to the scale. */
function kktViolation(X: Matrix, AtA: Matrix, AtB: Matrix): number {
  const Y = AtA.multiply(X);
  let scale = 1;
  for (const v of AtB.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < X.size; i++) {
    const x = X.data[i] as number, y = (Y.data[i] as number) - (AtB.data[i] as number);
    worst = Math.max(worst, -x, -y / scale, Math.abs(x * y) / scale);
  }
  return worst;
}

/** ½xᵀGx − cᵀx for column j. */
function columnObjective(x: ArrayLike<number>, G: Matrix, c: ArrayLike<number>): number {
  const k = G.rows;
  let f = 0;
  for (let a = 0; a < k; a++) {
    let gx = 0;
    for (let b = 0; b < k; b++) gx += G.get(a, b) * (x[b] as number);
    f += 0.5 * (x[a] as number) * gx - (c[a] as number) * (x[a] as number);
  }
  return f;
}

/**
 * Brute force: the optimum of an NNLS problem is attained on a support of linearly independent
 * columns; try every subset, solve its normal equations by Gaussian elimination, keep the best
 * non-negative one.
 */
function bruteForceObjective(G: Matrix, c: Float64Array): number {
  const k = G.rows;
  let best = 0; // x = 0
  for (let mask = 1; mask < 1 << k; mask++) {
    const S: number[] = [];
    for (let i = 0; i < k; i++) if (mask & (1 << i)) S.push(i);
    const p = S.length;
    const M = S.map((a) => [...S.map((b) => G.get(a, b)), c[a] as number]);
    let singular = false;
    for (let col = 0; col < p && !singular; col++) {
      let piv = col;
      for (let r = col + 1; r < p; r++) {
        if (Math.abs(M[r]![col]!) > Math.abs(M[piv]![col]!)) piv = r;
      }
      if (Math.abs(M[piv]![col]!) < 1e-9 * Math.max(1, G.get(S[col]!, S[col]!))) singular = true;
      [M[col], M[piv]] = [M[piv]!, M[col]!];
      for (let r = 0; r < p; r++) {
        if (r === col) continue;
        const f = M[r]![col]! / M[col]![col]!;
        for (let t = col; t <= p; t++) M[r]![t]! -= f * M[col]![t]!;
      }
    }
    if (singular) continue;
    const x = new Float64Array(k);
    let feasible = true;
    for (let r = 0; r < p; r++) {
      const v = M[r]![p]! / M[r]![r]!;
      if (v < 0) feasible = false;
      x[S[r]!] = v;
    }
    if (feasible) best = Math.min(best, columnObjective(x, G, c));
  }
  return best;
}

Deno.test("nnlsInto satisfies the KKT conditions on random full-rank problems", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e6 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 6 }),
      (seed, k, n) => {
        const { AtA, AtB } = problem(seed, k + 4, k, n, k);
        const X = Matrix.zeros(k, n);
        const report = nnlsInto(X, AtA, AtB);
        assert.ok(report.converged);
        assert.ok(kktViolation(X, AtA, AtB) < 1e-10, `violation ${kktViolation(X, AtA, AtB)}`);
      },
    ),
    { numRuns: 60, seed: 11 },
  );
});

Deno.test("nnlsInto satisfies the KKT conditions when AᵀA is rank-deficient", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e6 }),
      fc.integer({ min: 2, max: 8 }),
      fc.integer({ min: 1, max: 6 }),
      (seed, k, n) => {
        const r = 1 + (seed % (k - 1)); // 1 ≤ r < k
        const { AtA, AtB } = problem(seed, 12, k, n, r);
        const X = Matrix.zeros(k, n);
        const report = nnlsInto(X, AtA, AtB);
        assert.ok(report.converged);
        for (const v of X.data) assert.ok(Number.isFinite(v));
        assert.ok(kktViolation(X, AtA, AtB) < 1e-10, `violation ${kktViolation(X, AtA, AtB)}`);
      },
    ),
    { numRuns: 60, seed: 12 },
  );
});

Deno.test("nnlsInto reaches the brute-force optimum over all supports (k ≤ 5)", () => {
  for (let seed = 0; seed < 25; seed++) {
    const k = 1 + (seed % 5), n = 3;
    const r = seed % 3 === 0 && k > 1 ? k - 1 : k;
    const { AtA, AtB } = problem(seed, 9, k, n, r);
    const X = Matrix.zeros(k, n);
    nnlsInto(X, AtA, AtB);
    for (let j = 0; j < n; j++) {
      const c = AtB.column(j);
      const got = columnObjective(X.column(j), AtA, c);
      const best = bruteForceObjective(AtA, c);
      assert.ok(got <= best + 1e-9 * Math.max(1, Math.abs(best)), `seed ${seed}: ${got} > ${best}`);
    }
  }
});

Deno.test("nnlsInto with a warm start returns the same solution as a cold start", () => {
  const { AtA, AtB } = problem(5, 20, 6, 30, 6);
  const cold = Matrix.zeros(6, 30);
  nnlsInto(cold, AtA, AtB);
  const warm = cold.clone();
  const report = nnlsInto(warm, AtA, AtB, { warmStart: true });
  assert.equal(report.iterations, 0);
  for (let i = 0; i < cold.size; i++) {
    assert.ok(Math.abs((cold.data[i] as number) - (warm.data[i] as number)) < 1e-12);
  }
});

Deno.test("nnlsInto gives a dead component (zero row and column of AᵀA) the value 0", () => {
  const AtA = Matrix.fromRows([[2, 0, 1], [0, 0, 0], [1, 0, 2]]);
  const AtB = Matrix.fromRows([[1, -1], [0, 0], [1, 2]]);
  const X = Matrix.filled(3, 2, 1);
  nnlsInto(X, AtA, AtB, { warmStart: true });
  assert.deepEqual([X.get(1, 0), X.get(1, 1)], [0, 0]);
  assert.ok(kktViolation(X, AtA, AtB) < 1e-12);
});

Deno.test("nnlsInto out of pivoting rounds reports converged:false and still returns X ≥ 0", () => {
  const { AtA, AtB } = problem(3, 12, 6, 4, 6);
  const X = Matrix.zeros(6, 4);
  const report = nnlsInto(X, AtA, AtB, { maxIter: 0 });
  // from the empty passive set, X = 0 is infeasible as soon as some (AᵀB)_ij > 0
  assert.ok(AtB.max() > 0);
  assert.equal(report.converged, false);
  assert.equal(report.iterations, 0);
  for (const v of X.data) assert.ok(v >= 0);
});

Deno.test("nnlsInto rejects wrong shapes and non-finite input, naming the argument", () => {
  const AtA = Matrix.identity(2);
  assert.throws(() => nnlsInto(Matrix.zeros(2, 3), AtA, Matrix.zeros(2, 2)), /X must be a 2×2/);
  assert.throws(
    () => nnlsInto(Matrix.zeros(2, 2), Matrix.zeros(2, 3), Matrix.zeros(2, 2)),
    TypeError,
  );
  assert.throws(
    () => nnlsInto(Matrix.zeros(3, 2), AtA, Matrix.zeros(3, 2)),
    /AtB must be a Matrix with 2 rows/,
  );
  const bad = Matrix.fromRows([[1, NaN], [0, 1]]);
  assert.throws(
    () => nnlsInto(Matrix.zeros(2, 1), bad, Matrix.zeros(2, 1)),
    /AtA must be finite.*AtA\[0\]\[1\] = NaN/,
  );
});

Deno.test("choleskyInto drops a dependent pivot and the solve still fits a consistent system", () => {
  // G = AᵀA with the third column of A equal to the sum of the first two
  const A = Matrix.fromRows([[1, 0, 1], [0, 1, 1], [1, 1, 2], [2, 0, 2]]);
  const G = A.transpose().multiply(A);
  const L = Matrix.zeros(3, 3);
  assert.equal(choleskyInto(L, G), 1);
  const b = A.transpose().multiply(Matrix.fromRows([[1], [2], [3], [4]]));
  const x = Float64Array.from(b.data);
  choleskySolveInto(x, L);
  const Gx = G.multiply(Matrix.from(x, 3, 1));
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs((Gx.data[i] as number) - (b.data[i] as number)) < 1e-12);
  }
});
