/**
 * Report sections of notebook 2 — constraints and gradient descent.
 *
 * @module
 */

import {
  compareDescent,
  kktAtEnd,
  muAsGradientStep,
  negativeEntries,
  stepSizeSweep,
} from "../../experiments/gradient_descent.ts";
import { convergencePlot } from "../../plots/convergence.ts";
import { dotChart, lineChart } from "../charts.ts";
import type { ReportEntry } from "../types.ts";

/** The report sections of notebook 2 (constraints and gradient descent), in order. */
export const NOTEBOOK2: ReportEntry[] = [
  {
    id: "negative-entries",
    notebook: 2,
    title: "Unconstrained gradient descent leaves the feasible set",
    question:
      "Plain gradient descent on ‖V − WH‖² knows nothing about W, H ≥ 0. How many entries go negative, and does projecting after each step keep every entry feasible?",
    source: "experiments/gradient_descent.ts: negativeEntries",
    run({ quick, seed }) {
      const r = negativeEntries({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "negatives",
            caption:
              "Negative entries of W and H after each iteration: plain gradient descent against the same steps projected onto W, H ≥ 0.",
            figure: lineChart(r.table, {
              title: "negative entries per iteration",
              xLabel: "iteration",
              yLabel: "negative entries of W and H",
            }),
          },
        ],
        tables: [
          {
            name: "runs",
            caption: "Final loss of both runs.",
            rows: [
              {
                run: "gradient descent",
                loss: r.plain.loss,
                negatives: r.plain.trace.at(-1)?.negatives ?? null,
              },
              {
                run: "projected",
                loss: r.projected.loss,
                negatives: r.projected.trace.at(-1)?.negatives ?? null,
              },
            ],
          },
        ],
      };
    },
  },
  {
    id: "mu-as-gradient-step",
    notebook: 2,
    title: "Multiplicative updates are gradient steps with per-entry step sizes",
    question:
      "Lee and Seung's update H ← H ⊙ WᵀV / (WᵀWH) is a gradient step H − η ⊙ ∇_H with the per-entry step η = H / (WᵀWH). Does the identity hold numerically, and how widely do those step sizes range?",
    source: "experiments/gradient_descent.ts: muAsGradientStep",
    run({ quick, seed }) {
      const r = muAsGradientStep({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "steps",
            caption:
              "Smallest and largest per-entry step of each factor (log scale): one step size per entry, spread over orders of magnitude, which a single global step cannot match.",
            figure: dotChart(
              r.table.flatMap((t) => [
                { x: t.smallestStep, y: t.factor, series: "smallest step" },
                { x: t.largestStep, y: t.factor, series: "largest step" },
              ]),
              { title: "per-entry step sizes of MU", xLabel: "step size", xType: "log" },
            ),
          },
        ],
        tables: [
          {
            name: "identity",
            caption: "Relative difference between the two updates.",
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
  {
    id: "step-size-sweep",
    notebook: 2,
    title: "Step size: too large diverges",
    question:
      "Projected gradient descent with a fixed step η: with η ≤ 1/L (L a Lipschitz bound of the gradient) the loss decreases; what happens at a few times 1/L and far above it?",
    source: "experiments/gradient_descent.ts: stepSizeSweep",
    run({ quick, seed }) {
      const r = stepSizeSweep({ quick, seed });
      const runs = r.runs.map((x) => ({
        trace: x.result.trace,
        label: `${x.multiple}/L`,
        stopReason: x.result.stopReason,
      }));
      return {
        checks: r.checks,
        figures: [
          {
            name: "loss",
            caption:
              "Loss by iteration for the steps that did not diverge (multiples of 1/L), on their own scale.",
            figure: convergencePlot(
              runs.filter((x) => x.stopReason !== "diverged"),
              { title: "fixed-step projected gradient descent: steps that settle" },
            ),
          },
          {
            name: "all",
            caption:
              "All steps: a step far above 1/L makes the loss grow geometrically until the driver stops the run (its dot says why).",
            figure: convergencePlot(runs, { title: "all step sizes" }),
          },
        ],
        tables: [
          {
            name: "sweep",
            caption: `Each step size (1/L = ${
              r.baseStep.toExponential(3)
            }): final loss, why it stopped, how often the loss rose.`,
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
  {
    id: "compare-descent",
    notebook: 2,
    title: "GD, projected gradient with line search, and MU",
    question:
      "From the same start: fixed-step projected gradient descent, projected gradient with an Armijo line search (Lin 2007) and multiplicative updates. Which gets lower per iteration, and at what cost per iteration?",
    source: "experiments/gradient_descent.ts: compareDescent",
    run({ quick, seed }) {
      const r = compareDescent({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "iterations",
            caption: "Loss by iteration.",
            figure: convergencePlot(r.runs, { title: "loss by iteration" }),
          },
          {
            name: "seconds",
            caption: "Loss by solver seconds.",
            figure: convergencePlot(r.runs, { x: "seconds", title: "loss by time" }),
          },
        ],
        tables: [
          {
            name: "compare",
            caption: "Final loss, solver seconds and KKT residual (relative to the start).",
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
  {
    id: "kkt-at-end",
    notebook: 2,
    title: "KKT conditions at the end of a run",
    question:
      "A local minimum of NMF satisfies W, H ≥ 0, ∇f ≥ 0 and W ⊙ ∇_W f = 0, H ⊙ ∇_H f = 0. How close to these conditions are HALS, MU and fixed-step GD after many iterations?",
    source: "experiments/gradient_descent.ts: kktAtEnd",
    run({ quick, seed }) {
      const r = kktAtEnd({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "conditions",
            caption:
              "Gradient-sign violation and complementarity at the end, relative to the start (log scale; 0 drawn at 10⁻¹⁶).",
            figure: dotChart(
              r.table.flatMap((t) => [
                {
                  x: Math.max(t.gradientViolation, 1e-16),
                  y: t.solver,
                  series: "gradient sign violation",
                },
                { x: Math.max(t.complementarity, 1e-16), y: t.solver, series: "complementarity" },
              ]),
              {
                title: "how stationary is the end point?",
                xLabel: "relative violation",
                xType: "log",
              },
            ),
          },
        ],
        tables: [
          {
            name: "kkt",
            caption: "The three conditions per solver.",
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
      };
    },
  },
];
