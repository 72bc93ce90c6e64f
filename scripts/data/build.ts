/**
 * Rebuild the shipped data sets from their source packages: `deno task data [names…]
 * [--out=DIR]`. Without names, all five; without --out, into data/. Each data set has its own
 * script (Python for the scikit-learn / scikit-image files, R for esGolub, TypeScript for the
 * State of the Union tokenizer and the speech spectrogram); this file only runs them.
 *
 * @module
 */

import type { DatasetName } from "../../data/datasets.ts";

/** One data set's build: the script, the files it writes, and what it needs installed. */
export interface BuildStep {
  /** The data set. */
  name: DatasetName;
  /** The files (in the output folder) the script writes. */
  files: string[];
  /** Source files that must exist (from the Debian package). */
  requires: string[];
  /** Program and arguments before the output folder. */
  command: (repo: string) => string[];
  /** A command that must succeed for the build to be possible (e.g. an import check). */
  probe?: string[];
}

const repoUrl = new URL("../../", import.meta.url);
/** The repository root as a file path. */
export const REPO = decodeURIComponent(repoUrl.pathname).replace(/\/$/, "");

const denoRun = (script: string) => (repo: string) => [
  Deno.execPath(),
  "run",
  "--quiet",
  `--config=${repo}/deno.json`,
  "--allow-read",
  "--allow-write",
  "--allow-env",
  `${repo}/scripts/data/${script}`,
];

/** The five builds, in the order of data/README.md. */
export const BUILD_STEPS: readonly BuildStep[] = [
  {
    name: "digits",
    files: ["digits.csv", "digits_labels.csv"],
    requires: ["/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"],
    command: (repo) => ["python3", `${repo}/scripts/data/digits.py`],
    probe: ["python3", "-c", "import gzip, csv"],
  },
  {
    name: "faces",
    files: ["faces.csv"],
    requires: ["/usr/lib/python3/dist-packages/skimage/data/lfw_subset.npy"],
    command: (repo) => ["python3", `${repo}/scripts/data/faces.py`],
    probe: ["python3", "-c", "import numpy"],
  },
  {
    name: "sotu",
    files: ["sotu.csv", "sotu_vocabulary.csv", "sotu_documents.csv"],
    requires: [],
    command: denoRun("sotu.ts"),
  },
  {
    name: "golub",
    files: ["golub.csv", "golub_samples.csv", "golub_genes.csv"],
    requires: ["/usr/lib/R/site-library/NMF/data/esGolub.rda"],
    command: (repo) => ["Rscript", `${repo}/scripts/data/golub.R`],
    probe: ["Rscript", "-e", "suppressMessages(library(Biobase))"],
  },
  {
    name: "speech",
    files: ["speech.csv"],
    requires: ["/usr/share/sounds/alsa/Front_Center.wav"],
    command: denoRun("speech.ts"),
  },
];

/** Why `step` cannot run here (a missing file or tool), or `null` when it can. */
export async function missingPrerequisite(step: BuildStep): Promise<string | null> {
  for (const path of step.requires) {
    try {
      Deno.statSync(path);
    } catch {
      return `${path} is not installed`;
    }
  }
  if (step.probe) {
    try {
      const { success } = await new Deno.Command(step.probe[0] as string, {
        args: step.probe.slice(1),
        stdout: "null",
        stderr: "null",
      }).output();
      if (!success) return `\`${step.probe.join(" ")}\` failed`;
    } catch {
      return `${step.probe[0]} is not installed`;
    }
  }
  return null;
}

/** Run one build into `outDir`; throws with the script's output when it fails. */
export async function runBuild(step: BuildStep, outDir: string): Promise<string> {
  const [program, ...args] = step.command(REPO);
  const out = await new Deno.Command(program as string, { args: [...args, outDir], cwd: REPO })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`building ${step.name} failed:\n${text}`);
  return text.trim();
}

if (import.meta.main) {
  const outArg = Deno.args.find((a) => a.startsWith("--out="));
  const outDir = outArg ? outArg.slice("--out=".length) : `${REPO}/data`;
  const names = Deno.args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !BUILD_STEPS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`unknown data set(s): ${unknown.join(", ")}`);
    Deno.exit(2);
  }
  Deno.mkdirSync(outDir, { recursive: true });
  let failed = false;
  for (const step of BUILD_STEPS) {
    if (names.length > 0 && !names.includes(step.name)) continue;
    const missing = await missingPrerequisite(step);
    if (missing) {
      console.error(`${step.name}: skipped, ${missing}`);
      failed = true;
      continue;
    }
    console.log(await runBuild(step, outDir));
  }
  if (failed) Deno.exit(1);
}
