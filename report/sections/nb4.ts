/**
 * Report sections of notebook 4 — initialization.
 *
 * @module
 */

import { initializationStudy, zeroLock } from "../../experiments/initialization.ts";
import { lossDistribution } from "../../plots/distribution.ts";
import { barChart, dotChart } from "../charts.ts";
import type { ReportEntry } from "../types.ts";

/** The report sections of notebook 4 (initialization), in order. */
export const NOTEBOOK4: ReportEntry[] = [
  {
    id: "initialization-study",
    notebook: 4,
    title: "Random seeds against NNDSVD, NNDSVDa, NNDSVDar and random-acol",
    question:
      "NMF is non-convex: where MU ends depends on where it starts. Over many random seeds and the SVD-based starts, how are the final losses and the iterations to tolerance distributed?",
    source: "experiments/initialization.ts: initializationStudy",
    fullInQuick:
      "at its quick size (6 seeds, 200 iterations) NNDSVDa hit the iteration cap in our quick runs (200 iterations against a random median of 160).",
    run({ quick, seed }) {
      const r = initializationStudy({ quick, seed });
      const methods = r.summary.map((s) => s.method);
      return {
        checks: r.checks,
        figures: [
          {
            name: "losses",
            caption:
              "Final loss of every run divided by the best over all runs (1 = best found), per initialization.",
            figure: lossDistribution(r.runs.map((x) => ({ method: x.method, loss: x.loss })), {
              relative: true,
              methods,
              title: "final loss / best loss",
            }),
          },
          {
            name: "iterations",
            caption: "MU iterations each run needed to meet the tolerance (or the cap).",
            figure: dotChart(r.runs.map((x) => ({ x: x.iterations, y: x.method })), {
              title: "iterations to tolerance",
              xLabel: "iterations",
            }),
          },
        ],
        tables: [
          {
            name: "summary",
            caption:
              "Per initialization: runs, best / median / worst loss, median iterations, runs that converged.",
            rows: r.summary.map((s) => ({ ...s })),
          },
          {
            name: "runs",
            caption: "Every run.",
            rows: r.runs.map((x) => ({ ...x })),
            show: 0,
          },
        ],
      };
    },
  },
  {
    id: "zero-lock",
    notebook: 4,
    title: "The zero lock: what starts at 0 stays 0 under MU",
    question:
      "Exercises 4 and 9: a multiplicative update multiplies each entry by a non-negative ratio. Does an entry that starts at exactly 0 stay 0 (while HALS moves it), and does MU from W = 0, H = 0 never move at all?",
    source: "experiments/initialization.ts: zeroLock",
    run({ quick, seed }) {
      const r = zeroLock({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "values",
            caption:
              "The entry that started at 0, after the run, per solver: zero-height bars are the MU runs (locked), HALS moved both.",
            figure: barChart(
              r.table.map((t) => ({ x: t.case, y: t.value, series: t.solver })),
              {
                title: "value at the end of an entry that started at 0",
                yLabel: "value",
                width: 640,
              },
            ),
          },
        ],
        tables: [
          {
            name: "zero-lock",
            caption: "Each case and solver.",
            rows: r.table.map((t) => ({ ...t })),
          },
        ],
        notes: r.warnings.slice(0, 1).map((w) => `nmf warned: “${w}”`),
      };
    },
  },
];
