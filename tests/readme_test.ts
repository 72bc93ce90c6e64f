/** The README's usage example is code, not prose: this test runs it. */
import assert from "node:assert/strict";
import { runDenoScript } from "./fixtures.ts";

const readme = Deno.readTextFileSync(new URL("../README.md", import.meta.url));

function usageExample(): string {
  const marker = readme.indexOf("<!-- usage-example");
  assert.ok(marker >= 0, "README has the usage-example marker");
  const start = readme.indexOf("```ts\n", marker);
  const end = readme.indexOf("```", start + 6);
  return readme.slice(start + 6, end);
}

Deno.test("README's usage example is at most ~10 lines and runs as written", async () => {
  const code = usageExample();
  const lines = code.trim().split("\n").filter((l) => l.trim() !== "");
  assert.ok(lines.length <= 10, `usage example has ${lines.length} lines`);
  const run = await runDenoScript(code.replaceAll('"./mod.ts"', '"MOD"'), [
    "--allow-read",
    "--allow-env",
  ]);
  assert.ok(run.success, run.stderr);
  const stdout = run.stdout.trim().split("\n");
  assert.match(stdout[0]!, /^\d+ (true|false) (tol|maxIter) \d\.\d\de-?\d+$/);
  assert.ok(Number.isFinite(Number(stdout.at(-1))));
});
