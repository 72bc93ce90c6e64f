/**
 * Find a Python interpreter that can import scikit-learn (Debian's `python3-sklearn` lives under
 * /usr/bin/python3, which may differ from the first `python3` on PATH). For cross-checks and
 * benchmarks only: scikit-learn is never a runtime dependency.
 *
 * @module
 */

let cached: string | null | undefined;

/** The path of a Python with scikit-learn, or `null` (with no exception) where there is none. */
export function findSklearnPython(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const candidate of ["/usr/bin/python3", "python3", "python"]) {
    try {
      const out = new Deno.Command(candidate, {
        args: ["-c", "import sklearn, numpy; print(sklearn.__version__)"],
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      if (out.success) {
        cached = candidate;
        break;
      }
    } catch {
      // not installed: try the next one
    }
  }
  return cached;
}

/**
 * Run the Python script at `script` with `request` as JSON on its stdin and parse the JSON it
 * prints. With `env`, the script sees exactly that environment instead of this process's.
 */
export async function runPythonJson(
  python: string,
  script: URL,
  request: unknown,
  options: { env?: Record<string, string> } = {},
): Promise<unknown> {
  const child = new Deno.Command(python, {
    args: [script.pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.env === undefined ? {} : { env: options.env, clearEnv: true }),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(request)));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    const name = script.pathname.split("/").pop();
    throw new Error(`${name} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Run scripts/sklearn_reference.py with a JSON request and parse its JSON answer. */
export async function sklearnReference(
  python: string,
  request: unknown,
): Promise<Record<string, unknown>> {
  const script = new URL("./sklearn_reference.py", import.meta.url);
  return await runPythonJson(python, script, request) as Record<string, unknown>;
}
