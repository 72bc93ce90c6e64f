// The `fit` command run as users run it: a subprocess of `deno run … cli.ts` on small CSV files.
import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { FLAGS, parseFitArgs } from "../cli/args.ts";
import { detectLabels } from "../cli/input.ts";
import { flagMessage } from "../cli/fit.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function fit(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, CLI, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

// A 6×5 matrix with gene names and sample names, exactly of rank 2 plus a little structure.
const LABELLED = [
  "gene,s1,s2,s3,s4,s5",
  "g1,1,2,3,0.5,4",
  "g2,2,4,6,1,8",
  "g3,0,1,1,3,2",
  "g4,1,3,4,3.5,6",
  "g5,5,1,0,2,1",
  "g6,0.5,0,2,1,1",
].join("\n") + "\n";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nmflab_cli_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("fit writes W.csv, H.csv, trace.csv, convergence.svg/.png and a complete manifest", async () => {
  await withDir(async (dir) => {
    const input = `${dir}/genes.csv`;
    await Deno.writeTextFile(input, LABELLED);
    const out = `${dir}/out`;
    const r = await fit([input, "--rank", "2", "--seed", "3", "--max-iter", "40", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), out);
    // Not a terminal: line-oriented progress, and a summary line.
    assert.match(r.stderr, /^fit: iteration \d+\/40 {2}loss /m);
    assert.match(r.stderr, /^fit: done: 40 iterations \(maxIter\)/m);

    const W = (await Deno.readTextFile(`${out}/W.csv`)).trim().split("\n");
    assert.equal(W[0], "gene,c1,c2");
    assert.deepEqual(W.slice(1).map((l) => l.split(",")[0]), ["g1", "g2", "g3", "g4", "g5", "g6"]);
    const H = (await Deno.readTextFile(`${out}/H.csv`)).trim().split("\n");
    assert.equal(H[0], "component,s1,s2,s3,s4,s5");
    assert.deepEqual(H.slice(1).map((l) => l.split(",")[0]), ["c1", "c2"]);
    for (const line of [...W.slice(1), ...H.slice(1)]) {
      for (const cell of line.split(",").slice(1)) assert.ok(Number(cell) >= 0, cell);
    }

    const trace = (await Deno.readTextFile(`${out}/trace.csv`)).trim().split("\n");
    assert.equal(trace[0], "iteration,loss,relativeError,kkt,seconds,negatives");
    assert.equal(trace.length, 1 + 41); // entry 0 plus one per iteration
    assert.equal(trace[41]!.split(",")[0], "40");

    const svg = await Deno.readTextFile(`${out}/convergence.svg`);
    assert.match(svg, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = await Deno.readFile(`${out}/convergence.png`);
    assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]);

    const m = JSON.parse(await Deno.readTextFile(`${out}/manifest.json`));
    assert.equal(m.tool, "nmflab fit");
    assert.equal(m.nmflabVersion, denoJson.version);
    assert.equal(m.deno.deno, Deno.version.deno);
    assert.ok(["portable", "blas"].includes(m.backend), m.backend);
    assert.equal(m.input.sha256, await sha256(new TextEncoder().encode(LABELLED)));
    assert.deepEqual([m.input.rows, m.input.cols, m.input.header, m.input.rowLabels], [
      6,
      5,
      true,
      true,
    ]);
    assert.equal(m.seed, 3);
    assert.deepEqual(
      [m.options.rank, m.options.solver, m.options.beta, m.options.init, m.options.maxIter],
      [2, "mu", 2, "nndsvda", 40],
    );
    assert.equal(m.options.maxSeconds, "Infinity");
    assert.equal(m.iterations, 40);
    assert.equal(m.stopReason, "maxIter");
    assert.ok(Number.isFinite(m.finalLoss) && m.finalLoss >= 0);
    assert.equal(m.finalLoss, Number(trace[41]!.split(",")[1]));
    assert.ok(m.wallSeconds > 0 && m.wallSeconds >= m.fitSeconds);
    assert.equal(
      m.outputs["W.csv"],
      await sha256(await Deno.readFile(`${out}/W.csv`)),
    );
  });
});

Deno.test("fit with the same seed and options writes byte-identical W.csv and H.csv", async () => {
  await withDir(async (dir) => {
    const input = `${dir}/v.csv`;
    await Deno.writeTextFile(input, LABELLED);
    const common = [input, "--rank", "3", "--init", "random", "--solver", "hals", "--no-png"];
    const [a, b, c] = await Promise.all([
      fit([...common, "--seed", "7", "--out", `${dir}/a`, "--quiet"]),
      fit([...common, "--seed", "7", "--out", `${dir}/b`, "--quiet"]),
      fit([...common, "--seed", "8", "--out", `${dir}/c`, "--quiet"]),
    ]);
    for (const r of [a, b, c]) assert.equal(r.code, 0, r.stderr);
    for (const name of ["W.csv", "H.csv"]) {
      const bytesA = await Deno.readFile(`${dir}/a/${name}`);
      assert.deepEqual(bytesA, await Deno.readFile(`${dir}/b/${name}`), name);
      assert.notDeepEqual(bytesA, await Deno.readFile(`${dir}/c/${name}`), name);
    }
  });
});

Deno.test("fit --threads changes how the products run, not what they give", async () => {
  await withDir(async (dir) => {
    const input = `${dir}/v.csv`;
    // 1000×400 at rank 12: each big product (4.8M multiply-adds) is shared between threads
    const rows = Array.from(
      { length: 1000 },
      (_, i) => Array.from({ length: 400 }, (_, j) => ((i * 7 + j * 13) % 17) + 1).join(","),
    );
    await Deno.writeTextFile(input, rows.join("\n") + "\n");
    const common = [input, "--rank", "12", "--backend", "portable", "--no-png", "--quiet"];
    const one = await fit([...common, "--threads", "1", "--out", `${dir}/one`]);
    const two = await fit([...common, "--threads", "2", "--out", `${dir}/two`]);
    for (const r of [one, two]) assert.equal(r.code, 0, r.stderr);
    for (const name of ["W.csv", "H.csv"]) {
      assert.deepEqual(
        await Deno.readFile(`${dir}/one/${name}`),
        await Deno.readFile(`${dir}/two/${name}`),
        name,
      );
    }
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/one/manifest.json`));
    assert.equal(manifest.portableThreads, 1);
    assert.equal(manifest.backend, "portable");
  });
});

Deno.test("fit --runs keeps the lowest loss and records every run", async () => {
  await withDir(async (dir) => {
    const input = `${dir}/v.csv`;
    await Deno.writeTextFile(input, "1,2,0,4\n0,3,1,1\n2,1,0,4\n1,1,1,0\n");
    const r = await fit([input, "--rank", "2", "--runs", "4", "--seed", "2", "--max-iter", "30"]
      .concat(["--out", dir, "--no-png"]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /run 4\/4/);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
    assert.equal(m.runs, 4);
    assert.equal(m.runLosses.length, 4);
    assert.equal(m.finalLoss, Math.min(...m.runLosses));
    assert.equal(m.options.init, "random");
    const rows = (await Deno.readTextFile(`${dir}/runs.csv`)).trim().split("\n");
    assert.equal(rows.length, 5);
    assert.equal(rows.filter((l) => l.endsWith(",1")).length, 1);
    // No labels in the input: W has only its component header, H only its component column.
    assert.equal((await Deno.readTextFile(`${dir}/W.csv`)).split("\n")[0], "c1,c2");
    assert.match((await Deno.readTextFile(`${dir}/H.csv`)).split("\n")[0]!, /^c1,/);
  });
});

Deno.test("fit --mask passes the weights to nmf and records the mask's hash", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/v.csv`, "1,2,3\n2,4,6\n1,2,3\n");
    await Deno.writeTextFile(`${dir}/m.csv`, "1,1,1\n1,0,1\n1,1,1\n");
    const r = await fit([`${dir}/v.csv`, "--rank", "1", "--mask", `${dir}/m.csv`, "--quiet"]
      .concat(["--out", dir, "--no-png", "--max-iter", "300", "--tol", "0"]));
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
    assert.equal(m.options.mask.path, `${dir}/m.csv`);
    assert.match(m.options.mask.sha256, /^[0-9a-f]{64}$/);
    assert.ok(m.relativeError < 1e-3, String(m.relativeError));
  });
});

Deno.test("fit --extrapolate runs the extrapolated solver and records it in the manifest", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/v.csv`, LABELLED);
    const common = ["--rank", "2", "--solver", "hals", "--quiet", "--no-png", "--max-iter", "50"];
    const r = await fit([`${dir}/v.csv`, "--extrapolate", "--out", `${dir}/a`, ...common]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/a/manifest.json`));
    assert.equal(m.options.extrapolate, true);
    const bad = await fit([
      `${dir}/v.csv`,
      "--extrapolate",
      "--out",
      `${dir}/b`,
      "--rank",
      "2",
      "--solver",
      "mu",
    ]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--extrapolate applies only to solver "hals" or "anls-bpp"/);
  });
});

Deno.test("fit --dataset fits a shipped data set with its labels", async () => {
  await withDir(async (dir) => {
    const r = await fit(["--dataset", "digits", "--rank", "4", "--max-iter", "3", "--out", dir]
      .concat(["--no-png", "--quiet"]));
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
    assert.equal(m.input.kind, "dataset");
    assert.deepEqual([m.input.rows, m.input.cols], [64, 1797]);
    assert.match(m.input.files["digits.csv"], /^[0-9a-f]{64}$/);
    const W = await Deno.readTextFile(`${dir}/W.csv`);
    assert.equal(W.trim().split("\n").length, 65);
  });
});

Deno.test("fit reads relative paths from INIT_CWD, where `deno task` was typed", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/v.csv`, "1,2\n3,4\n");
    const r = await fit(["v.csv", "--rank", "1", "--out", "result", "--no-png", "--quiet"], {
      INIT_CWD: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${dir}/result`);
    assert.ok((await Deno.stat(`${dir}/result/W.csv`)).isFile);
  });
});

Deno.test("fit --help documents every flag and exits 0", async () => {
  const r = await fit(["--help"]);
  assert.equal(r.code, 0);
  for (const f of FLAGS) assert.match(r.stdout, new RegExp(`--(\\[no-\\])?${f.flag}\\b`), f.flag);
  assert.equal(r.stderr, "");
});

// Each bad command line or bad file: non-zero exit, one line naming the problem, no stack trace.
const ERROR_CASES: {
  name: string;
  args: (dir: string) => string[];
  code: number;
  message: RegExp;
}[] = [
  {
    name: "an unknown flag",
    args: (d) => [`${d}/ok.csv`, "--rank", "2", "--frobnicate"],
    code: 2,
    message: /unknown flag --frobnicate/,
  },
  {
    name: "a misspelled flag",
    args: (d) => [`${d}/ok.csv`, "--rank", "2", "--max-iters", "9"],
    code: 2,
    message: /unknown flag --max-iters; did you mean --max-iter\?/,
  },
  { name: "a missing --rank", args: (d) => [`${d}/ok.csv`], code: 2, message: /missing --rank/ },
  {
    name: "a non-integer rank",
    args: (d) => [`${d}/ok.csv`, "--rank", "2.5"],
    code: 1,
    message: /--rank must be a positive integer, got 2\.5/,
  },
  {
    name: "a non-numeric rank",
    args: (d) => [`${d}/ok.csv`, "--rank", "two"],
    code: 2,
    message: /--rank expects an integer, got "two"/,
  },
  {
    name: "a missing file",
    args: (d) => [`${d}/nope.csv`, "--rank", "2"],
    code: 1,
    message: /nope\.csv: no such file/,
  },
  {
    name: "a ragged CSV",
    args: (d) => [`${d}/ragged.csv`, "--rank", "1"],
    code: 1,
    message: /ragged\.csv: row 2 has 2 cells, expected 3/,
  },
  {
    name: "a negative value",
    args: (d) => [`${d}/negative.csv`, "--rank", "1"],
    code: 1,
    message:
      /negative\.csv: row 2, column 2 holds the negative value -3; NMF needs every entry ≥ 0/,
  },
  {
    name: "a non-numeric cell",
    args: (d) => [`${d}/text.csv`, "--rank", "1", "--header", "no"],
    code: 1,
    message: /text\.csv: row 1, column 2: cannot read "x" as a number/,
  },
  {
    name: "an unknown solver",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--solver", "magic"],
    code: 1,
    message: /--solver must be one of .*got "magic"/,
  },
  {
    name: "a bad beta",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--beta", "gaussian"],
    code: 1,
    message: /--beta must be a number or one of "frobenius".*got "gaussian"/,
  },
  {
    name: "a beta the solver cannot minimize",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--solver", "hals", "--beta", "kl"],
    code: 1,
    message: /--solver "hals" minimizes the Frobenius loss only/,
  },
  {
    name: "a negative tol",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--tol", "-1"],
    code: 1,
    message: /--tol must be a finite number ≥ 0, got -1/,
  },
  {
    name: "zero runs",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--runs", "0"],
    code: 1,
    message: /--runs must be a positive integer, got 0/,
  },
  {
    name: "zero threads",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--threads", "0"],
    code: 1,
    message: /--threads must be a positive integer, got 0/,
  },
  {
    name: "too many threads",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--threads", "65"],
    code: 1,
    message: /--threads must be at most 64, got 65/,
  },
  {
    name: "a mask of the wrong shape",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--mask", `${d}/ragged_ok.csv`],
    code: 1,
    message: /--mask .* is 1×3, expected the shape of the input, 2×2/,
  },
  {
    name: "an unknown data set",
    args: () => ["--dataset", "mnist", "--rank", "2"],
    code: 1,
    message: /--dataset must be one of digits, faces, sotu, golub, speech, got "mnist"/,
  },
  {
    name: "a file and a data set",
    args: (d) => [`${d}/ok.csv`, "--dataset", "digits", "--rank", "2"],
    code: 2,
    message: /either an input CSV or --dataset, not both/,
  },
  {
    name: "a flag without its value",
    args: (d) => [`${d}/ok.csv`, "--rank"],
    code: 2,
    message: /--rank expects a value/,
  },
  {
    name: "an option for another solver",
    args: (d) => [`${d}/ok.csv`, "--rank", "1", "--step-size", "0.1"],
    code: 1,
    message: /--step-size applies only to solver "gd", not "mu"/,
  },
];

Deno.test("fit rejects bad flags and bad files with one line naming the problem", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/ok.csv`, "1,2\n3,4\n");
    await Deno.writeTextFile(`${dir}/ragged.csv`, "1,2,3\n4,5\n");
    await Deno.writeTextFile(`${dir}/ragged_ok.csv`, "1,1,1\n");
    await Deno.writeTextFile(`${dir}/negative.csv`, "1,2\n4,-3\n");
    await Deno.writeTextFile(`${dir}/text.csv`, "1,x\n4,3\n");
    const results: Run[] = [];
    // A few at a time: each case is a fresh Deno process.
    for (let i = 0; i < ERROR_CASES.length; i += 4) {
      const batch = ERROR_CASES.slice(i, i + 4).map((c) =>
        fit([...c.args(dir), "--out", `${dir}/never`, "--no-png"])
      );
      results.push(...await Promise.all(batch));
    }
    ERROR_CASES.forEach((c, i) => {
      const r = results[i] as Run;
      assert.equal(r.code, c.code, `${c.name}: exit ${r.code}, stderr ${r.stderr}`);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, `${c.name}: expected one line, got ${r.stderr}`);
      assert.match(lines[0]!, /^fit: /, c.name);
      assert.match(lines[0]!, c.message, c.name);
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:|Stack/, c.name);
      assert.equal(r.stdout, "", c.name);
    });
    assert.ok(ERROR_CASES.length >= 8);
    // No output folder is created for a failed fit.
    await assert.rejects(() => Deno.stat(`${dir}/never`), Deno.errors.NotFound);
  });
});

Deno.test("parseFitArgs reads --flag value, --flag=value and --no-flag", () => {
  assert.deepEqual(parseFitArgs(["a.csv", "--rank=3", "--beta", "1.5", "--no-project"]), {
    input: "a.csv",
    rank: 3,
    beta: 1.5,
    project: false,
  });
  assert.deepEqual(parseFitArgs(["--l1-w", "0.1", "--max-seconds", "inf", "--dataset", "faces"]), {
    l1W: 0.1,
    maxSeconds: Infinity,
    dataset: "faces",
  });
  assert.throws(() => parseFitArgs(["--rank", "1", "--rank", "2"]), /--rank is given twice/);
  assert.throws(() => parseFitArgs(["a.csv", "b.csv"]), /expected one input CSV, got 2/);
});

Deno.test("every flag of fit is the kebab-case twin of its option name", () => {
  const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const f of FLAGS) assert.equal(f.flag, kebab(f.key), f.flag);
});

Deno.test("detectLabels finds a header and a label column by their non-numeric cells", () => {
  assert.deepEqual(detectLabels(",a,b\nx,1,2\n"), { header: true, rowLabels: true });
  assert.deepEqual(detectLabels("x,1,2\ny,3,4\n"), { header: false, rowLabels: true });
  assert.deepEqual(detectLabels("1e-3,2\nNaN,4\n"), { header: false, rowLabels: false });
});

Deno.test("flagMessage names the flag of an nmf option in library messages", () => {
  assert.equal(
    flagMessage("nmf: maxIter must be a non-negative integer, got -1"),
    "--max-iter must be a non-negative integer, got -1",
  );
  assert.equal(
    flagMessage("nmf: option innerMaxIter applies only"),
    "--inner-max-iter applies only",
  );
  assert.equal(flagMessage("nmf: V must not be empty"), "nmf: V must not be empty");
});
