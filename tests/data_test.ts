import assert from "node:assert/strict";
import { DATASET_META, DATASET_NAMES, type DatasetName, loadDataset } from "../mod.ts";
import { BUILD_STEPS, missingPrerequisite, runBuild } from "../scripts/data/build.ts";

const dataDir = new URL("../data/", import.meta.url);

/** SHA-256 of every shipped CSV (also listed in data/README.md). */
const CHECKSUMS: Record<string, string> = {
  "digits.csv": "7335bcace81f2eb8e7c920437a8506d57c8cf944825f4ce07f66ae99c12ad7a2",
  "digits_labels.csv": "41970fe3e7bdc08e0afc74b484921121f548bf3a4f3968057df15fff16de4b49",
  "faces.csv": "344d38a78170da50d2151f046615405747916278a58b17a7cfe2958ced3a47fb",
  "golub.csv": "d164d945bedd28a43b9c20ea2b475f7c9f6ae4d6d761e2d1eb94acf55e4f50c2",
  "golub_genes.csv": "67c0be2141bd19c774e18d5910027f3a1bdb5dbca8dedd3553500bc2ae8b6290",
  "golub_samples.csv": "949a58cd1569d7852dfb51e5872cc4ada0dc2bec3a9e73bcbba9042b2ca04b5b",
  "sotu.csv": "fd5660a2c21d5b8ec5b683bedb1be1719dab3305546c8c81bc22fa225f76f6fc",
  "sotu_documents.csv": "edd3bbac7ee2ce00a0e754311113db142f9d42dff11348197128c5e78b084add",
  "sotu_vocabulary.csv": "ae6b7a7f91a280c2ba1d5cb3536448db09a2e1008f6d5839b32f961c68e074f9",
  "speech.csv": "c0430ac9b8737f54dfe4515f2505b786aba9005413c05eef793a675c87c2c0cb",
};

const SHAPES: Record<DatasetName, [number, number]> = {
  digits: [64, 1797],
  faces: [625, 100],
  sotu: [2000, 233],
  golub: [5000, 38],
  speech: [513, 132],
};

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("every shipped CSV has its recorded SHA-256 and is under 5 MB", async () => {
  const shipped = [...Deno.readDirSync(dataDir)].map((e) => e.name).filter((n) =>
    n.endsWith(".csv")
  )
    .sort();
  assert.deepEqual(shipped, Object.keys(CHECKSUMS).sort(), "the CSV files in data/");
  for (const [file, hash] of Object.entries(CHECKSUMS)) {
    const bytes = Deno.readFileSync(new URL(file, dataDir));
    assert.ok(bytes.length < 5 * 1024 * 1024, `${file} has ${bytes.length} bytes`);
    assert.equal(await sha256(bytes), hash, `SHA-256 of data/${file}`);
  }
});

Deno.test("data/README.md lists the same checksum for every CSV and a section per data set", () => {
  const readme = Deno.readTextFileSync(new URL("README.md", dataDir));
  for (const [file, hash] of Object.entries(CHECKSUMS)) {
    assert.ok(readme.includes(`\`${hash}\``) && readme.includes(`\`${file}\``), file);
  }
  for (const name of DATASET_NAMES) assert.match(readme, new RegExp(`^## ${name}\\b`, "m"));
});

Deno.test("every data set loads with its documented shape, labels and non-negative entries", () => {
  for (const name of DATASET_NAMES) {
    const d = loadDataset(name);
    assert.deepEqual(d.V.shape, SHAPES[name], name);
    assert.deepEqual(d.meta.shape, SHAPES[name], name);
    assert.equal(d.meta.name, name);
    assert.deepEqual(d.meta.files, DATASET_META[name].files);
    assert.equal(d.rowLabels.length, d.V.rows, `${name} row labels`);
    assert.equal(d.colLabels.length, d.V.cols, `${name} column labels`);
    assert.ok(d.V.min() >= 0, `${name} is non-negative`);
    assert.ok(d.V.data.every(Number.isFinite), `${name} is finite`);
    for (const field of ["description", "source", "license", "origin", "orientation", "rebuild"]) {
      assert.ok(
        (d.meta as unknown as Record<string, string>)[field]!.length > 10,
        `${name}.${field}`,
      );
    }
  }
});

Deno.test("loadDataset() finds its files from any working directory", () => {
  const cwd = Deno.cwd();
  try {
    Deno.chdir(Deno.makeTempDirSync());
    assert.deepEqual(loadDataset("faces").V.shape, [625, 100]);
  } finally {
    Deno.chdir(cwd);
  }
});

Deno.test("loadDataset() rejects an unknown name and lists the known ones", () => {
  assert.throws(
    () => loadDataset("mnist" as DatasetName),
    /name must be one of "digits", "faces", "sotu", "golub", "speech", got "mnist"/,
  );
});

Deno.test("digits: 1797 images as columns with 1797 labels 0–9, integer pixels 0..16", () => {
  const d = loadDataset("digits");
  assert.equal(d.labels.length, 1797);
  assert.deepEqual([...new Set(d.labels)].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(d.V.data.every((v) => Number.isInteger(v) && v <= 16));
  assert.deepEqual(d.imageShape, [8, 8]);
  // The first image in the source (a zero) has top row 0 0 5 13 9 1 0 0: column 0 holds it.
  assert.deepEqual(Array.from(d.V.column(0).subarray(0, 8)), [0, 0, 5, 13, 9, 1, 0, 0]);
  assert.equal(d.labels[0], 0);
  assert.equal(d.rowLabels[9], "r1c1");
});

Deno.test("faces: 100 images of 25×25 in [0, 1]", () => {
  const d = loadDataset("faces");
  assert.deepEqual(d.imageShape, [25, 25]);
  assert.ok(d.V.max() <= 1);
  assert.equal(d.rowLabels[26], "r1c1");
  assert.equal(d.colLabels[99], "face99");
});

Deno.test("golub: 19 ALL-B, 8 ALL-T and 11 AML samples, integer expression values", () => {
  const d = loadDataset("golub");
  const count = (c: string) => d.labels.filter((l) => l === c).length;
  assert.deepEqual([count("ALL-B"), count("ALL-T"), count("AML")], [19, 8, 11]);
  assert.equal(d.geneDescriptions.length, 5000);
  assert.ok(d.V.data.every(Number.isInteger));
  d.colLabels.forEach((s, j) => {
    const expected = s.startsWith("AML") ? "AML" : s.endsWith("T-cell") ? "ALL-T" : "ALL-B";
    assert.equal(d.labels[j], expected, s);
  });
});

Deno.test("sotu: counts agree with the vocabulary and document tables", () => {
  const d = loadDataset("sotu");
  assert.equal(d.documents.length, 233);
  assert.equal(d.vocabulary.length, 2000);
  for (let t = 0; t < d.V.rows; t += 97) {
    const row = d.V.row(t);
    assert.equal(row.reduce((s, v) => s + v, 0), d.vocabulary[t]!.totalCount, d.rowLabels[t]);
    assert.equal(row.filter((v) => v > 0).length, d.vocabulary[t]!.documentFrequency);
    assert.ok(d.vocabulary[t]!.documentFrequency >= 5 && d.vocabulary[t]!.documentFrequency <= 116);
  }
  for (let j = 0; j < d.V.cols; j++) {
    assert.ok(d.V.column(j).reduce((s, v) => s + v, 0) <= d.documents[j]!.tokens);
  }
  const years = d.documents.map((doc) => doc.year);
  assert.deepEqual([years[0], years.at(-1)], [1790, 2021]);
  assert.deepEqual([...d.rowLabels].sort(), d.rowLabels, "terms are alphabetical");
});

Deno.test("speech: strictly positive powers on a 46.875 Hz × 512-sample grid", () => {
  const d = loadDataset("speech");
  assert.ok(d.V.min() > 0, "Itakura-Saito needs V > 0");
  assert.equal(d.V.min(), d.floor);
  assert.equal(d.frequencies[0], 0);
  assert.equal(d.frequencies[512], 24000);
  for (let f = 1; f < d.frequencies.length; f++) {
    assert.equal(d.frequencies[f], f * 46.875);
  }
  for (let t = 1; t < d.times.length; t++) {
    // Times are written with 6 significant digits: each is within 5e-6 s of the exact value.
    assert.ok(Math.abs(d.times[t]! - d.times[t - 1]! - 512 / 48000) <= 1.01e-5);
  }
});

// Rebuild each data set from its source package into a temporary folder and compare bytes.
const prerequisites = await Promise.all(BUILD_STEPS.map((s) => missingPrerequisite(s)));
BUILD_STEPS.forEach((step, k) => {
  const missing = prerequisites[k];
  if (missing) console.log(`skipping the ${step.name} rebuild test: ${missing}`);
  Deno.test({
    name: `the ${step.name} build script reproduces its shipped CSV files byte for byte`,
    ignore: missing !== null,
    async fn() {
      const out = Deno.makeTempDirSync();
      try {
        await runBuild(step, out);
        for (const file of step.files) {
          const rebuilt = Deno.readFileSync(`${out}/${file}`);
          const shipped = Deno.readFileSync(new URL(file, dataDir));
          assert.equal(await sha256(rebuilt), await sha256(shipped), `${file} differs`);
        }
      } finally {
        Deno.removeSync(out, { recursive: true });
      }
    },
  });
});
