import assert from "node:assert/strict";
import { createRng, Matrix, nmfRuns, nmfRunsAsync, runSeeds } from "../mod.ts";

const rng = createRng(5);
const V = Matrix.generate(8, 10, () => rng.uniform());

Deno.test("nmfRuns() is deterministic by seed", () => {
  const a = nmfRuns(V, { rank: 3, runs: 4, seed: 9, maxIter: 30 });
  const b = nmfRuns(V, { rank: 3, runs: 4, seed: 9, maxIter: 30 });
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.seeds, b.seeds);
  a.results.forEach((r, i) => assert.deepEqual(r.W.data, b.results[i]!.W.data));
});

Deno.test("nmfRuns() starts each run from a different random point", () => {
  const { results, seeds } = nmfRuns(V, { rank: 3, runs: 3, seed: 1, maxIter: 5 });
  assert.equal(new Set(seeds).size, 3);
  assert.equal(results[0]!.options.init, "random");
  assert.notDeepEqual(results[0]!.W.data, results[1]!.W.data);
});

Deno.test("nmfRuns() run i does not depend on how many runs are asked for", () => {
  const three = nmfRuns(V, { rank: 2, runs: 3, seed: 4, maxIter: 20 });
  const five = nmfRuns(V, { rank: 2, runs: 5, seed: 4, maxIter: 20 });
  assert.deepEqual(five.losses.slice(0, 3), three.losses);
  assert.deepEqual(runSeeds(4, 5).slice(0, 3), three.seeds);
});

Deno.test("nmfRuns() with keep 'best' returns the lowest-loss run only", () => {
  const all = nmfRuns(V, { rank: 3, runs: 5, seed: 2, maxIter: 40 });
  const best = nmfRuns(V, { rank: 3, runs: 5, seed: 2, maxIter: 40, keep: "best" });
  assert.equal(best.results.length, 1);
  assert.equal(best.best.loss, Math.min(...all.losses));
  assert.equal(best.bestIndex, all.losses.indexOf(Math.min(...all.losses)));
  assert.deepEqual(best.best.H.data, all.results[best.bestIndex]!.H.data);
});

Deno.test("nmfRuns() rejects bad runs and keep, and passes nmf's own checks through", () => {
  assert.throws(() => nmfRuns(V, { rank: 2, runs: 0 }), RangeError);
  assert.throws(() => nmfRuns(V, { rank: 2, keep: "first" as "all" }), /keep/);
  assert.throws(() => nmfRuns(V, { rank: 2, maxIters: 3 } as never), /unknown option/);
});

Deno.test("nmfRunsAsync() on workers returns the same runs as nmfRuns, in run order", async () => {
  const options = { rank: 3, runs: 5, seed: 6, maxIter: 30, backend: "portable" } as const;
  const sequential = nmfRuns(V, options);
  const parallel = await nmfRunsAsync(V, { ...options, workers: 2 });
  assert.deepEqual(parallel.losses, sequential.losses);
  assert.equal(parallel.bestIndex, sequential.bestIndex);
  parallel.results.forEach((r, i) => {
    assert.ok(r.W instanceof Matrix);
    assert.deepEqual(r.H.data, sequential.results[i]!.H.data);
    assert.equal(r.trace.length, sequential.results[i]!.trace.length);
  });
});

Deno.test("nmfRunsAsync() rejects bad options before starting workers", async () => {
  await assert.rejects(nmfRunsAsync(V, { rank: 0, runs: 2, workers: 2 }), RangeError);
  await assert.rejects(nmfRunsAsync(V, { rank: 2, runs: 2, workers: -1 }), /workers/);
  await assert.rejects(
    nmfRunsAsync(V, { rank: 2, runs: 2, workers: 1, onIteration: () => {} }),
    /onIteration cannot be sent/,
  );
});
