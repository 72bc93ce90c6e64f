/**
 * Cross-checks of the coordinate-descent solver against scikit-learn's `solver="cd"` (Debian's
 * python3-sklearn), run where it is installed and skipped with a printed reason elsewhere.
 */
import assert from "node:assert/strict";
import { betaDivergence, initialize, Matrix, nmf, penaltyValue } from "../mod.ts";
import { findSklearnPython, sklearnReference } from "../scripts/python.ts";
import { randomPositive } from "./fixtures.ts";

const python = findSklearnPython();
if (python === null) {
  console.log("sklearn solver cross-checks skipped: no python3 with scikit-learn found");
}

function maxRelativeDifference(ours: Matrix, ref: number[][]): number {
  const flat = ref.flat();
  let diff = 0, scale = 0;
  ours.data.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - flat[i]!));
    scale = Math.max(scale, Math.abs(v));
  });
  return diff / scale;
}

const PENALTY_CASES = [
  { l1W: 0, l1H: 0, l2W: 0, l2H: 0 },
  { l1W: 0.05, l1H: 0.02, l2W: 0.1, l2H: 0.3 },
];

Deno.test({
  name: "hals with innerMaxIter 1 reproduces scikit-learn's coordinate-descent iterates",
  ignore: python === null,
  async fn() {
    const V = randomPositive(14, 11, 31);
    for (const penalties of PENALTY_CASES) {
      const init = initialize(V, 4, { method: "random", seed: 8 });
      const ours = nmf(V, {
        rank: 4,
        solver: "hals",
        init,
        maxIter: 40,
        tol: 0,
        innerMaxIter: 1,
        ...penalties,
      });
      const ref = await sklearnReference(python!, {
        op: "cd",
        V: V.toRows(),
        W: init.W.toRows(),
        H: init.H.toRows(),
        beta: 2,
        max_iter: 40,
        ...penalties,
      });
      const dW = maxRelativeDifference(ours.W, ref.W as number[][]);
      const dH = maxRelativeDifference(ours.H, ref.H as number[][]);
      console.log(`  max relative difference W ${dW.toExponential(1)}, H ${dH.toExponential(1)}`);
      assert.ok(dW < 1e-12 && dH < 1e-12, `${JSON.stringify(penalties)}: ${dW}, ${dH}`);
    }
  },
});

Deno.test({
  name:
    "hals with its inner repeats reaches a loss at most scikit-learn's CD loss after as many outer iterations",
  ignore: python === null,
  async fn() {
    const V = randomPositive(40, 30, 32);
    for (const penalties of PENALTY_CASES) {
      const init = initialize(V, 5, { method: "nndsvda" });
      const ours = nmf(V, { rank: 5, solver: "hals", init, maxIter: 30, tol: 0, ...penalties });
      const ref = await sklearnReference(python!, {
        op: "cd",
        V: V.toRows(),
        W: init.W.toRows(),
        H: init.H.toRows(),
        beta: 2,
        max_iter: 30,
        ...penalties,
      });
      const W = Matrix.fromRows(ref.W as number[][]), H = Matrix.fromRows(ref.H as number[][]);
      const refLoss = betaDivergence(V, W, H, 2) + penaltyValue(W, H, penalties);
      console.log(
        `  ${JSON.stringify(penalties)}: nmflab hals ${ours.loss}, sklearn cd ${refLoss}`,
      );
      assert.ok(ours.loss <= refLoss * (1 + 1e-9), `${ours.loss} vs ${refLoss}`);
    }
  },
});
