/**
 * A small tour: factorize a planted rank-4 matrix with every solver and print how each one's
 * loss falls. Run with `deno task demo`.
 *
 * @module
 */
import { createRng, Matrix, nmf, type SolverName, SOLVERS } from "../mod.ts";

const rng = createRng(2026);
const m = 120, n = 80, k = 4;
const Wtrue = Matrix.generate(m, k, () => rng.uniform());
const Htrue = Matrix.generate(k, n, () => rng.uniform());
const V = Wtrue.multiply(Htrue).map((v) => v + 0.01 * Math.abs(rng.normal()));
console.log(`V: ${m}×${n}, planted rank ${k} plus a little non-negative noise\n`);
console.log("solver     iters  stop      loss(0)      loss(end)    rel.error   kkt(end)  ms");
for (const solver of Object.keys(SOLVERS) as SolverName[]) {
  const r = nmf(V, { rank: k, solver, seed: 1, maxIter: 300, tol: 1e-6, warn: () => {} });
  const first = r.trace[0]!, last = r.trace.at(-1)!;
  console.log(
    [
      solver.padEnd(9),
      String(r.iterations).padStart(6),
      r.stopReason.padEnd(8),
      first.loss.toExponential(4).padStart(11),
      last.loss.toExponential(4).padStart(12),
      r.relativeError.toExponential(3).padStart(11),
      last.kkt.toExponential(2).padStart(10),
      (r.seconds * 1000).toFixed(0).padStart(5),
    ].join("  "),
  );
}
const r = nmf(V, { rank: k, solver: "mu", seed: 1, maxIter: 30, traceEvery: 5 });
console.log(
  "\nThe trace of mu (every 5th iteration): iteration, loss, relative error, KKT residual",
);
for (const t of r.trace) {
  console.log(
    `${String(t.iteration).padStart(4)}  ${t.loss.toExponential(5)}  ${
      t.relativeError.toExponential(4)
    }  ${t.kkt.toExponential(3)}`,
  );
}
