import assert from "node:assert/strict";
import { barsDataset, loadDataset, setPortableThreads } from "../mod.ts";
import {
  type ExperimentCheck,
  failedChecks,
  golubMetagenes,
  identityAndBeyond,
  iterationScaling,
  mostVariableRows,
  nonnegativeRankGap,
  partsVersusHolistic,
  reachableBytes,
  restartDiversity,
  restartMinima,
  scalingIndeterminacy,
  simplexGeometry,
  solverMemory,
  sotuTopics,
  spaRecovery,
  tfidf,
  threadScaling,
  traceCost,
  triangleAreaRatio,
} from "../experiments/mod.ts";
import { Matrix } from "../mod.ts";

function assertAllHold(checks: readonly ExperimentCheck[]): void {
  assert.ok(checks.length > 0, "an experiment must check at least one claim");
  const failed = failedChecks(checks);
  assert.deepEqual(failed, [], failed.map((c) => `${c.claim}: ${c.value}`).join("; "));
}

Deno.test("scalingIndeterminacy(): (WD)(D⁻¹H) and (WP)(PᵀH) reproduce WH", () => {
  const r = scalingIndeterminacy({ seed: 3 });
  assertAllHold(r.checks);
  assert.ok(r.scalingDifference <= 1e-12);
});

Deno.test("identityAndBeyond(): I has only trivial NMFs, [[2,1],[1,2]] a continuum", () => {
  const r = identityAndBeyond();
  assertAllHold(r.checks);
  assert.equal(r.family.length, 6);
});

Deno.test("restartDiversity(): dense data give different exact fits, doubly separable data one", () => {
  const r = restartDiversity({ quick: true, runs: 3 });
  assertAllHold(r.checks);
  assert.equal(r.table.length, 9);
});

Deno.test("simplexGeometry() and spaRecovery(): fitted triangles contain the data, SPA finds the anchors", () => {
  assertAllHold(simplexGeometry({ quick: true }).checks);
  assertAllHold(spaRecovery({ quick: true }).checks);
});

Deno.test("triangleAreaRatio() is 1 for the simplex's corners and rejects non-3×3 input", () => {
  assert.equal(triangleAreaRatio(Matrix.identity(3)), 1);
  assert.throws(() => triangleAreaRatio(Matrix.identity(2)), TypeError);
});

Deno.test("nonnegativeRankGap(): rank-3 SVD is exact, rank-3 NMF is not, rank-4 NMF is", () => {
  const r = nonnegativeRankGap({ quick: true, runs: 5 });
  assertAllHold(r.checks);
  assert.equal(r.nmfRank3Errors.length, 5);
});

Deno.test("restartMinima() records every restart of every solver", () => {
  const r = restartMinima({ quick: true, runs: 2 });
  assert.equal(r.records.length, 6);
  assert.ok(r.records.every((x) => x.relativeError >= 0 && x.relativeError < 1));
});

Deno.test("iterationScaling() times every solver × size and fits one slope per sweep", () => {
  const r = iterationScaling({
    quick: true,
    solvers: ["mu"],
    backends: ["portable"],
    iterations: 2,
  });
  assert.equal(r.records.length, 9);
  assert.equal(r.slopes.length, 3);
  assert.ok(r.records.every((x) => x.seconds > 0 && Number.isFinite(x.seconds)));
});

Deno.test("solverMemory(): Frobenius work memory is linear in m + n, KL-MU's grows with mn", () => {
  assertAllHold(solverMemory({ quick: true }).checks);
});

Deno.test("reachableBytes() counts each buffer once and skips excluded ones", () => {
  const a = new Float64Array(4), b = new Float64Array(2);
  assert.equal(reachableBytes({ a, again: a, nested: { b } }), 48);
  assert.equal(reachableBytes({ a, b }, new Set([a.buffer])), 16);
});

Deno.test("traceCost() runs mu and hals with traceEvery 1 and 10", () => {
  const r = traceCost({ quick: true });
  assert.deepEqual(r.rows.map((x) => x.traceEvery), [1, 10, 1, 10]);
  assert.equal(r.rows[0]!.traced, r.shape.iterations + 1);
});

Deno.test("threadScaling(): the same factors on 1 and 2 threads, a time for each, the setting restored", () => {
  const before = setPortableThreads(3);
  try {
    const r = threadScaling({ quick: true });
    assertAllHold(r.checks);
    assert.ok(r.identical);
    assert.deepEqual(r.rows.slice(0, 2).map((x) => x.threads), [1, 2]);
    for (const row of r.rows) {
      assert.ok(row.secondsPerIteration > 0 && Number.isFinite(row.speedup));
    }
    assert.equal(r.rows[0]!.speedup, 1);
    assert.equal(
      setPortableThreads(before),
      3,
      "threadScaling leaves the thread setting as it was",
    );
  } finally {
    setPortableThreads(before);
  }
});

Deno.test("partsVersusHolistic(): on bars, NMF bases are sparser than PCA's", () => {
  const bars = barsDataset({ size: 8, samples: 80, seed: 2 });
  const r = partsVersusHolistic(bars, { rank: 16, quick: true });
  assertAllHold(r.checks);
  assert.ok(r.negativeFractionPca > 0);
});

Deno.test("tfidf() gives unit columns and down-weights terms found in every document", () => {
  const X = tfidf(Matrix.fromRows([[1, 1], [1, 0]]), [2, 1]);
  assert.ok(Math.abs(Math.hypot(X.get(0, 0), X.get(1, 0)) - 1) < 1e-12);
  assert.ok(X.get(0, 0) < X.get(1, 0));
  assert.throws(() => tfidf(Matrix.zeros(2, 2), [1]), TypeError);
});

Deno.test("sotuTopics() finds distinct topics from different eras", () => {
  const r = sotuTopics(loadDataset("sotu"), { quick: true, rank: 6, top: 8 });
  assertAllHold(r.checks);
  assert.equal(r.topics.length, 6);
});

Deno.test("golubMetagenes(): rank-2 consensus clusters agree with ALL/AML", () => {
  const r = golubMetagenes(loadDataset("golub"), { ranks: [2], runs: 6, genes: 300, maxIter: 60 });
  assert.equal(r.genes.length, 300);
  assert.ok(r.agreement[0]!.ariAllAml > 0.5, String(r.agreement[0]!.ariAllAml));
});

Deno.test("mostVariableRows() keeps the rows with the largest sd/mean, in order", () => {
  const V = Matrix.fromRows([[1, 1], [1, 3], [0, 0], [2, 10]]);
  assert.deepEqual(mostVariableRows(V, 2), [1, 3]);
});
