import assert from "node:assert/strict";
import fc from "fast-check";
import {
  createRng,
  hoyerProjectInto,
  hoyerSparseness,
  Matrix,
  sparseness,
  sparseNmf,
} from "../mod.ts";

Deno.test("hoyerSparseness() is 0 for a constant vector and 1 for a one-hot", () => {
  assert.equal(hoyerSparseness([3, 3, 3, 3, 3]), 0);
  assert.equal(hoyerSparseness([0, 0, 0, 7]), 1);
  assert.equal(hoyerSparseness([0, 0]), 1); // defined as 1 for the zero vector
  // (√4 − 3/√3) / (√4 − 1) for [1, 1, 1, 0]
  assert.ok(Math.abs(hoyerSparseness([1, 1, 1, 0]) - (2 - 3 / Math.sqrt(3))) < 1e-15);
});

Deno.test("hoyerSparseness() ignores scale and lies in [0, 1]", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 2, maxLength: 30 }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      (x, c) => {
        const s = hoyerSparseness(x);
        assert.ok(s >= 0 && s <= 1);
        if (x.some((v) => v > 1e-100)) {
          assert.ok(Math.abs(hoyerSparseness(x.map((v) => c * v)) - s) < 1e-9);
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("hoyerProjectInto() reaches the requested L1 and L2 norms with non-negative entries", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 40 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (x, s) => {
        const n = x.length;
        const l1 = Math.sqrt(n) - (Math.sqrt(n) - 1) * s;
        const out = hoyerProjectInto(new Float64Array(n), x, l1, 1);
        assert.ok(out.every((v) => v >= 0));
        const sum = out.reduce((a, v) => a + v, 0);
        const sq = out.reduce((a, v) => a + v * v, 0);
        assert.ok(Math.abs(sum - l1) < 1e-9 * l1, `L1 ${sum} vs ${l1}`);
        assert.ok(Math.abs(sq - 1) < 1e-9, `L2² ${sq}`);
        assert.ok(Math.abs(hoyerSparseness(out) - s) < 1e-7);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("hoyerProjectInto() leaves a vector that already fits unchanged", () => {
  const x = [0.6, 0.8, 0];
  const out = hoyerProjectInto(new Float64Array(3), x, 1.4, 1);
  out.forEach((v, i) => assert.ok(Math.abs(v - x[i]!) < 1e-12));
});

const rng = createRng(13);
const V = Matrix.generate(25, 20, () => rng.uniform());

Deno.test("sparseNmf() reaches the target sparseness of W and H, and its loss never increases", () => {
  const r = sparseNmf(V, { rank: 4, sparsenessW: 0.6, sparsenessH: 0.4, maxIter: 80, tol: 0 });
  for (const s of r.sparsenessW) assert.ok(Math.abs(s - 0.6) < 1e-8, `W column ${s}`);
  for (const s of r.sparsenessH) assert.ok(Math.abs(s - 0.4) < 1e-8, `H row ${s}`);
  for (let i = 1; i < r.trace.length; i++) {
    assert.ok(r.trace[i]!.loss <= r.trace[i - 1]!.loss * (1 + 1e-12), `loss rose at ${i}`);
  }
  assert.ok(r.trace.at(-1)!.loss < r.trace[0]!.loss);
  // Rows of H keep unit L2 norm.
  for (let a = 0; a < 4; a++) {
    assert.ok(Math.abs(r.H.row(a).reduce((s, v) => s + v * v, 0) - 1) < 1e-9);
  }
});

Deno.test("sparseNmf() with a sparser target gives sparser W than plain NMF", () => {
  const plain = sparseNmf(V, { rank: 4, maxIter: 80 });
  const sparse = sparseNmf(V, { rank: 4, sparsenessW: 0.85, maxIter: 80 });
  assert.ok(sparseness(sparse.W).mean > sparseness(plain.W).mean + 0.2);
  assert.ok(Math.abs(sparseness(sparse.W).mean - 0.85) < 1e-8);
  for (let i = 1; i < plain.trace.length; i++) {
    assert.ok(plain.trace[i]!.loss <= plain.trace[i - 1]!.loss * (1 + 1e-12));
  }
});

Deno.test("sparseNmf() rejects sparseness outside [0, 1] and unknown options", () => {
  assert.throws(() => sparseNmf(V, { rank: 2, sparsenessW: 1.2 }), /sparsenessW/);
  assert.throws(() => sparseNmf(V, { rank: 2, l1W: 1 } as never), /unknown option "l1W"/);
});
