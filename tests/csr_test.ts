import assert from "node:assert/strict";
import fc from "fast-check";
import {
  betaDivergence,
  createCsrDivergenceWork,
  createRng,
  csrBetaDivergence,
  csrMatmulInto,
  CsrMatrix,
  csrTransposeMatmulInto,
  gemmInto,
  Matrix,
  portableBackend,
  sampledProductInto,
} from "../mod.ts";
import { CSR_SIMD_MIN_WORK } from "../linalg/csr_simd.ts";
import { factorTimesDataTransposeInto } from "../linalg/data.ts";

/** A random non-negative m×n matrix with about `density` of its entries non-zero. */
function sparseDense(m: number, n: number, density: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(m, n, () => (rng.uniform() < density ? rng.uniform() * 3 : 0));
}

function positive(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(rows, cols, () => rng.uniform() + 0.1);
}

function close(X: Matrix, Y: Matrix, tolerance = 1e-12): boolean {
  for (let i = 0; i < X.data.length; i++) {
    const x = X.data[i] as number, y = Y.data[i] as number;
    if (Math.abs(x - y) > tolerance * Math.max(1, Math.abs(y))) return false;
  }
  return X.rows === Y.rows && X.cols === Y.cols;
}

const shapes = fc.record({
  m: fc.integer({ min: 0, max: 9 }),
  n: fc.integer({ min: 0, max: 9 }),
  k: fc.integer({ min: 1, max: 6 }),
  density: fc.constantFrom(0, 0.2, 0.6, 1),
  seed: fc.integer({ min: 1, max: 10_000 }),
});

Deno.test("CsrMatrix.fromDense() then toDense() returns the same matrix, and transpose() transposes", () => {
  fc.assert(fc.property(shapes, ({ m, n, density, seed }) => {
    const D = sparseDense(m, n, density, seed);
    const V = CsrMatrix.fromDense(D);
    assert.deepEqual(V.toDense().data, D.data);
    assert.deepEqual(V.transpose().toDense().data, D.transpose().data);
    assert.equal(V.nnz, D.data.filter((x) => x !== 0).length);
  }));
});

/** Both sparse products against the dense ones, with alpha, beta, transB, transOut and NaN. */
function checkSparseProducts(
  m: number,
  n: number,
  k: number,
  density: number,
  seed: number,
  D = sparseDense(m, n, density, seed),
): void {
  const V = CsrMatrix.fromDense(D);
  const H = positive(k, n, seed + 1), Ht = H.transpose(), W = positive(m, k, seed + 2);
  const options = { alpha: 1.5, beta: 0.5 };
  // V·Hᵀ, with H as stored (transB) and with Hᵀ given directly.
  const start = positive(m, k, seed + 3);
  const expected = gemmInto(start.clone(), D, H, { ...options, transB: true });
  assert.ok(close(csrMatmulInto(start.clone(), V, H, { ...options, transB: true }), expected));
  assert.ok(close(csrMatmulInto(start.clone(), V, Ht, options), expected));
  // WᵀV (k×n) and VᵀW (n×k).
  const startT = positive(k, n, seed + 4);
  const WtV = gemmInto(startT.clone(), W, D, { ...options, transA: true });
  assert.ok(
    close(csrTransposeMatmulInto(startT.clone(), V, W, { ...options, transOut: true }), WtV),
  );
  const VtW = gemmInto(Matrix.zeros(n, k), D, W, { transA: true });
  assert.ok(close(csrTransposeMatmulInto(Matrix.filled(n, k, NaN), V, W), VtW));
}

Deno.test("csrMatmulInto() and csrTransposeMatmulInto() equal the dense products (any alpha, beta)", () => {
  fc.assert(fc.property(shapes, ({ m, n, k, density, seed }) => {
    checkSparseProducts(m, n, k, density, seed);
  }));
});

Deno.test("the sparse products' WebAssembly path (nnz·k ≥ CSR_SIMD_MIN_WORK) equals the dense products", () => {
  fc.assert(
    fc.property(
      fc.record({
        m: fc.integer({ min: 40, max: 300 }),
        n: fc.integer({ min: 40, max: 300 }),
        k: fc.integer({ min: 1, max: 13 }), // odd k: the kernel's rows are padded to even
        density: fc.constantFrom(0.05, 0.3, 1),
        seed: fc.integer({ min: 1, max: 10_000 }),
      }),
      ({ m, n, k, density, seed }) => checkSparseProducts(m, n, k, density, seed),
    ),
    { numRuns: 40 },
  );
  // Empty rows and columns, and a product surely above the threshold.
  const D = sparseDense(400, 300, 0.2, 5);
  for (let j = 0; j < 300; j++) D.set(7, j, 0);
  for (let i = 0; i < 400; i++) D.set(i, 11, 0);
  assert.ok(CsrMatrix.fromDense(D).nnz * 10 >= CSR_SIMD_MIN_WORK);
  checkSparseProducts(400, 300, 10, 0.2, 5, D);
});

Deno.test("sampledProductInto() equals WH at the stored entries", () => {
  fc.assert(fc.property(shapes, ({ m, n, k, density, seed }) => {
    const V = CsrMatrix.fromDense(sparseDense(m, n, density, seed));
    const W = positive(m, k, seed + 1), H = positive(k, n, seed + 2);
    const WH = W.multiply(H);
    const model = sampledProductInto(V.withValues(new Float64Array(V.nnz)), W, H);
    for (let i = 0; i < m; i++) {
      for (let t = V.indptr[i] as number; t < (V.indptr[i + 1] as number); t++) {
        const expected = WH.get(i, V.indices[t] as number);
        assert.ok(Math.abs((model.values[t] as number) - expected) < 1e-12 * expected);
      }
    }
  }));
});

Deno.test("csrBetaDivergence() equals the dense betaDivergence for beta 2, 1, 1.5, 0.5 and 3", () => {
  fc.assert(fc.property(shapes, fc.constantFrom(2, 1, 1.5, 0.5, 3), (s, beta) => {
    const D = sparseDense(s.m, s.n, s.density, s.seed);
    const V = CsrMatrix.fromDense(D);
    const W = positive(s.m, s.k, s.seed + 1), H = positive(s.k, s.n, s.seed + 2);
    const work = createCsrDivergenceWork(V, s.k);
    const { divergence, residualNorm } = csrBetaDivergence(V, W, H, { beta, work });
    const expected = betaDivergence(D, W, H, beta);
    assert.ok(
      Math.abs(divergence - expected) <= 1e-9 * Math.max(1, expected),
      `${divergence} ${expected}`,
    );
    const residual = D.map((x, i, j) => x - W.multiply(H).get(i, j)).frobeniusNorm();
    assert.ok(Math.abs(residualNorm - residual) <= 1e-6 * Math.max(1, residual));
  }));
});

Deno.test("csrBetaDivergence() refuses beta ≤ 0 when V has implicit zeros", () => {
  const V = CsrMatrix.fromDense(Matrix.fromRows([[1, 0], [0, 1]]));
  const W = Matrix.fromRows([[1], [1]]), H = Matrix.fromRows([[1, 1]]);
  assert.throws(() => csrBetaDivergence(V, W, H, { beta: 0 }), /implicit zeros/);
  const full = CsrMatrix.fromDense(Matrix.fromRows([[1, 2], [3, 4]]));
  const value = csrBetaDivergence(full, W, H, { beta: 0 }).divergence;
  assert.ok(Math.abs(value - betaDivergence(full.toDense(), W, H, 0)) < 1e-12);
});

Deno.test("CsrMatrix.fromCoo() sums duplicates and sorts columns", () => {
  const V = CsrMatrix.fromCoo(3, 3, {
    rows: [2, 0, 2, 0, 2],
    cols: [2, 1, 0, 1, 2],
    values: [1, 2, 3, 4, 5],
  });
  assert.deepEqual([...V.indptr], [0, 1, 1, 3]);
  assert.deepEqual([...V.indices], [1, 0, 2]);
  assert.deepEqual([...V.values], [6, 3, 6]);
  assert.throws(() => CsrMatrix.fromCoo(2, 2, { rows: [2], cols: [0], values: [1] }), RangeError);
});

Deno.test("CsrMatrix rejects malformed structure with a message naming the argument", () => {
  const ok = { indptr: new Int32Array([0, 1, 2]), indices: new Int32Array([0, 1]) };
  const values = new Float64Array([1, 2]);
  assert.throws(
    () => new CsrMatrix(2, 2, new Int32Array([0, 2]), ok.indices, values),
    /indptr has length 2/,
  );
  assert.throws(() => new CsrMatrix(2, 1, ok.indptr, ok.indices, values), /column 1 in row 1/);
  assert.throws(
    () => new CsrMatrix(1, 3, new Int32Array([0, 2]), new Int32Array([2, 1]), values),
    /strictly increasing/,
  );
  assert.throws(
    () => new CsrMatrix(2, 2, ok.indptr, ok.indices, new Float64Array([1, NaN])),
    RangeError,
  );
  assert.throws(
    () => new CsrMatrix(2, 2, ok.indptr, [0, 1] as unknown as Int32Array, values),
    /indices must be an Int32Array/,
  );
});

Deno.test("sparse products reject mismatched shapes", () => {
  const V = CsrMatrix.fromDense(Matrix.fromRows([[1, 0, 2]]));
  assert.throws(
    () => csrMatmulInto(Matrix.zeros(1, 2), V, Matrix.zeros(2, 2)),
    /B is 2×2, expected 3×2/,
  );
  assert.throws(
    () => csrTransposeMatmulInto(Matrix.zeros(3, 3), V, Matrix.zeros(1, 2)),
    /out is 3×3/,
  );
});

Deno.test("factorTimesDataTransposeInto() (HVᵀ for HALS) gives the dense HVᵀ for a sparse V, small and large", () => {
  for (
    const [m, n, k, density] of [[7, 5, 3, 0.5], [300, 233, 10, 0.3], [120, 90, 7, 1]] as const
  ) {
    const D = sparseDense(m, n, density, m + k);
    const H = positive(k, n, k);
    const expected = gemmInto(Matrix.zeros(k, m), H, D, { transB: true });
    const got = factorTimesDataTransposeInto(
      Matrix.filled(k, m, NaN),
      H,
      CsrMatrix.fromDense(D),
      portableBackend,
    );
    assert.ok(close(got, expected), `${m}×${n}, k=${k}`);
  }
});
