/**
 * Report sections of notebook 3 — convergence.
 *
 * @module
 */

import {
  auxiliaryFunctionCheck,
  extrapolationRace,
  extrapolationWeights,
  muMonotonicity,
  muStall,
  raceChecks,
  solverRace,
} from "../../experiments/convergence.ts";
import { loadDataset } from "../../data/datasets.ts";
import { plantedNmf } from "../../data/synthetic.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import { convergencePlot } from "../../plots/convergence.ts";
import type { TraceEntry } from "../../solvers/driver.ts";
import { dotChart, lineChart } from "../charts.ts";
import type { ReportEntry, ReportFigure, ReportOutput } from "../types.ts";

/** The trace with every loss divided by the initial loss (runs with different β share an axis). */
function normalized(trace: readonly TraceEntry[]): TraceEntry[] {
  const first = trace[0]?.loss ?? 1;
  return trace.map((e) => ({ ...e, loss: e.loss / first }));
}

/** The report sections of notebook 3 (convergence), in order. */
export const NOTEBOOK3: ReportEntry[] = [
  {
    id: "auxiliary-function",
    notebook: 3,
    title: "Lee and Seung's auxiliary function, on numbers",
    question:
      "For one column h of H, G(h, hᵗ) = F(hᵗ) + (h − hᵗ)ᵀ∇F(hᵗ) + ½(h − hᵗ)ᵀK(h − hᵗ) with K = diag((WᵀWhᵗ)/hᵗ). Does G lie above F everywhere, touch it at hᵗ, and is its minimizer the multiplicative update — so that F(hᵗ⁺¹) ≤ G(hᵗ⁺¹, hᵗ) ≤ F(hᵗ)?",
    source: "experiments/convergence.ts: auxiliaryFunctionCheck",
    run({ quick, seed }) {
      const r = auxiliaryFunctionCheck({ quick, seed });
      const chain = ["F(hᵗ)", "G(hᵗ⁺¹, hᵗ)", "F(hᵗ⁺¹)"];
      return {
        checks: r.checks,
        figures: [
          {
            name: "chain",
            caption:
              "The chain of the convergence proof: F(hᵗ) ≥ G(hᵗ⁺¹, hᵗ) ≥ F(hᵗ⁺¹) — one multiplicative update cannot raise the loss.",
            figure: dotChart(
              r.table.filter((t) => chain.includes(t.quantity)).map((t) => ({
                x: t.value,
                y: t.quantity,
              })),
              { title: "one MU step under the auxiliary function", xLabel: "value", xType: "log" },
            ),
          },
        ],
        tables: [
          {
            name: "quantities",
            caption: "Every quantity the claims rest on.",
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
  {
    id: "mu-monotonicity",
    notebook: 3,
    title: "Multiplicative updates never increase the loss, for every β",
    question:
      "Lee and Seung's auxiliary-function argument (extended to every β by Févotte and Idier) says each multiplicative update can only lower the β-divergence. Over thousands of steps and several β, does the loss ever go up by more than rounding?",
    source: "experiments/convergence.ts: muMonotonicity",
    run({ quick, seed }) {
      const r = muMonotonicity({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "loss",
            caption:
              "Loss divided by its initial value, per β, from the same random start (log scale): every curve only goes down.",
            figure: convergencePlot(
              r.runs.map((x) => ({
                trace: normalized(x.trace),
                label: `β = ${x.beta}`,
              })),
              { title: "MU: loss / initial loss", xScale: "log", stopMarkers: false },
            ),
          },
        ],
        tables: [
          {
            name: "monotonicity",
            caption: "Per β: iterations, initial and final loss, rises along the trace.",
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
  {
    id: "solver-race",
    notebook: 3,
    title: "MU, ALS, ANLS-BPP, HALS and PG on synthetic data, digits and faces",
    question:
      "Five solvers minimize the same Frobenius loss from the same NNDSVDa start. Which gets lower per iteration and per second, which never increase the loss, and where does MU fall behind?",
    source: "experiments/convergence.ts: solverRace, raceChecks",
    run({ quick, seed }) {
      const problems: { name: string; label: string; V: Matrix; rank: number }[] = [
        {
          name: "synthetic",
          label: "planted 200×150, rank 8, Gaussian noise σ = 0.05",
          V: plantedNmf(200, 150, { rank: 8, noise: "gaussian", sigma: 0.05, seed: seed + 1 }).V,
          rank: 8,
        },
        { name: "digits", label: "digits 64×1797, rank 10", V: loadDataset("digits").V, rank: 10 },
        { name: "faces", label: "faces 625×100, rank 10", V: loadDataset("faces").V, rank: 10 },
      ];
      const out: ReportOutput = { checks: [], figures: [], tables: [] };
      for (const p of problems) {
        const r = solverRace(p.V, { quick, seed, rank: p.rank, maxIter: quick ? 30 : 200 });
        // From iteration 1: the starting point's error would flatten every curve.
        const runs = r.runs.map((x) => ({
          trace: x.trace.slice(1),
          label: x.solver,
          stopReason: x.stopReason,
        }));
        const figures: ReportFigure[] = [
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
            caption: `${p.label}: relative error by solver seconds (backend ${
              r.runs[0]?.backend
            }).`,
            figure: convergencePlot(runs, {
              y: "relativeError",
              x: "seconds",
              title: `${p.name}: error by time`,
            }),
          },
        ];
        out.figures.push(...figures);
        out.checks.push(...raceChecks(p.name, r.table));
        out.tables.push({
          name: p.name,
          caption: `${p.label}: after ${r.table[0]?.iterations} iterations.`,
          rows: r.table.map((t) => ({ ...t })),
        });
      }
      return out;
    },
  },
  {
    id: "mu-stall",
    notebook: 3,
    title: "Where MU stalls: entries that should be exactly 0",
    question:
      "HALS can set an entry exactly to 0 in one sweep; MU can only multiply it by a factor below 1 at each step. On data whose factors have many zeros, how long do those entries linger under MU, and what does that cost in loss?",
    source: "experiments/convergence.ts: muStall",
    run({ quick, seed }) {
      const r = muStall({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "gap",
            caption:
              "MU's loss above HALS's reference, relative, and the entries HALS zeroes that MU still holds above 10⁻⁶·max(H), at each checkpoint (log–log).",
            figure: lineChart(
              r.table.flatMap((t) => [
                { x: t.iteration, y: t.muLossGap, series: "relative loss gap to HALS" },
                { x: t.iteration, y: t.muStillPositive, series: "entries still > 1e-6·max(H)" },
              ]),
              {
                title: "MU creeps towards the zeros",
                xLabel: "MU iterations",
                xType: "log",
                yType: "log",
              },
            ),
          },
          {
            name: "loss",
            caption: "Loss of the HALS reference and of the longest MU run from the same start.",
            figure: convergencePlot([
              { trace: r.reference.trace, label: "hals" },
              { trace: r.mu.trace, label: "mu" },
            ], { title: "HALS vs MU" }),
          },
        ],
        tables: [
          {
            name: "stall",
            caption:
              `Of the ${r.zerosInReference} entries of H that HALS sets to 0: how many MU still holds, and MU's relative loss gap.`,
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
  {
    id: "extrapolation",
    notebook: 3,
    title: "Extrapolation with restarts: HALS and ANLS-BPP in fewer iterations",
    question:
      "Start each update from max(0, X + β(X − X_prev)) instead of X, with β growing while the loss falls and a restart (β shrinks) when it rises (Ang & Gillis 2019). From the same start, how many iterations do HALS and ANLS-BPP then need to reach the loss the plain solver ends at?",
    source: "experiments/convergence.ts: extrapolationRace, extrapolationWeights",
    run({ quick, seed }) {
      const problems: { name: string; label: string; V: Matrix; rank: number }[] = [
        {
          name: "synthetic",
          label: "planted 50×40, rank 5, Gaussian noise σ = 0.05",
          V: plantedNmf(50, 40, { rank: 5, noise: "gaussian", sigma: 0.05, seed }).V,
          rank: 5,
        },
        { name: "digits", label: "digits 64×1797, rank 16", V: loadDataset("digits").V, rank: 16 },
      ];
      const out: ReportOutput = { checks: [], figures: [], tables: [] };
      for (const p of problems) {
        const r = extrapolationRace(p.V, { quick, seed, rank: p.rank, maxIter: quick ? 100 : 300 });
        out.figures.push({
          name: p.name,
          caption:
            `${p.label}: loss above the lowest final loss of the four runs, relative (floored at 1e-12), by iteration, log–log.`,
          figure: lineChart(
            r.gaps,
            {
              title: `${p.name}: gap to the lowest loss`,
              xLabel: "iteration",
              yLabel: "(loss − lowest) / lowest",
              xType: "log",
              yType: "log",
            },
          ),
        });
        out.checks.push(...r.checks.map((c) => ({ ...c, claim: `${p.name}: ${c.claim}` })));
        out.tables.push({
          name: p.name,
          caption: `${p.label}: final loss, and the first iteration at the plain run's final loss.`,
          rows: r.table.map((t) => ({ ...t })),
        });
      }
      const digits = problems[1] as { V: Matrix; rank: number };
      const w = extrapolationWeights(digits.V, {
        quick,
        seed,
        rank: digits.rank,
        maxIter: quick ? 100 : 300,
      });
      out.figures.push({
        name: "weight",
        caption:
          `digits, HALS with extrapolation: the weight β and its ceiling β̄ after each step (${w.restarts} restarts).`,
        figure: lineChart(
          w.steps.flatMap((st) => [
            { x: st.iteration, y: st.beta, series: "β" },
            { x: st.iteration, y: st.betaMax, series: "β̄ (ceiling)" },
          ]),
          { title: "digits: the extrapolation weight", xLabel: "iteration", yLabel: "β" },
        ),
      });
      out.checks.push(...w.checks.map((c) => ({ ...c, claim: `digits: ${c.claim}` })));
      return out;
    },
  },
];
