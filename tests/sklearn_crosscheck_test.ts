/**
 * Cross-checks against scikit-learn (Debian's python3-sklearn), run where it is installed and
 * skipped with a printed reason elsewhere. Each test sends all its requests in one batch.
 */
import assert from "node:assert/strict";
import { betaDivergence, initialize, nmf } from "../mod.ts";
import { findSklearnPython, sklearnReference } from "../scripts/python.ts";
import { randomPositive } from "./fixtures.ts";

const python = findSklearnPython();
if (python === null) {
  console.log("sklearn cross-checks skipped: no python3 with scikit-learn found");
}

const BETAS = [0, 0.5, 1, 1.5, 2, 3];

Deno.test({
  name: "betaDivergence equals scikit-learn's _beta_divergence for beta in {0, 0.5, 1, 1.5, 2, 3}",
  ignore: python === null,
  async fn() {
    const V = randomPositive(7, 6, 1), W = randomPositive(7, 3, 2), H = randomPositive(3, 6, 3);
    const requests = BETAS.map((beta) => ({
      op: "loss",
      V: V.toRows(),
      W: W.toRows(),
      H: H.toRows(),
      beta,
    }));
    const answers = await sklearnReference(python!, requests) as unknown as { loss: number }[];
    BETAS.forEach((beta, i) => {
      const ours = betaDivergence(V, W, H, beta), ref = answers[i]!.loss;
      assert.ok(Math.abs(ours - ref) <= 1e-12 * Math.abs(ours), `beta ${beta}: ${ours} vs ${ref}`);
    });
  },
});

Deno.test({
  name: "mu iterates equal scikit-learn's MU iterates from the same initial factors",
  ignore: python === null,
  async fn() {
    const V = randomPositive(12, 9, 4);
    const init = initialize(V, 3, { method: "random", seed: 5 });
    const requests = BETAS.map((beta) => ({
      op: "mu",
      V: V.toRows(),
      W: init.W.toRows(),
      H: init.H.toRows(),
      beta,
      max_iter: 40,
    }));
    const answers = await sklearnReference(python!, requests) as unknown as {
      W: number[][];
      H: number[][];
    }[];
    BETAS.forEach((beta, i) => {
      const ours = nmf(V, { rank: 3, beta, init, maxIter: 40, tol: 0 });
      const refW = answers[i]!.W.flat(), refH = answers[i]!.H.flat();
      let diff = 0, scale = 0;
      ours.W.data.forEach((v, t) => {
        diff = Math.max(diff, Math.abs(v - refW[t]!));
        scale = Math.max(scale, Math.abs(v));
      });
      ours.H.data.forEach((v, t) => {
        diff = Math.max(diff, Math.abs(v - refH[t]!));
        scale = Math.max(scale, Math.abs(v));
      });
      assert.ok(diff <= 1e-9 * scale, `beta ${beta}: max difference ${diff}`);
    });
  },
});
