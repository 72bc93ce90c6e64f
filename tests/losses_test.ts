import assert from "node:assert/strict";
import fc from "fast-check";
import { betaDivergence, betaDivergenceScalar, createRng, Matrix, resolveBeta } from "../mod.ts";
import { randomPositive } from "./fixtures.ts";

Deno.test("betaDivergence follows scikit-learn's convention for beta 2, 1, 0 and others", () => {
  const V = Matrix.fromRows([[1, 2], [3, 4]]);
  const W = Matrix.fromRows([[1], [2]]);
  const H = Matrix.fromRows([[1, 1.5]]);
  const WH = [[1, 1.5], [2, 3]];
  const v = [[1, 2], [3, 4]];
  const sum = (f: (x: number, y: number) => number) => {
    let s = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += f(v[i]![j]!, WH[i]![j]!);
    return s;
  };
  const close = (a: number, b: number) =>
    assert.ok(Math.abs(a - b) <= 1e-14 * Math.abs(b), `${a} vs ${b}`);
  close(betaDivergence(V, W, H, "frobenius"), sum((x, y) => 0.5 * (x - y) ** 2));
  close(betaDivergence(V, W, H, "kullback-leibler"), sum((x, y) => x * Math.log(x / y) - x + y));
  close(betaDivergence(V, W, H, "itakura-saito"), sum((x, y) => x / y - Math.log(x / y) - 1));
  const b = 1.5;
  close(
    betaDivergence(V, W, H, b),
    sum((x, y) => (x ** b + (b - 1) * y ** b - b * x * y ** (b - 1)) / (b * (b - 1))),
  );
});

Deno.test("resolveBeta maps names and aliases, rejects unknown names and NaN", () => {
  assert.equal(resolveBeta("frobenius"), 2);
  assert.equal(resolveBeta("kl"), 1);
  assert.equal(resolveBeta("is"), 0);
  assert.throws(() => resolveBeta("kullback" as never), {
    name: "RangeError",
    message: /beta must be a number or one of .*got "kullback"/,
  });
  assert.throws(() => resolveBeta(NaN), { name: "RangeError", message: /got NaN/ });
  assert.throws(() => resolveBeta({} as never), { name: "TypeError" });
});

Deno.test("d_beta is zero exactly at x = y and positive elsewhere (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      fc.constantFrom(0, 0.5, 1, 1.5, 2, 3),
      (x, y, beta) => {
        assert.ok(Math.abs(betaDivergenceScalar(x, x, beta)) < 1e-9 * Math.max(1, x ** beta));
        assert.ok(betaDivergenceScalar(x, y, beta) >= -1e-9 * Math.max(1, x ** beta, y ** beta));
      },
    ),
  );
});

Deno.test("the loss is unchanged by W·D, D⁻¹·H for a positive diagonal D (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1000 }),
      fc.constantFrom(0, 0.5, 1, 1.5, 2, 3),
      (seed, beta) => {
        const rng = createRng(seed);
        const V = randomPositive(5, 4, seed);
        const W = randomPositive(5, 2, seed + 1);
        const H = randomPositive(2, 4, seed + 2);
        const d = [0.1 + 5 * rng.uniform(), 0.1 + 5 * rng.uniform()];
        const WD = W.map((v, _i, j) => v * d[j]!);
        const DH = H.map((v, i) => v / d[i]!);
        const a = betaDivergence(V, W, H, beta), b = betaDivergence(V, WD, DH, beta);
        assert.ok(Math.abs(a - b) <= 1e-10 * Math.max(1, a), `${a} vs ${b}`);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("Itakura-Saito is scale invariant; KL scales linearly; Frobenius quadratically", () => {
  const V = randomPositive(4, 3, 5), W = randomPositive(4, 2, 6), H = randomPositive(2, 3, 7);
  const c = 7.5;
  const scaled = (M: Matrix) => M.map((v) => v * c);
  const one = (M: Matrix) => M;
  for (const [beta, power] of [[0, 0], [1, 1], [2, 2], [1.5, 1.5]] as const) {
    const a = betaDivergence(V, W, H, beta);
    const b = betaDivergence(scaled(V), scaled(W), one(H), beta);
    assert.ok(Math.abs(b / a - c ** power) < 1e-10 * c ** power, `beta ${beta}`);
  }
});

Deno.test("betaDivergence rejects non-conforming shapes with TypeError", () => {
  assert.throws(
    () => betaDivergence(Matrix.zeros(2, 2), Matrix.zeros(3, 1), Matrix.zeros(1, 2), 2),
    { name: "TypeError", message: /shapes do not conform: V is 2×2, W is 3×1/ },
  );
});
