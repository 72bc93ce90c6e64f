/**
 * Report sections of notebook 6 — geometry and hardness.
 *
 * @module
 */

import {
  nonnegativeRankGap,
  restartMinima,
  simplexGeometry,
  spaRecovery,
} from "../../experiments/mod.ts";
import { geometryPlot } from "../../plots/geometry.ts";
import { dotChart, lineChart } from "../charts.ts";
import type { ReportEntry } from "../types.ts";

/** The report sections of notebook 6 (geometry and hardness), in order. */
export const NOTEBOOK6: ReportEntry[] = [
  {
    id: "simplex-geometry",
    notebook: 6,
    title: "Triangles in a triangle: the cone of W contains the data",
    question:
      "With 3 features, scaling columns to sum 1 puts the data on a triangle (the simplex) and the cone of W becomes the triangle of W's columns. Does every exact fit's triangle contain the data, and does SPA pick the planted corners?",
    source: "experiments/geometry.ts: simplexGeometry",
    run({ quick, seed }) {
      const r = simplexGeometry({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "planted",
            caption: "The data (dots) and the planted W* (triangle) on the simplex.",
            figure: geometryPlot(r.V, r.W, { mode: "simplex", title: "planted W*", size: 360 }),
          },
          ...r.fits.slice(0, 2).map((f, i) => ({
            name: `fit-${i + 1}`,
            caption: `Fit ${i + 1} (hals from a random start): an exact fit whose triangle (area ${
              (r.fitAreas[i] as number).toFixed(3)
            } of the simplex, planted ${r.plantedArea.toFixed(3)}) contains every data point.`,
            figure: geometryPlot(r.V, f.W, { mode: "simplex", title: `fit ${i + 1}`, size: 360 }),
          })),
        ],
        tables: [
          {
            name: "fits",
            caption: "Each fit: relative error and triangle area (fraction of the simplex).",
            rows: [
              { fit: "planted W*", relativeError: 0, area: r.plantedArea },
              ...r.fits.map((f, i) => ({
                fit: `fit ${i + 1}`,
                relativeError: f.relativeError,
                area: r.fitAreas[i] as number,
              })),
            ],
          },
        ],
        notes: [
          `SPA selected columns ${r.spaColumns.join(", ")}; the anchors are ${
            r.anchors.join(", ")
          }.`,
        ],
      };
    },
  },
  {
    id: "spa-recovery",
    notebook: 6,
    title: "SPA finds the extreme columns of separable data",
    question:
      "Successive projection picks the column of largest norm, projects it out, and repeats. On separable data it should find the k anchor columns exactly; how much noise can it take?",
    source: "experiments/geometry.ts: spaRecovery",
    run({ quick, seed }) {
      const r = spaRecovery({ quick, seed });
      const k = r.shape[2];
      return {
        checks: r.checks,
        figures: [
          {
            name: "noise",
            caption:
              `Anchors found (of ${k}) and relative error of the separable fit as Gaussian noise grows (σ = 0 drawn at the left edge as 10⁻⁴).`,
            figure: lineChart(
              r.rows.flatMap((row) => [
                {
                  x: Math.max(row.sigma, 1e-4),
                  y: row.anchorsFound / k,
                  series: "fraction of anchors found",
                },
                { x: Math.max(row.sigma, 1e-4), y: row.relativeError, series: "relative error" },
              ]),
              { title: "SPA under noise", xLabel: "noise σ", xType: "log" },
            ),
          },
        ],
        tables: [
          {
            name: "noise",
            caption: `m×n×k = ${r.shape.join("×")}.`,
            rows: r.rows.map((row) => ({ ...row })),
          },
        ],
      };
    },
  },
  {
    id: "nonnegative-rank-gap",
    notebook: 6,
    title: "A rank-3 matrix whose non-negative rank is 4",
    question:
      "Exercise 6: V = [[1,1,0,0],[0,1,1,0],[0,0,1,1],[1,0,0,1]] has rank 3, so the rank-3 SVD reproduces it exactly. Can any rank-3 NMF? Many restarts say no: the error stays bounded away from 0, while rank 4 is exact.",
    source: "experiments/geometry.ts: nonnegativeRankGap",
    run({ quick, seed }) {
      const r = nonnegativeRankGap({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "errors",
            caption:
              "Relative error of every restart: rank-3 NMF never gets below the dashed line; rank-4 NMF and the rank-3 SVD are exact (drawn at 10⁻¹⁶ when 0).",
            figure: dotChart(
              [
                ...r.nmfRank3Errors.map((e) => ({ x: e, y: "NMF, rank 3" })),
                ...r.nmfRank4Errors.map((e) => ({ x: Math.max(e, 1e-16), y: "NMF, rank 4" })),
                { x: Math.max(r.svdRank3Error, 1e-16), y: "SVD, rank 3" },
              ],
              {
                title: "rank 3 is not enough for NMF",
                xLabel: "relative error ‖V − WH‖/‖V‖",
                xType: "log",
                xRules: [{ x: 0.25, label: "0.25" }],
              },
            ),
          },
        ],
        tables: [
          {
            name: "singular-values",
            caption: "Singular values of V.",
            rows: r.singularValues.map((s, i) => ({ index: i + 1, singularValue: s })),
          },
        ],
      };
    },
  },
  {
    id: "restart-minima",
    notebook: 6,
    title: "Local minima: restarts on the bars data",
    question:
      "The bars images have an exact rank-16 NMF. Do random restarts always find it, or do some stop at stationary points with clearly positive error — and does that depend on the solver?",
    source: "experiments/geometry.ts: restartMinima",
    run({ quick, seed }) {
      const r = restartMinima({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "errors",
            caption:
              "Final relative error of every restart per solver (log scale); dots right of the dashed line are stuck at a local minimum or saddle.",
            figure: dotChart(
              r.records.map((x) => ({ x: Math.max(x.relativeError, 1e-16), y: x.method })),
              {
                title: "final error of each restart",
                xLabel: "relative error",
                xType: "log",
                xRules: [{ x: 0.05, label: "0.05" }],
              },
            ),
          },
        ],
        tables: [
          {
            name: "stuck",
            caption: "Restarts that ended with relative error > 0.05, per solver.",
            rows: Object.entries(r.stuck).map(([solver, stuck]) => ({
              solver,
              stuck,
              restarts: r.records.filter((x) => x.method === solver).length,
            })),
          },
        ],
      };
    },
  },
];
