import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng, hungarian, matchComponents, Matrix, normalizeFactors } from "../mod.ts";

/** Every injective map of min(r, c) rows/columns, by brute force. */
function bruteForce(C: Matrix, maximize: boolean): number {
  const wide = C.rows <= C.cols;
  const A = wide ? C : C.transpose();
  let best = maximize ? -Infinity : Infinity;
  const used = new Array<boolean>(A.cols).fill(false);
  const go = (i: number, acc: number) => {
    if (i === A.rows) {
      best = maximize ? Math.max(best, acc) : Math.min(best, acc);
      return;
    }
    for (let j = 0; j < A.cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      go(i + 1, acc + A.get(i, j));
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

Deno.test("hungarian() finds the optimal assignment (brute force on random matrices up to 6×6)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 1e6 }),
      fc.boolean(),
      (r, c, seed, maximize) => {
        const rng = createRng(seed);
        // Integer costs with ties, and negative entries.
        const C = Matrix.generate(r, c, () => rng.int(7) - 3);
        const { rowToColumn, columnToRow, total } = hungarian(C, { maximize });
        assert.equal(total, bruteForce(C, maximize));
        const pairs = rowToColumn.filter((j) => j >= 0);
        assert.equal(pairs.length, Math.min(r, c));
        assert.equal(new Set(pairs).size, pairs.length);
        rowToColumn.forEach((j, i) => {
          if (j >= 0) assert.equal(columnToRow[j], i);
        });
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("hungarian() solves a 60×60 problem with a planted optimum", () => {
  const rng = createRng(3);
  const n = 60;
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  // Cost 1..2 everywhere except 0 on the planted permutation: the planted one is the unique optimum.
  const C = Matrix.generate(n, n, (i, j) => (perm[i] === j ? 0 : 1 + rng.uniform()));
  assert.deepEqual(hungarian(C).rowToColumn, perm);
});

Deno.test("hungarian() rejects non-finite costs, empty matrices and unknown options", () => {
  assert.throws(() => hungarian(Matrix.fromRows([[1, NaN]])), RangeError);
  assert.throws(() => hungarian(Matrix.fromRows([[1, Infinity]])), /cost\[0\]\[1\]/);
  assert.throws(() => hungarian(Matrix.zeros(0, 3)), RangeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => hungarian(Matrix.zeros(2, 2), { maximise: true } as any), TypeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => hungarian([[1]] as any), TypeError);
});

Deno.test("normalizeFactors() leaves WH unchanged and gives unit components in each norm", () => {
  const rng = createRng(8);
  const W = Matrix.generate(7, 3, () => rng.uniform() * 5);
  const H = Matrix.generate(3, 9, () => rng.uniform());
  const WH = W.multiply(H);
  for (const norm of ["l1", "l2", "max"] as const) {
    for (const side of ["W", "H"] as const) {
      const n = normalizeFactors(W, H, { norm, side });
      const P = n.W.multiply(n.H);
      for (let i = 0; i < WH.size; i++) {
        assert.ok(Math.abs(P.data[i]! - WH.data[i]!) <= 1e-12 * Math.abs(WH.data[i]!));
      }
      for (let c = 0; c < 3; c++) {
        const v = side === "W" ? n.W.column(c) : n.H.row(c);
        const size = norm === "l1"
          ? v.reduce((a, b) => a + b, 0)
          : norm === "max"
          ? Math.max(...v)
          : Math.hypot(...v);
        assert.ok(Math.abs(size - 1) < 1e-12, `${norm} ${side} component ${c}: ${size}`);
      }
    }
  }
});

Deno.test("normalizeFactors() leaves a zero component alone and rejects mismatched shapes", () => {
  const W = Matrix.fromRows([[0, 2], [0, 2]]);
  const H = Matrix.fromRows([[1, 1], [1, 3]]);
  const n = normalizeFactors(W, H, { norm: "max" });
  assert.deepEqual(n.scales, [0, 2]);
  assert.deepEqual(n.W.toRows(), [[0, 1], [0, 1]]);
  assert.throws(() => normalizeFactors(W, Matrix.zeros(3, 2)), TypeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => normalizeFactors(W, H, { norm: "l3" } as any), RangeError);
});

Deno.test("matchComponents() undoes any permutation and positive scaling of the components", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 7 }), (seed, k) => {
      const rng = createRng(seed);
      const W = Matrix.generate(12, k, () => rng.uniform());
      const perm = Array.from({ length: k }, (_, i) => i).sort(() => rng.uniform() - 0.5);
      const scale = Array.from({ length: k }, () => 0.1 + 10 * rng.uniform());
      // candidate column c = reference column perm[c] times scale[c]
      const C = Matrix.generate(12, k, (i, c) => W.get(i, perm[c]!) * scale[c]!);
      const m = matchComponents(W, C);
      m.permutation.forEach((c, i) => assert.equal(perm[c], i));
      assert.ok(m.minSimilarity > 1 - 1e-12);
      const H = W.transpose();
      assert.deepEqual(matchComponents(H, H, { of: "rows" }).permutation, [...Array(k).keys()]);
    }),
    { numRuns: 50 },
  );
});

Deno.test("matchComponents() rejects zero components and mismatched lengths", () => {
  const W = Matrix.fromRows([[1, 0], [1, 0]]);
  assert.throws(() => matchComponents(W, W), /component 1/);
  assert.throws(() => matchComponents(Matrix.zeros(3, 2), Matrix.zeros(4, 2)), TypeError);
});
