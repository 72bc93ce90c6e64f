/**
 * Report sections of notebook 5 — non-uniqueness and scaling indeterminacy.
 *
 * @module
 */

import {
  identityAndBeyond,
  restartDiversity,
  scalingIndeterminacy,
} from "../../experiments/mod.ts";
import { heatmap } from "../../plots/heatmap.ts";
import { dotChart, lineChart } from "../charts.ts";
import type { ReportEntry } from "../types.ts";

/** The report sections of notebook 5 (non-uniqueness and scaling indeterminacy), in order. */
export const NOTEBOOK5: ReportEntry[] = [
  {
    id: "scaling-indeterminacy",
    notebook: 5,
    title: "Scaling and permutation leave WH unchanged",
    question:
      "If V = WH, then also V = (WD)(D⁻¹H) for any positive diagonal D and V = (WP)(PᵀH) for any permutation P. Does the product really not change, to rounding, when D spans six orders of magnitude?",
    source: "experiments/non_uniqueness.ts: scalingIndeterminacy",
    run({ seed }) {
      const r = scalingIndeterminacy({ seed });
      const WD = r.W.map((v, _i, c) => v * (r.d[c] as number));
      return {
        checks: r.checks,
        figures: [
          {
            name: "w",
            caption: "log₁₀ of the entries of W.",
            figure: heatmap(r.W.map((v) => Math.log10(v)), {
              title: "log₁₀ W",
              legend: "log₁₀ entry",
            }),
          },
          {
            name: "wd",
            caption:
              "log₁₀ of WD: each column shifted by log₁₀ of its scale (10⁻³ to 10³), yet (WD)(D⁻¹H) equals WH to rounding.",
            figure: heatmap(WD.map((v) => Math.log10(v)), {
              title: "log₁₀ WD",
              legend: "log₁₀ entry",
            }),
          },
        ],
        tables: [
          {
            name: "scales",
            caption: "The diagonal of D and the largest relative change of the product.",
            rows: r.d.map((d, c) => ({
              component: c + 1,
              d,
              permutedFrom: (r.permutation[c] as number) + 1,
            })),
          },
        ],
        notes: [
          `max|WH − (WD)(D⁻¹H)| / max|WH| = ${r.scalingDifference.toExponential(2)}; ` +
          `with a permutation: ${r.permutationDifference.toExponential(2)}.`,
        ],
      };
    },
  },
  {
    id: "identity-and-beyond",
    notebook: 5,
    title: "The identity has only trivial NMFs; a positive matrix has a continuum",
    question:
      "Exercise 8: every NMF of the identity is a scaled permutation — rotating it even slightly creates a negative entry. Is that true of non-negative matrices in general, or does a positive 2×2 matrix admit genuinely different exact NMFs?",
    source: "experiments/non_uniqueness.ts: identityAndBeyond",
    run() {
      const r = identityAndBeyond();
      return {
        checks: r.checks,
        figures: [
          {
            name: "rotations",
            caption:
              "Smallest entry of the rotation R(θ) of the 2×2 identity: negative for every θ ≠ 0, so only scaling and permutation remain.",
            figure: lineChart(
              r.rotations.map((x) => ({ x: x.theta, y: x.smallestEntry })),
              {
                title: "smallest entry of R(θ)",
                xLabel: "θ (radians)",
                yLabel: "min entry",
                yRules: [{ y: 0, label: "0" }],
              },
            ),
          },
          {
            name: "family",
            caption:
              "V = [[2,1],[1,2]] = W(t)H(t) for every t in [0, ½], all factors non-negative; the cosine similarity of W(t) to W(0) falls as t grows.",
            figure: lineChart(
              r.family.flatMap((f) => [
                { x: f.t, y: f.smallestEntry, series: "smallest entry of W(t), H(t)" },
                { x: f.t, y: f.similarityToFirst, series: "cosine similarity of W(t) to W(0)" },
              ]),
              { title: "a continuum of exact NMFs", xLabel: "t", yRules: [{ y: 0, label: "0" }] },
            ),
          },
        ],
        tables: [
          {
            name: "family",
            caption: "The family W(t) = V Q(t)⁻¹, H(t) = Q(t).",
            rows: r.family.map((f) => ({
              t: f.t,
              difference: f.difference,
              smallestEntry: f.smallestEntry,
              similarityToFirst: f.similarityToFirst,
            })),
          },
        ],
      };
    },
  },
  {
    id: "restart-diversity",
    notebook: 5,
    title: "Different seeds: the same loss, different factors — unless the data are separable",
    question:
      "Fit exactly low-rank data from several random starts and match the components by the Hungarian algorithm: do the fits agree with each other and with the planted W*? Dense data, separable H*, and separable W* and H*.",
    source: "experiments/non_uniqueness.ts: restartDiversity",
    run({ quick, seed }) {
      const r = restartDiversity({ quick, seed });
      return {
        checks: r.checks,
        figures: [
          {
            name: "similarity",
            caption:
              "Least matched cosine similarity of each restart's W to the first restart's W and to the planted W*: only doubly separable data pin the factors down.",
            figure: dotChart(
              r.table.flatMap((t) => [
                { x: t.similarityToFirst, y: t.scenario, series: "to the first restart" },
                { x: t.similarityToTruth, y: t.scenario, series: "to the planted W*" },
              ]),
              { title: "how alike are the fits?", xLabel: "least matched cosine similarity" },
            ),
          },
        ],
        tables: [
          {
            name: "restarts",
            caption: `Every restart (data ${r.shape.join("×").replace(/×(\d+)$/, ", rank $1")}).`,
            rows: r.table.map((t) => ({ ...t })),
            show: 30,
          },
        ],
      };
    },
  },
];
