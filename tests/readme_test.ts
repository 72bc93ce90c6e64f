/** The README's usage example is code, not prose: this test runs it. */
import assert from "node:assert/strict";

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
  const dir = await Deno.makeTempDir({
    dir: new URL("..", import.meta.url).pathname,
    prefix: ".readme-",
  });
  try {
    const file = `${dir}/example.ts`;
    await Deno.writeTextFile(file, code.replaceAll('"./mod.ts"', '"../mod.ts"'));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-check", file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, stderr);
    const stdout = new TextDecoder().decode(out.stdout).trim().split("\n");
    assert.match(stdout[0]!, /^\d+ (true|false) (tol|maxIter) \d\.\d\de-?\d+$/);
    assert.ok(Number.isFinite(Number(stdout.at(-1))));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
