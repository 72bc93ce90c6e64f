/** Backend choice: "auto" falls back to portable with one notice, never a crash. */
import assert from "node:assert/strict";
import { runDenoScript } from "./fixtures.ts";

Deno.test("without FFI permission, auto falls back to portable with one notice per process", async () => {
  const run = await runDenoScript(
    `
    import { Matrix, nmf } from "MOD";
    const V = Matrix.fromRows([[1, 2], [3, 4], [5, 6]]);
    const a = nmf(V, { rank: 1, maxIter: 3 }), b = nmf(V, { rank: 1, maxIter: 3 });
    console.log(a.backend, b.backend, a.warnings.length + b.warnings.length);
    try { nmf(V, { rank: 1, maxIter: 3, backend: "blas" }); console.log("blas ok"); }
    catch (e) { console.log("threw", e.message); }
  `,
    ["--allow-read", "--allow-env"],
  );
  assert.ok(run.success, run.stderr);
  const stdout = run.stdout.trim().split("\n");
  assert.equal(stdout[0], "portable portable 0");
  assert.equal(stdout[1], "blas ok"); // explicit blas also falls back (with a warning), never throws
  const notices = run.stderr.split("\n").filter((l) => l.includes("blas backend unavailable"));
  assert.equal(notices.length, 2, run.stderr); // once for auto, once for the explicit request
  assert.match(
    notices[0]!,
    /FFI permission not granted \(run with --allow-ffi\)\); using portable/,
  );
});
