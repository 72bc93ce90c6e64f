import assert from "node:assert/strict";

Deno.test("bench --quick runs end to end and writes its Markdown and CSV tables", async () => {
  const out = Deno.makeTempDirSync({ prefix: "nmflab-bench-test-" });
  try {
    const script = new URL("../bench/bench.ts", import.meta.url).pathname;
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        "--allow-ffi",
        "--allow-sys",
        script,
        "--quick",
        `--out=${out}`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assert.ok(result.success, stderr);
    const md = Deno.readTextFileSync(`${out}/bench-quick.md`);
    const csv = Deno.readTextFileSync(`${out}/bench-quick.csv`).trim().split("\n");
    assert.match(md, /\| synthetic-120x80 \| nmflab \| portable \| mu \| 20 \|/);
    assert.match(md, /square 200 dgemm/);
    assert.match(csv[0] ?? "", /^kind,dataset,implementation,backend/);
    // nmflab's own rows (scikit-learn's, when present, are differences of noisy timings).
    const solverRows = csv.filter((line) => line.startsWith("solver,synthetic-120x80,nmflab,"));
    assert.ok(solverRows.length >= 2, `only ${solverRows.length} nmflab solver rows`);
    for (const row of solverRows) {
      const ms = Number(row.split(",")[6]);
      assert.ok(ms > 0 && Number.isFinite(ms), `ms/iteration must be positive: ${row}`);
    }
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
