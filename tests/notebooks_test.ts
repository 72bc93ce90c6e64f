/**
 * Executing a notebook is a test: every notebook under notebooks/ must run without error (its
 * assertions included), show every output it is meant to show, and finish in under 2 minutes.
 * Through Jupyter (the real Deno kernel) where a python3 with nbclient is installed, otherwise
 * by running its code cells in order under Deno; the path taken is printed.
 */
import assert from "node:assert/strict";
import {
  findJupyterPython,
  listNotebooks,
  notebookToModule,
  runNotebooks,
} from "../scripts/run_notebooks_deno.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const notebooks = listNotebooks(`${root}/notebooks`);
/** Notebooks whose claims are about timings. */
const TIMED = ["07-computational-scaling.ipynb"];

Deno.test({
  name: "every notebook executes without error, shows its outputs, and runs in under 2 minutes",
  ignore: notebooks.length === 0,
  fn: async () => {
    const jobs = Number(Deno.env.get("NMFLAB_NOTEBOOK_JOBS") ?? "") ||
      Math.min(2, navigator.hardwareConcurrency);
    // The notebook that times iterations (and asserts how the time grows) runs alone, after the
    // others: sharing the two cores with another notebook bends its measured slopes.
    const timed = notebooks.filter((n) => TIMED.some((name) => n.endsWith(name)));
    const others = notebooks.filter((n) => !timed.includes(n));
    for (const [batch, batchJobs] of [[others, jobs], [timed, 1]] as const) {
      if (batch.length === 0) continue;
      const { path, ok, output } = await runNotebooks(batch, { jobs: batchJobs, maxSeconds: 120 });
      assert.ok(ok, `notebooks failed on the ${path} path:\n${output}`);
    }
  },
});

function notebookJson(cells: string[]): string {
  return JSON.stringify({
    cells: [
      { cell_type: "markdown", id: "m0", metadata: {}, source: "# title\n`not code`" },
      ...cells.map((source, i) => ({
        cell_type: "code",
        execution_count: null,
        id: `c${i}`,
        metadata: {},
        outputs: [],
        source,
      })),
    ],
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

Deno.test("notebookToModule joins the code cells in order and leaves markdown out", () => {
  const module = notebookToModule(notebookJson(["const a = 1;", "a + 1"]));
  assert.ok(module.indexOf("const a = 1;") < module.indexOf("a + 1"));
  assert.ok(!module.includes("not code"));
  assert.throws(() => notebookToModule("{", "x.ipynb"), /x\.ipynb: not a JSON notebook/);
});

Deno.test("the notebook runner fails on a raising cell and on a missing expected output", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nmflab_nb_" });
  try {
    const good = `${dir}/good.ipynb`, raising = `${dir}/raising.ipynb`;
    const silent = `${dir}/silent.ipynb`;
    Deno.writeTextFileSync(good, notebookJson(["const a = 2;", "a * 21", "console.log(a);"]));
    Deno.writeTextFileSync(raising, notebookJson(["const a = 2;", 'throw new Error("boom");']));
    // `undefined` is an expression, so the cell should show something, but the kernel shows nothing.
    Deno.writeTextFileSync(silent, notebookJson(["const a = 2;", "undefined"]));
    const denoOnly = (await findJupyterPython()) === null;
    const r = await runNotebooks([good, raising, silent], { denoOnly, jobs: 3 });
    assert.equal(r.ok, false);
    if (denoOnly) {
      assert.match(r.output, /ok {3}\S*good\.ipynb/);
      assert.match(r.output, /FAIL \S*raising\.ipynb[^]*boom/);
    } else {
      assert.match(r.output, /ok {3}\S*good\.ipynb/);
      assert.match(r.output, /raising\.ipynb: cell 2 raised[^]*boom/);
      assert.match(r.output, /silent\.ipynb: cell 2 should show something but has no output/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
