import assert from "node:assert/strict";
import {
  addNoise,
  barsDataset,
  createRng,
  identityExample,
  logGamma,
  Matrix,
  nonnegativeRankExample,
  plantedNmf,
  sampleGamma,
  samplePoisson,
  svd,
} from "../mod.ts";

function meanVar(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  const mean = s / xs.length;
  let q = 0;
  for (let i = 0; i < xs.length; i++) q += ((xs[i] as number) - mean) ** 2;
  return { mean, variance: q / (xs.length - 1) };
}

Deno.test("plantedNmf() is deterministic by seed and differs between seeds", () => {
  for (const noise of ["none", "gaussian", "poisson", "gamma"] as const) {
    for (const structure of ["dense", "sparse", "separable"] as const) {
      const a = plantedNmf(12, 15, { rank: 3, structure, noise, seed: 5 });
      const b = plantedNmf(12, 15, { rank: 3, structure, noise, seed: 5 });
      const c = plantedNmf(12, 15, { rank: 3, structure, noise, seed: 6 });
      assert.deepEqual(a.V.data, b.V.data);
      assert.deepEqual(a.W.data, b.W.data);
      assert.deepEqual(a.H.data, b.H.data);
      assert.notDeepEqual(a.V.data, c.V.data);
    }
  }
});

Deno.test("plantedNmf() returns non-negative factors whose product is the clean matrix", () => {
  for (const structure of ["dense", "sparse", "separable"] as const) {
    const p = plantedNmf(20, 25, { rank: 4, structure, seed: 1, scale: 3 });
    assert.deepEqual(p.W.shape, [20, 4]);
    assert.deepEqual(p.H.shape, [4, 25]);
    assert.ok(p.W.min() >= 0 && p.H.min() >= 0);
    assert.deepEqual(p.clean.data, p.W.multiply(p.H).data);
    assert.deepEqual(p.V.data, p.clean.data, "noise 'none' leaves V = W*H*");
    assert.ok(p.W.max() > 1, "scale multiplies W*");
  }
});

Deno.test("plantedNmf() sparse factors have about the asked density and no empty component", () => {
  const p = plantedNmf(200, 300, { rank: 6, structure: "sparse", density: 0.2, seed: 3 });
  const nzW = p.W.data.filter((v) => v > 0).length / p.W.size;
  const nzH = p.H.data.filter((v) => v > 0).length / p.H.size;
  assert.ok(Math.abs(nzW - 0.2) < 0.04, `W density ${nzW}`);
  assert.ok(Math.abs(nzH - 0.2) < 0.04, `H density ${nzH}`);
  const tiny = plantedNmf(3, 3, { rank: 3, structure: "sparse", density: 0.01, seed: 2 });
  for (let a = 0; a < 3; a++) {
    assert.ok(tiny.W.column(a).some((v) => v > 0), `column ${a} of W is empty`);
    assert.ok(tiny.H.row(a).some((v) => v > 0), `row ${a} of H is empty`);
  }
});

Deno.test("plantedNmf() separable H* holds an identity block at the anchors and simplex columns", () => {
  const p = plantedNmf(10, 40, { rank: 5, structure: "separable", seed: 9 });
  const anchors = p.anchors as number[];
  assert.equal(new Set(anchors).size, 5);
  for (let j = 0; j < 40; j++) {
    const h = p.H.column(j);
    const sum = h.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12, `column ${j} sums to ${sum}`);
    const a = anchors.indexOf(j);
    if (a >= 0) {
      assert.deepEqual(Array.from(h), Array.from({ length: 5 }, (_, i) => (i === a ? 1 : 0)));
    }
  }
  assert.throws(() => plantedNmf(10, 3, { rank: 5, structure: "separable" }), /cols ≥ rank/);
});

Deno.test("Gaussian noise has mean 0 and variance σ² unclipped; clipping gives max(0, ·)", () => {
  const E = Matrix.filled(200, 200, 1);
  const sigma = 0.3;
  const V = addNoise(E, { noise: "gaussian", sigma, clip: false, seed: 4 });
  const { mean, variance } = meanVar(V.data.map((v) => v - 1));
  const N = V.size;
  assert.ok(Math.abs(mean) < 5 * sigma / Math.sqrt(N), `mean ${mean}`);
  assert.ok(Math.abs(variance / sigma ** 2 - 1) < 5 * Math.sqrt(2 / N), `variance ${variance}`);
  // At E = 0 clipping keeps max(0, σZ): mean σ/√(2π), and never a negative entry.
  const Z = addNoise(Matrix.zeros(200, 200), { noise: "gaussian", sigma, seed: 4 });
  assert.ok(Z.min() >= 0);
  const clippedMean = meanVar(Z.data).mean;
  const expected = sigma / Math.sqrt(2 * Math.PI);
  assert.ok(Math.abs(clippedMean - expected) < 5 * sigma / Math.sqrt(N), `mean ${clippedMean}`);
  assert.ok(Z.data.filter((v) => v === 0).length > 0.45 * N);
});

Deno.test("samplePoisson() has mean λ and variance λ for small, boundary and huge λ", () => {
  const rng = createRng(11);
  const N = 20000;
  for (const lambda of [0.3, 3, 9.99, 10, 37.5, 1000, 1e6]) {
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) xs[i] = samplePoisson(rng, lambda);
    assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0));
    const { mean, variance } = meanVar(xs);
    assert.ok(Math.abs(mean - lambda) < 5 * Math.sqrt(lambda / N), `λ=${lambda}: mean ${mean}`);
    const relSe = Math.sqrt((1 / lambda + 2) / N);
    assert.ok(Math.abs(variance / lambda - 1) < 6 * relSe, `λ=${lambda}: variance ${variance}`);
  }
  assert.equal(samplePoisson(rng, 0), 0);
  assert.throws(() => samplePoisson(rng, -1), RangeError);
});

Deno.test("samplePoisson() at λ = 20 (rejection branch) matches the Poisson probabilities", () => {
  const rng = createRng(12);
  const N = 50000, lambda = 20;
  const counts = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    const k = samplePoisson(rng, lambda);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (let k = 5; k <= 40; k++) {
    const p = Math.exp(-lambda + k * Math.log(lambda) - logGamma(k + 1));
    const f = (counts.get(k) ?? 0) / N;
    assert.ok(Math.abs(f - p) < 5 * Math.sqrt(p / N) + 1e-4, `k=${k}: frequency ${f}, pmf ${p}`);
  }
});

Deno.test("logGamma() matches log((n−1)!) and Γ(½) = √π", () => {
  let logFact = 0;
  for (let n = 1; n <= 60; n++) {
    if (n > 1) logFact += Math.log(n - 1);
    assert.ok(Math.abs(logGamma(n) - logFact) < 1e-12 * Math.max(1, logFact), `n=${n}`);
  }
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(logGamma(0.1) - Math.log(9.513507698668732)) < 1e-13);
});

Deno.test("sampleGamma() has mean k and variance k, also below k = 1", () => {
  const rng = createRng(21);
  const N = 20000;
  for (const k of [0.3, 1, 2.5, 50]) {
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) xs[i] = sampleGamma(rng, k);
    assert.ok(xs.every((x) => x >= 0));
    const { mean, variance } = meanVar(xs);
    assert.ok(Math.abs(mean - k) < 5 * Math.sqrt(k / N), `k=${k}: mean ${mean}`);
    // Var of the sample variance of Gamma(k): (μ4 − σ⁴)/N with μ4 = 3k² + 6k.
    const se = Math.sqrt((3 * k * k + 6 * k - k * k) / N);
    assert.ok(Math.abs(variance - k) < 6 * se, `k=${k}: variance ${variance}`);
  }
});

Deno.test("Gamma (multiplicative) noise has mean W*H* and variance (W*H*)²/shape", () => {
  const E = Matrix.generate(100, 200, (i) => (i < 50 ? 2 : 8));
  const shape = 4;
  const V = addNoise(E, { noise: "gamma", shape, seed: 8 });
  assert.ok(V.min() > 0);
  for (const [lo, hi, e] of [[0, 50, 2], [50, 100, 8]] as const) {
    const xs = V.data.slice(lo * 200, hi * 200);
    const { mean, variance } = meanVar(xs);
    const N = xs.length;
    assert.ok(Math.abs(mean - e) < 5 * e / Math.sqrt(shape * N), `E=${e}: mean ${mean}`);
    assert.ok(Math.abs(variance / (e * e / shape) - 1) < 0.1, `E=${e}: variance ${variance}`);
  }
  assert.deepEqual(addNoise(Matrix.zeros(2, 2), { noise: "gamma" }).data, new Float64Array(4));
});

Deno.test("Poisson noise on planted factors gives counts with mean W*H*", () => {
  const p = plantedNmf(100, 100, { rank: 4, noise: "poisson", scale: 10, seed: 2 });
  assert.ok(p.V.data.every((v) => Number.isInteger(v) && v >= 0));
  const diff = p.V.sum() - p.clean.sum();
  // Var(ΣV) = ΣE for independent Poisson entries.
  assert.ok(Math.abs(diff) < 5 * Math.sqrt(p.clean.sum()), `ΣV − ΣE = ${diff}`);
});

Deno.test("addNoise() and plantedNmf() reject bad options with clear messages", () => {
  const E = Matrix.filled(2, 2, 1);
  assert.throws(() => addNoise(E, { noise: "laplace" as "none" }), /noise must be one of/);
  assert.throws(
    () => addNoise(E, { noise: "gaussian", sigma: -1 }),
    /sigma must be a finite number ≥ 0, got -1/,
  );
  assert.throws(
    () => addNoise(E, { noise: "gamma", shape: 0 }),
    /shape must be a finite number > 0/,
  );
  assert.throws(
    () => addNoise(Matrix.filled(1, 1, -1), { noise: "poisson" }),
    /needs a clean matrix ≥ 0/,
  );
  assert.throws(() => plantedNmf(0, 3), /rows must be ≥ 1/);
  assert.throws(() => plantedNmf(3, 3, { rank: 1.5 }), /rank must be a positive integer, got 1.5/);
  assert.throws(() => plantedNmf(3, 3, { density: 0 }), /density must be in \(0, 1\]/);
});

Deno.test("nonnegativeRankExample() has rank 3 and a fooling set of size 4", () => {
  const ex = nonnegativeRankExample();
  const { S } = svd(ex.V);
  assert.ok((S[2] as number) > 0.5, `σ3 = ${S[2]}`);
  assert.ok((S[3] as number) < 1e-12, `σ4 = ${S[3]}`);
  assert.equal(ex.rank, 3);
  assert.equal(ex.foolingSet.length, ex.nonnegativeRank);
  for (const [i1, j1] of ex.foolingSet) {
    assert.ok(ex.V.get(i1, j1) > 0);
    for (const [i2, j2] of ex.foolingSet) {
      if (i1 !== i2 || j1 !== j2) assert.equal(ex.V.get(i1, j2) * ex.V.get(i2, j1), 0);
    }
  }
  assert.deepEqual(ex.W.multiply(ex.H).toRows(), ex.V.toRows());
});

Deno.test("identityExample() lists different exact non-negative factorizations of I", () => {
  const { V, factorizations } = identityExample({ size: 4 });
  assert.deepEqual(V.toRows(), Matrix.identity(4).toRows());
  const seen = new Set<string>();
  for (const { name, W, H } of factorizations) {
    assert.ok(W.min() >= 0 && H.min() >= 0, name);
    const P = W.multiply(H);
    for (let i = 0; i < P.size; i++) {
      assert.ok(Math.abs((P.data[i] as number) - (V.data[i] as number)) < 1e-15, name);
    }
    seen.add(Array.from(W.data).join(","));
  }
  assert.equal(seen.size, factorizations.length, "the W factors all differ");
  assert.throws(() => identityExample({ size: 0 }), /size must be ≥ 1/);
});

Deno.test("barsDataset() builds every image from disjoint bars, exactly V = WH", () => {
  const bars = barsDataset();
  assert.deepEqual(bars.V.shape, [64, 256]);
  assert.deepEqual(bars.W.shape, [64, 16]);
  assert.deepEqual(bars.W.multiply(bars.H).data, bars.V.data);
  // Parts are disjoint and tile the image: every pixel is in exactly one part, each of 4 pixels.
  for (let p = 0; p < 64; p++) assert.equal(bars.W.row(p).reduce((s, v) => s + v, 0), 1);
  for (let a = 0; a < 16; a++) assert.equal(bars.W.column(a).reduce((s, v) => s + v, 0), 4);
  // Every image uses one bar per quadrant, and all 256 images differ.
  for (let j = 0; j < 256; j++) assert.equal(bars.H.column(j).reduce((s, v) => s + v, 0), 4);
  assert.equal(new Set(Array.from({ length: 256 }, (_, j) => bars.V.column(j).join())).size, 256);
  assert.equal(bars.parts[0], "top-left row 0");
  const { S } = svd(bars.V);
  const rank = Array.from(S).filter((s) => s > 1e-9 * (S[0] as number)).length;
  assert.equal(rank, 13, "rank(V) = 2·size − 3");
});

Deno.test("barsDataset() with samples draws random images deterministically by seed", () => {
  const a = barsDataset({ size: 6, samples: 50, seed: 3 });
  const b = barsDataset({ size: 6, samples: 50, seed: 3 });
  assert.deepEqual(a.V.shape, [36, 50]);
  assert.deepEqual(a.imageShape, [6, 6]);
  assert.deepEqual(a.V.data, b.V.data);
  assert.notDeepEqual(a.V.data, barsDataset({ size: 6, samples: 50, seed: 4 }).V.data);
  assert.throws(() => barsDataset({ size: 7 }), /size must be even/);
});
