/**
 * The experiments behind notebooks 1–4, at their quick sizes: each returns its table and the
 * claims it checked, and the claims that hold robustly at small sizes are asserted here (the
 * notebooks assert all of them at full size).
 */
import assert from "node:assert/strict";
import { Matrix, plantedNmf } from "../mod.ts";
import {
  auxiliaryFunctionCheck,
  compareDescent,
  divergenceCurves,
  divergenceScaling,
  extrapolationRace,
  extrapolationWeights,
  initializationStudy,
  kktAtEnd,
  likelihoodGap,
  lineChart,
  muAsGradientStep,
  muMonotonicity,
  muStall,
  negativeEntries,
  negativeLogLikelihood,
  noiseRecovery,
  raceChecks,
  solverRace,
  stepSizeSweep,
  zeroLock,
} from "../experiments/mod.ts";

const allPassed = (checks: readonly { passed: boolean; claim: string; value: unknown }[]) => {
  for (const c of checks) assert.ok(c.passed, `claim failed: ${c.claim} (value ${c.value})`);
};

Deno.test("likelihoodGap: −log p and the matching divergence differ by a constant", () => {
  const r = likelihoodGap({ quick: true });
  assert.equal(r.checks.length, 3);
  allPassed(r.checks);
  assert.equal(r.table.length, 9);
});

Deno.test("negativeLogLikelihood rejects data and mean of different shapes", () => {
  assert.throws(
    () => negativeLogLikelihood(Matrix.zeros(2, 2), Matrix.zeros(2, 3), "poisson"),
    /V \(2×2\) and E \(2×3\)/,
  );
});

Deno.test("divergenceScaling: D_β(λV | λWH) = λ^β D_β(V | WH), IS scale-invariant", () => {
  const r = divergenceScaling();
  allPassed(r.checks);
  const is = r.table.filter((t) => t.beta === 0);
  assert.ok(is.every((t) => Math.abs(t.ratio - 1) < 1e-9));
});

Deno.test("divergenceCurves: every divergence is 0 at y = 1 and positive elsewhere", () => {
  const rows = divergenceCurves([2, 1, 0], [0.5, 1, 2]);
  for (const r of rows) assert.ok(r.model === 1 ? Math.abs(r.value) < 1e-15 : r.value > 0);
});

Deno.test("noiseRecovery: one row per (noise, loss); IS beats Frobenius on Gamma data", () => {
  const r = noiseRecovery({ quick: true });
  assert.equal(r.table.length, 9);
  assert.deepEqual(r.errors.shape, [3, 3]);
  assert.ok(r.table.every((t) => Number.isFinite(t.basisError) && Number.isFinite(t.meanError)));
  const gammaFar = r.checks.find((c) =>
    c.claim.startsWith("gamma noise: the matching loss (β = 0) recovers W*")
  );
  assert.ok(gammaFar?.passed, String(gammaFar?.value));
});

Deno.test("negativeEntries: plain gradient descent goes negative, projection never does", () => {
  allPassed(negativeEntries({ quick: true }).checks);
});

Deno.test("muAsGradientStep: MU equals gradient descent with step H/(WᵀWH)", () => {
  allPassed(muAsGradientStep({ quick: true }).checks);
});

Deno.test("stepSizeSweep: a small step descends, a large one diverges", () => {
  const r = stepSizeSweep({ quick: true });
  allPassed(r.checks);
  assert.equal(r.table[r.table.length - 1]!.stopReason, "diverged");
});

Deno.test("compareDescent: projected gradient with line search ends lowest", () => {
  const r = compareDescent({ quick: true });
  assert.ok(r.checks[0]!.passed, String(r.checks[0]!.value));
});

Deno.test("kktAtEnd: factors are feasible and HALS meets the KKT conditions", () => {
  allPassed(kktAtEnd({ quick: true }).checks);
});

Deno.test("auxiliaryFunctionCheck: G majorizes F and its minimizer is the MU update", () => {
  allPassed(auxiliaryFunctionCheck({ quick: true }).checks);
});

Deno.test("muMonotonicity: the MU loss never increases for β in {2, 1.5, 1, 0.5, 0}", () => {
  const r = muMonotonicity({ quick: true });
  assert.equal(r.checks.length, 5);
  allPassed(r.checks);
});

Deno.test("solverRace: MU, HALS, ANLS-BPP are monotone; HALS and ANLS-BPP beat MU", () => {
  const V = plantedNmf(30, 24, { rank: 4, noise: "gaussian", sigma: 0.05, seed: 2 }).V;
  const r = solverRace(V, { rank: 4, maxIter: 60 });
  assert.deepEqual(r.table.map((t) => t.solver), ["mu", "als", "anls-bpp", "hals", "pgd"]);
  allPassed(raceChecks("planted", r.table));
});

Deno.test("extrapolationRace: plain and extrapolated pairs from one start, claims hold on planted data", () => {
  const V = plantedNmf(50, 40, { rank: 5, noise: "gaussian", sigma: 0.05, seed: 0 }).V;
  const r = extrapolationRace(V, { rank: 5, maxIter: 300 });
  assert.deepEqual(
    r.table.map((t) => `${t.solver} ${t.extrapolate}`),
    ["hals false", "hals true", "anls-bpp false", "anls-bpp true"],
  );
  // the plain run reaches its own final loss at its last iteration at the latest
  for (const t of r.table.filter((t) => !t.extrapolate)) assert.ok(t.reachesPlainAt !== null);
  assert.equal(r.runs[1]!.options.extrapolate, true);
  allPassed(r.checks);
});

Deno.test("extrapolationWeights: β's bookkeeping holds step by step, for hals and anls-bpp", () => {
  const V = plantedNmf(50, 40, { rank: 5, noise: "gaussian", sigma: 0.05, seed: 0 }).V;
  for (const solver of ["hals", "anls-bpp"] as const) {
    const r = extrapolationWeights(V, { rank: 5, maxIter: 200, solver });
    assert.equal(r.steps.length, 200);
    assert.equal(r.restarts, r.steps.filter((s) => s.restarted).length);
    allPassed(r.checks);
  }
});

Deno.test("muStall: HALS zeros stay positive under MU for a while", () => {
  const r = muStall({ quick: true });
  allPassed(r.checks);
});

Deno.test("initializationStudy: random starts differ; NNDSVD's zeros hold MU back", () => {
  const r = initializationStudy({ quick: true });
  assert.equal(r.runs.length, 6 * 3 + 3);
  allPassed(r.checks.slice(0, 2));
});

Deno.test("zeroLock: MU never moves a zero entry or an all-zero start; HALS does", () => {
  const r = zeroLock({ quick: true });
  allPassed(r.checks);
});

Deno.test("lineChart draws one line per series and rejects empty input", () => {
  const fig = lineChart([
    { series: "a", x: 0, y: 1 },
    { series: "a", x: 1, y: 2 },
    { series: "b", x: 0, y: 3 },
    { series: "b", x: 1, y: 1 },
  ]);
  assert.equal(fig.querySelectorAll('g[aria-label="line"] path').length, 2);
  assert.throws(() => lineChart([]), RangeError);
});
