/**
 * Cross-checks against scikit-learn (Debian's python3-sklearn), run where it is installed and
 * skipped with a printed reason elsewhere.
 */
import assert from "node:assert/strict";
import { betaDivergence, initialize, nmf } from "../mod.ts";
import { findSklearnPython, sklearnReference } from "../scripts/python.ts";
import { randomPositive } from "./fixtures.ts";

const python = findSklearnPython();
if (python === null) {
  console.log("sklearn cross-checks skipped: no python3 with scikit-learn found");
}

Deno.test({
  name: "betaDivergence equals scikit-learn's _beta_divergence for beta in {0, 0.5, 1, 1.5, 2, 3}",
  ignore: python === null,
  async fn() {
    const V = randomPositive(7, 6, 1), W = randomPositive(7, 3, 2), H = randomPositive(3, 6, 3);
    for (const beta of [0, 0.5, 1, 1.5, 2, 3]) {
      const ref = await sklearnReference(python!, {
        op: "loss",
        V: V.toRows(),
        W: W.toRows(),
        H: H.toRows(),
        beta,
      });
      const ours = betaDivergence(V, W, H, beta);
      assert.ok(
        Math.abs(ours - (ref.loss as number)) <= 1e-12 * Math.abs(ours),
        `beta ${beta}: ${ours} vs ${ref.loss}`,
      );
    }
  },
});

Deno.test({
  name: "mu iterates equal scikit-learn's MU iterates from the same initial factors",
  ignore: python === null,
  async fn() {
    const V = randomPositive(12, 9, 4);
    for (const beta of [2, 1, 0.5, 0, 3]) {
      const init = initialize(V, 3, { method: "random", seed: 5 });
      const ours = nmf(V, { rank: 3, beta, init, maxIter: 40, tol: 0 });
      const ref = await sklearnReference(python!, {
        op: "mu",
        V: V.toRows(),
        W: init.W.toRows(),
        H: init.H.toRows(),
        beta,
        max_iter: 40,
      });
      const refW = (ref.W as number[][]).flat(), refH = (ref.H as number[][]).flat();
      let diff = 0, scale = 0;
      ours.W.data.forEach((v, i) => {
        diff = Math.max(diff, Math.abs(v - refW[i]!));
        scale = Math.max(scale, Math.abs(v));
      });
      ours.H.data.forEach((v, i) => {
        diff = Math.max(diff, Math.abs(v - refH[i]!));
        scale = Math.max(scale, Math.abs(v));
      });
      assert.ok(diff <= 1e-9 * scale, `beta ${beta}: max difference ${diff}`);
    }
  },
});
