/**
 * Report sections of notebook 8 — applications on the shipped data.
 *
 * @module
 */

import { golubMetagenes, partsVersusHolistic, sotuTopics } from "../../experiments/applications.ts";
import { checkClaim } from "../../experiments/checks.ts";
import { loadDataset } from "../../data/datasets.ts";
import { Matrix } from "../../linalg/matrix.ts";
import { basisImages } from "../../plots/basis.ts";
import { heatmap } from "../../plots/heatmap.ts";
import { sideBySide } from "../../plots/layout.ts";
import { topicsPlot } from "../../plots/topics.ts";
import { stackedWeights } from "../../plots/weights.ts";
import { dotChart, lineChart } from "../charts.ts";
import type { ReportEntry, ReportOutput } from "../types.ts";

/** The report sections of notebook 8 (applications), in order. */
export const NOTEBOOK8: ReportEntry[] = [
  {
    id: "parts-vs-holistic",
    notebook: 8,
    title: "Digits and faces: NMF learns parts, PCA does not",
    question:
      "With the same number of components, NMF's basis images (non-negative, added up) should look like localized parts, PCA's (signed, cancelling) like whole ghostly images. Is NMF's basis measurably sparser, and what does each cost in reconstruction error?",
    source: "experiments/applications.ts: partsVersusHolistic",
    run({ quick, seed }) {
      const out: ReportOutput = { checks: [], figures: [], tables: [] };
      const sets = [
        { name: "digits", data: loadDataset("digits"), shape: [8, 8] as const },
        { name: "faces", data: loadDataset("faces"), shape: [25, 25] as const },
      ];
      for (const s of sets) {
        const r = partsVersusHolistic(s.data, { quick, seed, rank: 16 });
        out.checks.push(
          ...r.checks.map((c) => checkClaim(`${s.name}: ${c.claim}`, c.passed, c.value)),
        );
        out.figures.push(
          {
            name: `${s.name}-bases`,
            caption:
              `${s.name}: the 16 NMF basis images (left, grey: non-negative) and the 16 PCA components (right, blue < 0 < red).`,
            figure: sideBySide([
              basisImages(r.nmf.W, {
                imageShape: s.shape,
                columns: 4,
                title: "NMF",
                legend: false,
              }),
              basisImages(r.pca, { imageShape: s.shape, columns: 4, title: "PCA", legend: false }),
            ]),
          },
          {
            name: `${s.name}-sparseness`,
            caption:
              `${s.name}: Hoyer sparseness of every basis image (0 = flat, 1 = a single pixel).`,
            figure: dotChart(
              [
                ...r.sparsenessNmf.map((x) => ({ x, y: "NMF" })),
                ...r.sparsenessPca.map((x) => ({ x, y: "PCA" })),
              ],
              { title: `${s.name}: sparseness of the basis images`, xLabel: "Hoyer sparseness" },
            ),
          },
        );
        out.tables.push({
          name: s.name,
          caption: `${s.name}: reconstruction error and basis statistics (rank 16).`,
          rows: [{
            errorNmf: r.errorNmf,
            errorPca: r.errorPca,
            meanSparsenessNmf: r.sparsenessNmf.reduce((a, b) => a + b, 0) / r.sparsenessNmf.length,
            meanSparsenessPca: r.sparsenessPca.reduce((a, b) => a + b, 0) / r.sparsenessPca.length,
            negativeFractionPca: r.negativeFractionPca,
          }],
        });
      }
      return out;
    },
  },
  {
    id: "sotu-topics",
    notebook: 8,
    title: "Topics of the State of the Union addresses",
    question:
      "NMF of the TF-IDF terms × addresses matrix: are the topics' top words distinct, and do the topics belong to different eras of American history?",
    source: "experiments/applications.ts: sotuTopics",
    run({ quick, seed }) {
      const data = loadDataset("sotu");
      const r = sotuTopics(data, { quick, seed });
      const labels = r.topics.map((t, i) => `${i + 1} (≈${Math.round(t.meanYear)})`);
      // Order topics by era for the weights over time.
      const byEra = r.topics.map((_, i) => i).sort((a, b) =>
        (r.topics[a]?.meanYear ?? 0) - (r.topics[b]?.meanYear ?? 0)
      );
      const shares = Matrix.generate(
        r.shares.rows,
        r.shares.cols,
        (t, j) => r.shares.get(byEra[t] as number, j),
      );
      return {
        checks: r.checks,
        figures: [
          {
            name: "topics",
            caption: "The heaviest terms of each topic (labelled by its weighted mean year).",
            figure: topicsPlot(r.nmf.W, { terms: data.rowLabels, topicLabels: labels, top: 8 }),
          },
          {
            name: "weights",
            caption: "Each address's topic shares, addresses in time order, topics ordered by era.",
            figure: stackedWeights(shares, {
              sampleLabels: r.years.map((y, j) => `${y}#${j}`),
              componentLabels: byEra.map((t) => labels[t] as string),
              title: "topic shares of each address over time",
              width: 900,
            }),
          },
        ],
        tables: [
          {
            name: "topics",
            caption: `Top words per topic (mean pairwise Jaccard overlap ${
              r.meanOverlap.toFixed(3)
            }).`,
            rows: r.topics.map((t, i) => ({
              topic: i + 1,
              words: t.words.join(" "),
              meanYear: Math.round(t.meanYear),
              peakYear: t.peakYear,
            })),
          },
        ],
      };
    },
  },
  {
    id: "golub-metagenes",
    notebook: 8,
    title: "Golub leukemia: metagenes and consensus clustering",
    question:
      "Brunet et al. (2004): KL-NMF with many restarts per rank, consensus matrices of the sample clusterings, cophenetic correlation per rank. Do rank 2 and rank 3 recover ALL/AML and ALL-B/ALL-T/AML (adjusted Rand index)?",
    source: "experiments/applications.ts: golubMetagenes",
    run({ quick, seed }) {
      const data = loadDataset("golub");
      const r = golubMetagenes(data, { quick, seed });
      return {
        checks: r.checks,
        figures: [
          ...r.survey.filter((e) => e.rank <= 3).map((e) => ({
            name: `consensus-${e.rank}`,
            caption:
              `Consensus matrix at rank ${e.rank} (samples in dendrogram order, labelled by class): the fraction of restarts that put two samples in the same cluster.`,
            figure: heatmap(e.consensus, {
              rowLabels: data.labels.map((l, j) => `${l} ${j + 1}`),
              colLabels: data.labels.map((l, j) => `${l} ${j + 1}`),
              rowOrder: e.order,
              colOrder: e.order,
              legend: "consensus",
              title: `consensus, rank ${e.rank}`,
              cellSize: 9,
            }),
          })),
          {
            name: "agreement",
            caption: "Cophenetic correlation and agreement (ARI) with the known classes, per rank.",
            figure: lineChart(
              r.agreement.flatMap((a) => [
                { x: a.rank, y: a.cophenetic, series: "cophenetic correlation" },
                { x: a.rank, y: a.ariAllAml, series: "ARI with ALL / AML" },
                { x: a.rank, y: a.ariThreeClasses, series: "ARI with ALL-B / ALL-T / AML" },
              ]),
              { title: "which rank?", xLabel: "rank" },
            ),
          },
        ],
        tables: [
          {
            name: "agreement",
            caption: `Per rank, on the ${r.genes.length} most variable genes.`,
            rows: r.agreement.map((a) => ({ ...a })),
          },
        ],
      };
    },
  },
];
