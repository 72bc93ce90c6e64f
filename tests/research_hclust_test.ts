import assert from "node:assert/strict";
import fc from "fast-check";
import { hclust, Matrix } from "../mod.ts";

// A 7-point example: distances between 7 random points in the plane rounded to 6 digits.
// Expected values from SciPy 1.x (`linkage(d, "average")`, `leaves_list`, `fcluster(..., 3,
// "maxclust")`, `cophenet`) and R (`hclust(d, "average")`, `cor(cophenetic(h), d)`).
const D7 = Matrix.fromRows([
  [0.0, 0.794599, 0.196499, 0.400881, 0.660508, 0.414414, 0.491429],
  [0.794599, 0.0, 0.72268, 0.53129, 0.473214, 0.415232, 0.370675],
  [0.196499, 0.72268, 0.0, 0.47213, 0.715699, 0.308641, 0.369928],
  [0.400881, 0.53129, 0.47213, 0.0, 0.259645, 0.367645, 0.429796],
  [0.660508, 0.473214, 0.715699, 0.259645, 0.0, 0.529483, 0.562347],
  [0.414414, 0.415232, 0.308641, 0.367645, 0.529483, 0.0, 0.080377],
  [0.491429, 0.370675, 0.369928, 0.429796, 0.562347, 0.080377, 0.0],
]);

Deno.test("hclust() computes UPGMA heights by hand on three items", () => {
  // d(0,1) = 1 merges first; then d({0,1}, 2) = (4 + 6) / 2 = 5.
  const tree = hclust(Matrix.fromRows([[0, 1, 4], [1, 0, 6], [4, 6, 0]]));
  assert.deepEqual(tree.merges, [
    { left: 0, right: 1, height: 1, size: 2 },
    { left: 2, right: 3, height: 5, size: 3 },
  ]);
  assert.deepEqual(tree.cophenetic.toRows(), [[0, 1, 5], [1, 0, 5], [5, 5, 0]]);
  assert.deepEqual(tree.order, [2, 0, 1]);
});

Deno.test("hclust() computes UPGMA heights by hand on four items", () => {
  // Merge (0,1) at 2, (2,3) at 3, then the mean of the four cross distances (6+8+10+12)/4 = 9.
  const D = Matrix.fromRows([[0, 2, 6, 8], [2, 0, 10, 12], [6, 10, 0, 3], [8, 12, 3, 0]]);
  const tree = hclust(D);
  assert.deepEqual(tree.merges.map((m) => [m.left, m.right, m.height, m.size]), [
    [0, 1, 2, 2],
    [2, 3, 3, 2],
    [4, 5, 9, 4],
  ]);
  assert.deepEqual(tree.cutTree(2), [0, 0, 1, 1]);
  assert.deepEqual(tree.cutTree(4), [0, 1, 2, 3]);
  assert.deepEqual(tree.cutTree(1), [0, 0, 0, 0]);
});

Deno.test("hclust() matches SciPy's average linkage on a 7-point example", () => {
  const tree = hclust(D7);
  const scipy = [
    [5, 6, 0.080377, 2],
    [0, 2, 0.196499, 2],
    [3, 4, 0.259645, 2],
    [1, 7, 0.39295349999999996, 3],
    [9, 10, 0.48229583333333337, 5],
    [8, 11, 0.5350908999999999, 7],
  ];
  tree.merges.forEach((m, t) => {
    const [l, r, h, s] = scipy[t]!;
    assert.equal(m.left, l);
    assert.equal(m.right, r);
    assert.ok(Math.abs(m.height - h!) < 1e-12, `merge ${t}: ${m.height} vs ${h}`);
    assert.equal(m.size, s);
  });
  assert.deepEqual(tree.order, [0, 2, 3, 4, 1, 5, 6]);
  // SciPy's fcluster labels were [1, 3, 1, 2, 2, 3, 3]: the same partition.
  assert.deepEqual(tree.cutTree(3), [0, 1, 0, 2, 2, 1, 1]);
});

Deno.test("hclust() cophenetic matrix is an ultrametric and never below the merge of a pair", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        {
          minLength: 2,
          maxLength: 12,
        },
      ),
      (points) => {
        const n = points.length;
        const D = Matrix.generate(
          n,
          n,
          (i, j) => Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]),
        );
        const { cophenetic: C, order, merges } = hclust(D);
        assert.equal(merges.length, n - 1);
        assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
        for (let t = 1; t < merges.length; t++) {
          assert.ok(merges[t]!.height >= merges[t - 1]!.height - 1e-12);
        }
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            for (let k = 0; k < n; k++) {
              assert.ok(C.get(i, j) <= Math.max(C.get(i, k), C.get(k, j)) + 1e-12);
            }
          }
        }
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("hclust() rejects a non-square, negative or asymmetric distance matrix", () => {
  assert.throws(() => hclust(Matrix.zeros(2, 3)), TypeError);
  assert.throws(() => hclust(Matrix.fromRows([[0, -1], [-1, 0]])), /finite non-negative/);
  assert.throws(() => hclust(Matrix.fromRows([[0, 1], [2, 0]])), /symmetric/);
  assert.throws(() => hclust(D7).cutTree(8), RangeError);
});
