import assert from "node:assert/strict";
import { createRng, Matrix, nmf, OnlineNmf, transform } from "../mod.ts";

const rng = createRng(2);
const W0 = Matrix.generate(30, 4, () => rng.uniform());
const H0 = Matrix.generate(4, 200, () => rng.uniform());
const V = W0.multiply(H0).map((v) => Math.max(0, v + 0.1 * rng.normal()));
const chunk = (c: number) => Matrix.generate(30, 20, (i, j) => V.get(i, c + j));

function halfResidual(W: Matrix): number {
  const WH = W.multiply(transform(W, V));
  let s = 0;
  for (let i = 0; i < V.size; i++) s += (V.data[i]! - WH.data[i]!) ** 2;
  return 0.5 * s;
}

Deno.test("OnlineNmf approaches the batch loss within 5% after a few passes over the chunks", () => {
  const batch = nmf(V, { rank: 4, solver: "hals", maxIter: 500, tol: 1e-8 });
  const model = new OnlineNmf({ rank: 4, seed: 1, forget: 0.8, sweeps: 20 });
  const ratios: number[] = [];
  for (let pass = 0; pass < 6; pass++) {
    for (let c = 0; c < 200; c += 20) model.partialFit(chunk(c));
    ratios.push(halfResidual(model.components) / batch.loss);
  }
  assert.ok(ratios.at(-1)! < 1.05, `online / batch loss ratios per pass: ${ratios.join(", ")}`);
  assert.ok(ratios.at(-1)! < ratios[0]!, "later passes improve on the first");
  assert.equal(model.samples, 1200);
  assert.equal(model.chunks, 60);
});

Deno.test("OnlineNmf is deterministic by seed and never makes W negative", () => {
  const a = new OnlineNmf({ rank: 3, seed: 5 }), b = new OnlineNmf({ rank: 3, seed: 5 });
  for (let c = 0; c < 200; c += 20) {
    a.partialFit(chunk(c));
    b.partialFit(chunk(c));
  }
  assert.deepEqual(a.components.data, b.components.data);
  assert.ok(a.components.min() >= 0);
  assert.ok(a.transform(chunk(0)).min() >= 0);
});

Deno.test("OnlineNmf rejects chunks of a different height and bad options", () => {
  const model = new OnlineNmf({ rank: 2 });
  assert.throws(() => model.components, /before the first partialFit/);
  model.partialFit(chunk(0));
  assert.throws(() => model.partialFit(Matrix.zeros(5, 3)), /30 rows/);
  assert.throws(() => new OnlineNmf({ rank: 2, forget: 0 }), /forget/);
  assert.throws(() => new OnlineNmf({ rank: 2, batch: 3 } as never), /unknown option/);
});
