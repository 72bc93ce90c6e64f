import assert from "node:assert/strict";
import { createRng, gnmf, knnGraph, Matrix, nmf } from "../mod.ts";

const rng = createRng(21);
const V = Matrix.generate(12, 30, () => rng.uniform());

Deno.test("gnmf() objective with the graph term never increases", () => {
  for (const lambda of [0.1, 1, 10]) {
    for (const weighting of ["binary", "heat"] as const) {
      const r = gnmf(V, { rank: 3, lambda, neighbors: 4, weighting, maxIter: 150, tol: 0 });
      assert.equal(r.graphTrace.length, r.trace.length);
      const total = r.trace.map((e, i) => e.loss + r.graphTrace[i]!);
      for (let i = 1; i < total.length; i++) {
        assert.ok(
          total[i]! <= total[i - 1]! * (1 + 1e-12),
          `λ = ${lambda}, ${weighting}: objective rose at ${i}: ${total[i - 1]} → ${total[i]}`,
        );
      }
      assert.ok(Math.abs(r.objective - total.at(-1)!) < 1e-12 * total.at(-1)!);
    }
  }
});

Deno.test("gnmf() with lambda 0 takes the same steps as Frobenius multiplicative updates", () => {
  const g = gnmf(V, { rank: 3, lambda: 0, maxIter: 20, tol: 0 });
  const m = nmf(V, { rank: 3, solver: "mu", maxIter: 20, tol: 0 });
  for (let i = 0; i < g.W.size; i++) assert.ok(Math.abs(g.W.data[i]! - m.W.data[i]!) < 1e-12);
  assert.ok(g.graphTrace.every((t) => t === 0));
});

Deno.test("gnmf() a larger lambda gives smoother coefficients over the graph", () => {
  const A = knnGraph(V, { neighbors: 4 });
  const small = gnmf(V, { rank: 3, lambda: 0.01, graph: A, maxIter: 200 });
  const large = gnmf(V, { rank: 3, lambda: 10, graph: A, maxIter: 200 });
  // graph term divided by λ is Tr(HLHᵀ)/2, relative to the size of H
  const smooth = (r: typeof small) =>
    r.graphTrace.at(-1)! / r.lambda / r.H.data.reduce((s, v) => s + v * v, 0);
  assert.ok(smooth(large) < smooth(small));
});

Deno.test("knnGraph() is symmetric, has a zero diagonal and at least `neighbors` edges per node", () => {
  const A = knnGraph(V, { neighbors: 3 });
  const H = knnGraph(V, { neighbors: 3, weighting: "heat" });
  const n = V.cols;
  for (let i = 0; i < n; i++) {
    assert.equal(A.get(i, i), 0);
    let edges = 0;
    for (let j = 0; j < n; j++) {
      assert.equal(A.get(i, j), A.get(j, i));
      assert.equal(H.get(i, j), H.get(j, i));
      assert.equal(H.get(i, j) > 0, A.get(i, j) > 0);
      assert.ok(H.get(i, j) <= 1);
      edges += A.get(i, j);
    }
    assert.ok(edges >= 3);
  }
});

Deno.test("gnmf() and knnGraph() reject bad arguments by name", () => {
  assert.throws(() => knnGraph(V, { neighbors: 30 }), /neighbors/);
  assert.throws(() => knnGraph(V, { weighting: "cosine" as "heat" }), /weighting/);
  assert.throws(() => gnmf(V, { rank: 2, lambda: -1 }), /lambda/);
  assert.throws(() => gnmf(V, { rank: 2, graph: Matrix.zeros(3, 3) }), /graph must be 30×30/);
  assert.throws(() => gnmf(V, { rank: 2, beta: 1 } as never), /unknown option "beta"/);
});
