/**
 * A report section of its own (notebook 3's theme, built on the core API until notebook 3's
 * experiment module lands): every solver on a planted problem and on the shipped digits data,
 * by iteration and by time, with the monotonicity guarantee of multiplicative updates checked.
 *
 * @module
 */

import { loadDataset } from "../../data/datasets.ts";
import { plantedNmf } from "../../data/synthetic.ts";
import { checkClaim, type ExperimentCheck } from "../../experiments/checks.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import { nmf, type NmfResult } from "../../nmf.ts";
import { convergencePlot } from "../../plots/convergence.ts";
import type { SolverName } from "../../solvers/types.ts";
import type { ReportEntry, ReportFigure, ReportTable } from "../types.ts";

const SOLVERS: readonly SolverName[] = ["mu", "hals", "anls-bpp", "als", "pgd"];

/** Largest rise of the loss between consecutive trace entries, over the initial loss. */
function largestIncrease(r: NmfResult): number {
  let worst = 0;
  const t = r.trace;
  for (let i = 1; i < t.length; i++) {
    worst = Math.max(
      worst,
      ((t[i]?.loss as number) - (t[i - 1]?.loss as number)) / (t[0]?.loss as number),
    );
  }
  return worst;
}

function compare(V: Matrix, rank: number, maxIter: number, seed: number): NmfResult[] {
  return SOLVERS.map((solver) =>
    nmf(V, { rank, solver, maxIter, tol: 0, seed, traceEvery: 1, backend: "auto" })
  );
}

export const SOLVER_COMPARISON: ReportEntry = {
  id: "solver-comparison",
  notebook: 3,
  title: "Five solvers on a planted problem and on digits",
  question:
    "Multiplicative updates, HALS, ANLS with block principal pivoting, projected ALS and projected gradient minimize the same Frobenius loss from the same NNDSVDa start. Which gets lower per iteration and per second, and is the multiplicative update's loss really non-increasing at every step?",
  source: "report/sections/solvers.ts (core API: nmf, plantedNmf, loadDataset)",
  run({ quick, seed }) {
    const problems = [
      {
        name: "planted",
        label: "planted 200×150, rank 8, Gaussian noise σ = 0.05",
        V: plantedNmf(200, 150, { rank: 8, noise: "gaussian", sigma: 0.05, seed: seed + 1 }).V,
        rank: 8,
        maxIter: quick ? 40 : 300,
      },
      {
        name: "digits",
        label: "digits 64×1797, rank 10",
        V: loadDataset("digits").V,
        rank: 10,
        maxIter: quick ? 20 : 150,
      },
    ];
    const figures: ReportFigure[] = [];
    const tables: ReportTable[] = [];
    const checks: ExperimentCheck[] = [];
    const notes: string[] = [];
    for (const p of problems) {
      const results = compare(p.V, p.rank, p.maxIter, seed);
      const by = (s: SolverName) => results[SOLVERS.indexOf(s)] as NmfResult;
      // From iteration 1: the starting point's loss would flatten every curve on a log axis.
      const runs = results.map((r) => ({
        trace: r.trace.slice(1),
        label: r.solver,
        stopReason: r.stopReason,
      }));
      figures.push(
        {
          name: `${p.name}-iterations`,
          caption: `${p.label}: relative error by iteration (from iteration 1).`,
          figure: convergencePlot(runs, {
            y: "relativeError",
            title: `${p.name}: error by iteration`,
          }),
        },
        {
          name: `${p.name}-seconds`,
          caption: `${p.label}: relative error by solver seconds (backend ${by("mu").backend}).`,
          figure: convergencePlot(runs, {
            y: "relativeError",
            x: "seconds",
            title: `${p.name}: error by time`,
          }),
        },
      );
      tables.push({
        name: p.name,
        caption: `${p.label}: after ${p.maxIter} iterations.`,
        rows: results.map((r) => ({
          solver: r.solver,
          loss: r.loss,
          relativeError: r.relativeError,
          kkt: r.trace[r.trace.length - 1]?.kkt ?? null,
          solverSeconds: r.trace[r.trace.length - 1]?.seconds ?? null,
          largestIncrease: largestIncrease(r),
        })),
      });
      const alsRise = largestIncrease(by("als"));
      notes.push(
        `${p.name}: projected ALS (least squares, then negatives clipped) is not a descent method; ` +
          `its largest loss rise between iterations here was ${
            alsRise.toExponential(2)
          } of the initial loss.`,
      );
      const muRise = largestIncrease(by("mu"));
      checks.push(
        checkClaim(
          `${p.name}: the mu loss never increases from one iteration to the next (largest rise ≤ 1e-12 of the initial loss)`,
          muRise <= 1e-12,
          muRise,
        ),
      );
      const bcd = Math.max(largestIncrease(by("hals")), largestIncrease(by("anls-bpp")));
      checks.push(
        checkClaim(
          `${p.name}: hals and anls-bpp (exact block minimizations) never increase the loss either`,
          bcd <= 1e-12,
          bcd,
        ),
      );
      const ratio = Math.max(by("hals").loss, by("anls-bpp").loss) / by("mu").loss;
      checks.push(
        checkClaim(
          `${p.name}: after ${p.maxIter} iterations hals and anls-bpp reach a lower loss than mu`,
          ratio < 1,
          ratio,
        ),
      );
    }
    return { checks, figures, tables, notes };
  },
};
