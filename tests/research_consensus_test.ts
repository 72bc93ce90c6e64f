import assert from "node:assert/strict";
import {
  adjustedRandIndex,
  argmaxClusters,
  consensusMatrix,
  copheneticCorrelation,
  createRng,
  dispersion,
  Matrix,
  rankSurvey,
  rankSurveyAsync,
  silhouette,
} from "../mod.ts";

// Same 7-point distance matrix as tests/research_hclust_test.ts.
const D7 = Matrix.fromRows([
  [0.0, 0.794599, 0.196499, 0.400881, 0.660508, 0.414414, 0.491429],
  [0.794599, 0.0, 0.72268, 0.53129, 0.473214, 0.415232, 0.370675],
  [0.196499, 0.72268, 0.0, 0.47213, 0.715699, 0.308641, 0.369928],
  [0.400881, 0.53129, 0.47213, 0.0, 0.259645, 0.367645, 0.429796],
  [0.660508, 0.473214, 0.715699, 0.259645, 0.0, 0.529483, 0.562347],
  [0.414414, 0.415232, 0.308641, 0.367645, 0.529483, 0.0, 0.080377],
  [0.491429, 0.370675, 0.369928, 0.429796, 0.562347, 0.080377, 0.0],
]);

/** Columns in `blocks` groups; group g's columns load on rows of block g only (plus noise). */
function plantedBlocks(blocks: number, rowsPer: number, colsPer: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(blocks * rowsPer, blocks * colsPer, (i, j) => {
    const inBlock = Math.floor(i / rowsPer) === Math.floor(j / colsPer);
    return (inBlock ? 5 : 0) + 0.5 * rng.uniform();
  });
}

Deno.test("argmaxClusters() labels each column by its largest coefficient", () => {
  assert.deepEqual(argmaxClusters(Matrix.fromRows([[3, 0, 1, 2], [1, 2, 1, 5]])), [0, 1, 0, 1]);
});

Deno.test("copheneticCorrelation() matches R's cor(cophenetic(hclust(d, 'average')), d)", () => {
  // Feed 1 − D7 as a "consensus" so that the distance used is exactly D7.
  const C = D7.map((v) => 1 - v);
  assert.ok(Math.abs(copheneticCorrelation(C) - 0.721692467710978) < 1e-12);
});

Deno.test("dispersion() is 1 for a crisp consensus, 0 for all ½, and in between otherwise", () => {
  assert.equal(dispersion(consensusMatrix([[0, 0, 1, 1, 2]])), 1);
  assert.equal(dispersion(Matrix.filled(3, 3, 0.5)), 0);
  const d = dispersion(consensusMatrix([[0, 0, 1, 1], [0, 1, 1, 0]]));
  assert.ok(d > 0 && d < 1);
});

Deno.test("silhouette() matches R's cluster::silhouette on a 7-point example", () => {
  const { mean, widths } = silhouette(D7, [0, 0, 1, 1, 2, 2, 2]);
  assert.equal(widths.length, 7);
  assert.ok(Math.abs(mean - -0.169755237352579) < 1e-12);
});

Deno.test("adjustedRandIndex() gives the known values", () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 1);
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < 1e-12);
  // scikit-learn's documented example: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 4/7.
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]) - 4 / 7) < 1e-12);
  assert.equal(adjustedRandIndex([0, 1, 2, 3], [0, 1, 2, 3]), 1);
  assert.equal(adjustedRandIndex([0, 0], [3, 3]), 1);
  assert.throws(() => adjustedRandIndex([0, 1], [0]), TypeError);
});

Deno.test("rankSurvey() gives cophenetic 1 and recovers the blocks at the true rank", () => {
  const V = plantedBlocks(3, 6, 5, 11);
  const truth = Array.from({ length: 15 }, (_, j) => Math.floor(j / 5));
  const [k2, k3] = rankSurvey(V, { ranks: [2, 3], runs: 6, seed: 3, maxIter: 150 });
  assert.equal(k3!.rank, 3);
  assert.ok(Math.abs(k3!.cophenetic - 1) < 1e-12, `cophenetic at k = 3: ${k3!.cophenetic}`);
  // One of the six runs may stall in a local minimum that merges two blocks: the consensus is
  // then not all 0/1, but still an ultrametric, so the cophenetic coefficient stays 1.
  assert.ok(k3!.dispersion > k2!.dispersion);
  assert.equal(adjustedRandIndex(k3!.clusters, truth), 1);
  assert.ok(k3!.silhouette > 0.9);
  assert.equal(k3!.consensus.rows, 15);
  assert.equal(k3!.order.length, 15);
  assert.ok(k3!.rss < k2!.rss, "a third component lowers the residual");
});

Deno.test("rankSurvey() rejects ranks outside [2, columns]", () => {
  const V = plantedBlocks(2, 2, 2, 1);
  assert.throws(() => rankSurvey(V, { ranks: [1] }), RangeError);
  assert.throws(() => rankSurvey(V, { ranks: [5] }), RangeError);
  assert.throws(() => rankSurvey(V, { ranks: [] }), TypeError);
});

Deno.test("rankSurveyAsync() on workers gives the same entries as rankSurvey", async () => {
  const V = plantedBlocks(2, 4, 4, 5);
  const options = { ranks: [2, 3], runs: 4, seed: 2, maxIter: 60, backend: "portable" } as const;
  const sequential = rankSurvey(V, options);
  const parallel = await rankSurveyAsync(V, { ...options, workers: 2 });
  parallel.forEach((e, i) => {
    const s = sequential[i]!;
    assert.equal(e.cophenetic, s.cophenetic);
    assert.deepEqual(e.losses, s.losses);
    assert.deepEqual(e.clusters, s.clusters);
    assert.deepEqual(e.consensus.data, s.consensus.data);
  });
});

Deno.test("rankSurvey() with a mask ignores garbage in masked cells, rss included", () => {
  const V = plantedBlocks(2, 4, 4, 9);
  const mask = Matrix.generate(8, 8, (i, j) => ((i + 3 * j) % 7 === 0 ? 0 : 1));
  const garbage = V.map((v, i, j) => (mask.get(i, j) === 0 ? 1e6 : v));
  const options = { ranks: [2], runs: 3, seed: 4, maxIter: 40, mask } as const;
  const [clean] = rankSurvey(V, options);
  const [dirty] = rankSurvey(garbage, options);
  assert.equal(dirty!.rss, clean!.rss);
  assert.deepEqual(dirty!.clusters, clean!.clusters);
  assert.ok(dirty!.rss < 1e3, "the 1e6 entries are not counted");
});
