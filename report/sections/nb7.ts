/**
 * Report sections of notebook 7 — computational scaling.
 *
 * @module
 */

import { iterationScaling, solverMemory, threadScaling, traceCost } from "../../experiments/mod.ts";
import { scalingPlot } from "../../plots/scaling.ts";
import { barChart } from "../charts.ts";
import type { ReportEntry, ReportFigure } from "../types.ts";

/** The report sections of notebook 7 (computational scaling), in order. */
export const NOTEBOOK7: ReportEntry[] = [
  {
    id: "iteration-scaling",
    notebook: 7,
    title: "Time per iteration grows linearly in m, n and k",
    question:
      "One iteration is dominated by products like WᵀV and VHᵀ, about 2mnk flops each. On log–log axes, does time per iteration grow with slope ≈ 1 in each of m, n and k, for every solver and backend?",
    source: "experiments/scaling.ts: iterationScaling",
    fullInQuick:
      "at its quick sizes fixed costs dominate and the fitted slopes fell to 0.27–0.60 in our quick runs.",
    run({ quick, seed }) {
      const r = iterationScaling({ quick, seed });
      const figures: ReportFigure[] = (["m", "n", "k"] as const).map((vary) => {
        const fixed = (["m", "n", "k"] as const).filter((d) => d !== vary)
          .map((d) => `${d} = ${r.base[d]}`).join(", ");
        return {
          name: `vary-${vary}`,
          caption:
            `Seconds per iteration against ${vary} (${fixed}); the legend gives each fitted slope.`,
          figure: scalingPlot(
            r.records.filter((x) => x.vary === vary).map((x) => ({
              size: x.size,
              seconds: x.seconds,
              method: `${x.solver} (${x.backend})`,
            })),
            { sizeLabel: vary, timeLabel: "seconds per iteration", title: `time ∝ ${vary}^p` },
          ),
        };
      });
      return {
        checks: r.checks,
        figures,
        tables: [
          {
            name: "slopes",
            caption: "Fitted log–log slopes (1 = linear) and their R².",
            rows: r.slopes.map((s) => ({ ...s })),
            show: 30,
          },
          {
            name: "timings",
            caption: "Every timed configuration (least seconds per iteration over the repeats).",
            rows: r.records.map((x) => ({ ...x })),
            show: 0,
          },
        ],
        notes: r.unavailable.map((u) => `Backend ${u.backend} not timed: ${u.reason}.`),
      };
    },
  },
  {
    id: "solver-memory",
    notebook: 7,
    title: "Work memory of each solver",
    question:
      "Besides V, W and H, how much memory does each solver allocate, and how does it grow when m and n double? Frobenius solvers only need k-sized products; KL multiplicative updates need m×n buffers.",
    source: "experiments/scaling.ts: solverMemory",
    run({ quick, seed }) {
      const r = solverMemory({ quick, seed });
      const sizes = [...new Set(r.rows.map((x) => `${x.m}×${x.n}`))];
      return {
        checks: r.checks,
        figures: [
          {
            name: "work",
            caption: `Solver work memory divided by the memory of V (k = ${
              r.rows[0]?.k
            }); the Frobenius solvers' share halves as m and n double.`,
            figure: barChart(
              r.rows.map((x) => ({
                x: `${x.solver}${x.beta === 1 ? " (KL)" : ""}`,
                y: x.workOverData,
                series: `${x.m}×${x.n}`,
              })),
              { title: "work memory / data memory", yLabel: "work / 8mn bytes", width: 640 },
            ),
          },
        ],
        tables: [
          {
            name: "memory",
            caption: `Bytes measured for each solver at sizes ${sizes.join(" and ")}.`,
            rows: r.rows.map((x) => ({ ...x })),
            show: 30,
          },
        ],
      };
    },
  },
  {
    id: "trace-cost",
    notebook: 7,
    title: "The cost of computing the loss every iteration",
    question:
      "The driver records the loss and KKT residual in the trace. How much wall time does recording every iteration cost compared with every 10th?",
    source: "experiments/scaling.ts: traceCost",
    fullInQuick:
      "at its quick size the difference is within timing noise (wall-time ratios 0.74–1.09 in our quick runs).",
    run({ quick, seed }) {
      const r = traceCost({ quick, seed });
      const { m, n, k, iterations } = r.shape;
      return {
        checks: r.checks,
        figures: [
          {
            name: "wall",
            caption:
              `Wall seconds of ${iterations} iterations on a ${m}×${n} matrix, rank ${k}, tracing every iteration or every 10th.`,
            figure: barChart(
              r.rows.map((x) => ({
                x: x.solver,
                y: x.wallSeconds,
                series: `trace every ${x.traceEvery}`,
              })),
              { title: "wall time vs tracing", yLabel: "seconds" },
            ),
          },
        ],
        tables: [
          {
            name: "trace-cost",
            caption: "Wall and solver seconds (least of 3 runs) and entries recorded.",
            rows: r.rows.map((x) => ({ ...x })),
          },
        ],
      };
    },
  },
  {
    id: "thread-scaling",
    notebook: 7,
    title: "The same fit on more cores",
    question:
      "The portable backend splits each large product between worker threads. How much faster is an MU iteration on every core than on one, and do the factors change?",
    source: "experiments/scaling.ts: threadScaling",
    run({ quick, seed }) {
      const r = threadScaling({ quick, seed });
      const { m, n, k } = r.shape;
      return {
        checks: r.checks,
        figures: [
          {
            name: "threads",
            caption:
              `Least seconds per MU iteration on a ${m}×${n} matrix, rank ${k}, portable backend (${r.cores} logical cores).`,
            figure: barChart(
              r.rows.map((x) => ({ x: `${x.threads}`, y: x.secondsPerIteration, series: "mu" })),
              { title: "time per iteration vs threads", yLabel: "seconds", xLabel: "threads" },
            ),
          },
        ],
        tables: [
          {
            name: "threads",
            caption: "Seconds per iteration and speed-up over one thread.",
            rows: r.rows.map((x) => ({ ...x })),
          },
        ],
      };
    },
  },
];
