import assert from "node:assert/strict";
import { createRng } from "../mod.ts";

Deno.test("createRng gives the same stream for the same seed and a different one otherwise", () => {
  const a = createRng(42), b = createRng(42), c = createRng(43);
  const xs = Array.from({ length: 10 }, () => a.uniform());
  assert.deepEqual(xs, Array.from({ length: 10 }, () => b.uniform()));
  assert.notDeepEqual(xs, Array.from({ length: 10 }, () => c.uniform()));
});

Deno.test("uniform() lies in [0, 1) with mean ½ and normal() has mean 0, variance 1", () => {
  const rng = createRng(1);
  const N = 200000;
  let s = 0, s2 = 0, lo = 1, hi = 0;
  for (let i = 0; i < N; i++) {
    const u = rng.uniform();
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
    s += u;
  }
  assert.ok(lo >= 0 && hi < 1);
  assert.ok(Math.abs(s / N - 0.5) < 0.005);
  s = 0;
  for (let i = 0; i < N; i++) {
    const z = rng.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / N) < 0.01);
  assert.ok(Math.abs(s2 / N - 1) < 0.02);
});

Deno.test("createRng rejects a non-finite seed", () => {
  assert.throws(() => createRng(NaN), {
    name: "TypeError",
    message: /seed must be a finite number, got NaN/,
  });
});
