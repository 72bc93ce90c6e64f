// The experiment report end to end: `experiments --quick` into a temporary folder, the page's
// structure and files, and the page rendered by headless Chromium with every figure loaded.
import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { REPORT_ENTRIES } from "../report/registry.ts";
import { formatCell, renderReportHtml } from "../report/html.ts";

const SCRIPT = new URL("../scripts/experiments.ts", import.meta.url).pathname;
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys"];

interface QuickRun {
  dir: string;
  code: number;
  stdout: string;
  stderr: string;
  html: string;
}

let quickRun: Promise<QuickRun> | undefined;

/** One quick report for all the tests of this file (removed at exit). */
function quickReport(): Promise<QuickRun> {
  quickRun ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "nmflab_report_" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMISSIONS, SCRIPT, "--quick", "--out", dir],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return {
      dir,
      code: out.code,
      stdout: decode(out.stdout),
      stderr: decode(out.stderr),
      html: await Deno.readTextFile(`${dir}/index.html`),
    };
  })();
  return quickRun;
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, "text/html") as unknown as Document;
}

Deno.test("experiments --quick writes a report whose exit status matches its claims", async () => {
  const r = await quickReport();
  const summary = JSON.parse(await Deno.readTextFile(`${r.dir}/summary.json`));
  assert.equal(summary.mode, "quick");
  assert.equal(r.code, summary.failed > 0 ? 1 : 0, r.stderr);
  assert.equal(r.stdout.trim(), `${r.dir}/index.html`);
  // Progress: one start and one finish line per experiment, then the tally.
  for (const e of REPORT_ENTRIES) {
    assert.match(r.stderr, new RegExp(`notebook ${e.notebook}: .*s, \\d+/\\d+ claims held`));
  }
  assert.match(r.stderr, /experiments: \d+ of \d+ claims held/);
  if (summary.failed > 0) {
    console.log(
      `note: ${summary.failed} claim(s) failed in this quick run:\n` +
        summary.sections.flatMap((s: { checks: { claim: string; passed: boolean }[] }) =>
          s.checks.filter((c) => !c.passed).map((c) => `  ${c.claim}`)
        ).join("\n"),
    );
  }
});

Deno.test("the report has one section per experiment with question, figures and claims", async () => {
  const r = await quickReport();
  const doc = parse(r.html);
  const sections = [...doc.querySelectorAll("section[data-section]")];
  assert.deepEqual(
    sections.map((s) => s.getAttribute("data-section")),
    REPORT_ENTRIES.map((e) => e.id),
  );
  for (const s of sections) {
    const id = s.getAttribute("data-section");
    assert.ok(s.querySelector("h3")?.textContent, `${id}: title`);
    assert.ok(s.querySelector("p.question")?.textContent, `${id}: question`);
    assert.ok(s.querySelectorAll("img").length >= 1, `${id}: at least one figure`);
    assert.ok(s.querySelectorAll("table.checks tbody tr").length >= 1, `${id}: claims table`);
  }
  // Summary first, then machine and versions.
  const summary = doc.querySelector("#summary");
  assert.match(summary?.textContent ?? "", /\d+ of \d+ claims held/);
  const machine = doc.querySelector("table.machine")?.textContent ?? "";
  assert.match(machine, new RegExp(`Deno${Deno.version.deno.replace(/\./g, "\\.")}`));
  assert.match(machine, /nmflab/);
  assert.equal(doc.body.getAttribute("data-mode"), "quick");
});

Deno.test("every figure, PNG and CSV the report links exists and is not empty", async () => {
  const r = await quickReport();
  const doc = parse(r.html);
  const targets = [
    ...[...doc.querySelectorAll("img")].map((i) => i.getAttribute("src") as string),
    ...[...doc.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") as string)
      .filter((h) => !h.startsWith("#")),
  ];
  assert.ok(targets.length > 20, `${targets.length} links`);
  for (const t of targets) {
    const info = await Deno.stat(new URL(t, `file://${r.dir}/`));
    assert.ok(info.isFile && info.size > 0, t);
  }
  for (const img of doc.querySelectorAll("img")) {
    const svg = await Deno.readTextFile(`${r.dir}/${img.getAttribute("src")}`);
    assert.match(svg, /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  }
});

function findChromium(): string | undefined {
  const path = Deno.env.get("PATH") ?? "";
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    for (const dir of path.split(":")) {
      try {
        if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const chromium = findChromium();
if (chromium === undefined) {
  console.log(
    "report_test: skipping the headless Chromium check: no chromium on PATH (Debian: apt-get install chromium)",
  );
}

Deno.test({
  name: "headless Chromium renders the report with every figure loaded",
  ignore: chromium === undefined,
  async fn() {
    const r = await quickReport();
    const profile = await Deno.makeTempDir({ prefix: "nmflab_chromium_" });
    try {
      const out = await new Deno.Command(chromium as string, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          `--user-data-dir=${profile}`,
          "--virtual-time-budget=10000",
          "--dump-dom",
          `file://${r.dir}/index.html`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dom = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr).slice(-2000));
      const body = /<body([^>]*)>/.exec(dom)?.[1] ?? "";
      const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(body)?.[1];
      const images = parse(r.html).querySelectorAll("img").length;
      assert.equal(attr("data-figures-total"), String(images), body);
      assert.equal(attr("data-broken-sources"), "", body);
      assert.equal(attr("data-figures"), "ok", body);
    } finally {
      await Deno.remove(profile, { recursive: true });
    }
  },
});

Deno.test("every report section names experiment functions its module exports", async () => {
  const ids = new Set<string>();
  for (const e of REPORT_ENTRIES) {
    assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
    ids.add(e.id);
    assert.match(e.id, /^[a-z0-9-]+$/);
    const m = /^(experiments\/[a-z_]+\.ts): (.+)$/.exec(e.source);
    if (m === null) continue; // a section of the report's own (its source names the file)
    const module = await import(new URL(`../${m[1]}`, import.meta.url).href);
    for (const name of (m[2] as string).split(/,\s*/)) {
      assert.equal(typeof module[name], "function", `${e.id}: ${m[1]} exports ${name}`);
    }
  }
});

Deno.test("experiments lists its sections and rejects unknown ids and flags with exit 2", async () => {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMISSIONS, SCRIPT, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  };
  const [list, unknownId, unknownFlag] = await Promise.all([
    run("--list"),
    run("--only", "no-such-section"),
    run("--fast"),
  ]);
  assert.equal(list.code, 0);
  assert.deepEqual(
    list.stdout.trim().split("\n").map((l) => l.split("\t")[0]),
    REPORT_ENTRIES.map((e) => e.id),
  );
  assert.equal(unknownId.code, 2);
  assert.equal(
    unknownId.stderr.trim(),
    "experiments: unknown section id(s) no-such-section (see --list)",
  );
  assert.equal(unknownFlag.code, 2);
  assert.equal(unknownFlag.stderr.trim(), 'experiments: unknown argument "--fast" (see --help)');
});

Deno.test("renderReportHtml lists failed claims and experiments that threw at the top", () => {
  const entry = REPORT_ENTRIES[0]!;
  const html = renderReportHtml({
    mode: "full",
    machine: [["Deno", "x"]],
    totalSeconds: 1,
    createdAt: "2026-01-01T00:00:00Z",
    sections: [
      {
        entry,
        seconds: 0.5,
        checks: [
          { claim: "one holds", passed: true, value: 1 },
          { claim: "two <fails>", passed: false, value: 0.25 },
        ],
        figures: [],
        tables: [],
        notes: [],
      },
      {
        entry: { ...entry, id: "other" },
        seconds: 0,
        checks: [],
        figures: [],
        tables: [],
        notes: [],
        error: "RangeError: boom",
      },
      {
        entry: { ...entry, id: "big", fullInQuick: "too small when quick" },
        seconds: 0,
        checks: [],
        figures: [],
        tables: [],
        notes: [],
        quickButFull: true,
      },
    ],
  });
  const doc = parse(html);
  assert.equal(doc.body.getAttribute("data-claims-failed"), "1");
  assert.match(doc.querySelector("#summary")?.textContent ?? "", /1 of 2 claims held/);
  const failures = [...doc.querySelectorAll("h2 + ul li")].map((li) => li.textContent);
  assert.match(
    doc.querySelector("#big")?.textContent ?? "",
    /Run at full size in this quick report: too small when quick/,
  );
  assert.deepEqual(failures, [
    `${entry.title}: two <fails> (measured 0.25)`,
    `${entry.title} threw: RangeError: boom`,
  ]);
});

Deno.test("formatCell writes numbers to 4 significant digits and tiny ones in exponent form", () => {
  assert.equal(formatCell(1234567), "1234567");
  assert.equal(formatCell(0.000012345), "1.234e-5");
  assert.equal(formatCell(12.3456), "12.35");
  assert.equal(formatCell(Infinity), "∞");
  assert.equal(formatCell(null), "");
});
