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

Deno.test("two scikit-learn answers merge into the faster, run by run and product by product", async () => {
  const { fasterSklearn } = await import("../bench/bench.ts");
  const run = (iterations: number, seconds: number) => ({
    iterations,
    seconds,
    loss: 10 / iterations,
    relativeError: 0.1,
  });
  const answer = (mu: number[], perIteration: number, WtV: number) => ({
    python: "3",
    sklearn: "1",
    numpy: "1",
    solvers: {
      mu: {
        runs: [run(1, mu[0] as number), run(10, mu[1] as number)],
        secondsPerIteration: perIteration,
      },
    },
    gemm: { WtV, VHt: 2, square1000: 3 },
  });
  const merged = fasterSklearn(answer([0.5, 2.0], 0.2, 1.5), answer([0.7, 1.5], 0.1, 1.0));
  assert.deepEqual(merged.solvers.mu?.runs.map((r) => r.seconds), [0.5, 1.5]);
  assert.deepEqual(merged.solvers.mu?.runs.map((r) => r.loss), [10, 1]);
  assert.equal(merged.solvers.mu?.secondsPerIteration, 0.1);
  assert.deepEqual(merged.gemm, { WtV: 1.0, VHt: 2, square1000: 3 });
});
