/** Backend choice: "auto" falls back to portable with one notice, never a crash. */
import assert from "node:assert/strict";

Deno.test("without FFI permission, auto falls back to portable with one notice per process", async () => {
  const script = `
    import { Matrix, nmf } from "${new URL("../mod.ts", import.meta.url).href}";
    const V = Matrix.fromRows([[1, 2], [3, 4], [5, 6]]);
    const a = nmf(V, { rank: 1, maxIter: 3 }), b = nmf(V, { rank: 1, maxIter: 3 });
    console.log(a.backend, b.backend, a.warnings.length + b.warnings.length);
    try { nmf(V, { rank: 1, maxIter: 3, backend: "blas" }); console.log("blas ok"); }
    catch (e) { console.log("threw", e.message); }
  `;
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/auto.ts`;
    await Deno.writeTextFile(file, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-check",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        "--allow-read",
        "--allow-env",
        file,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim().split("\n");
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, stderr);
    assert.equal(stdout[0], "portable portable 0");
    assert.equal(stdout[1], "blas ok"); // explicit blas also falls back (with a warning), never throws
    const notices = stderr.split("\n").filter((l) => l.includes("blas backend unavailable"));
    assert.equal(notices.length, 2, stderr); // once for auto, once for the explicit request
    assert.match(
      notices[0]!,
      /FFI permission not granted \(run with --allow-ffi\)\); using portable/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
