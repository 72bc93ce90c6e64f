/**
 * Execute nmflab's notebooks from Deno, choosing the path by what is installed:
 *
 * - **Jupyter path**: when a Python with `nbclient`, `nbformat` and `jupyter_client` is found
 *   (`$NMFLAB_PYTHON`, `/usr/bin/python3`, then `python3`), it runs `scripts/run_notebooks.py`,
 *   which drives the real Deno kernel (this deno binary, `Deno.execPath()`) without losing late
 *   outputs and checks every cell that should show something has an output.
 * - **Deno fallback**: otherwise the code cells of each notebook are joined, in order, into one
 *   module written beside the notebook (so `../mod.ts` resolves), run with `deno run`, and
 *   deleted. Assertions still run; outputs are neither shown nor checked.
 *
 * It always prints which path it took.
 *
 * ```sh
 * deno run --allow-all scripts/run_notebooks_deno.ts [--inplace | --check] [--deno-only]
 *   [--jobs N] [--max-seconds S] [notebooks/01-….ipynb …]
 * ```
 * `--inplace` (Jupyter path only) writes the outputs back into the notebooks for committing;
 * the default `--check` leaves the files alone. Exit status 0 when every notebook passed.
 *
 * @module
 */

/** The Python that can run the Jupyter path, or `null`. */
export async function findJupyterPython(): Promise<string | null> {
  const candidates = [Deno.env.get("NMFLAB_PYTHON"), "/usr/bin/python3", "python3"];
  for (const python of candidates) {
    if (python === undefined || python === "") continue;
    try {
      const { success } = await new Deno.Command(python, {
        args: ["-c", "import nbclient, nbformat, jupyter_client"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (success) return python;
    } catch {
      // not installed: try the next one
    }
  }
  return null;
}

/** The notebooks under `dir`, sorted by name. */
export function listNotebooks(dir: string): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(`${dir}/${entry.name}`);
  }
  return names.sort();
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[] }[];
}

/** The code cells of a notebook joined in order into one module, each headed by its index. */
export function notebookToModule(text: string, name = "notebook"): string {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(text) as NotebookJson;
  } catch (error) {
    throw new TypeError(`${name}: not a JSON notebook (${(error as Error).message})`);
  }
  if (!Array.isArray(nb.cells)) throw new TypeError(`${name}: notebook has no "cells" array`);
  const parts: string[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    parts.push(`// ---- cell ${index} ----\n${source}\n`);
  });
  return parts.join("\n");
}

/** Outcome of one notebook on the Deno fallback path. */
export interface FallbackResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  output: string;
}

/** Run one notebook's code cells as one module under `deno run`; fail on error or timeout. */
export async function runNotebookWithDeno(
  notebook: string,
  options: { maxSeconds?: number; config?: string } = {},
): Promise<FallbackResult> {
  const maxSeconds = options.maxSeconds ?? 120;
  const slash = notebook.lastIndexOf("/");
  const dir = slash < 0 ? "." : notebook.slice(0, slash);
  const base = notebook.slice(slash + 1).replace(/\.ipynb$/, "");
  const module = `${dir}/.${base}.fallback-${crypto.randomUUID().slice(0, 8)}.ts`;
  Deno.writeTextFileSync(module, notebookToModule(Deno.readTextFileSync(notebook), notebook));
  const started = performance.now();
  try {
    const args = ["run", "--allow-all", "--quiet"];
    if (options.config !== undefined) args.push("--config", options.config);
    args.push(module);
    const child = new Deno.Command(Deno.execPath(), {
      args,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), maxSeconds * 1000);
    const { code, stdout, stderr } = await child.output();
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    const timedOut = seconds >= maxSeconds;
    return {
      notebook,
      ok: code === 0 && !timedOut,
      seconds,
      output: timedOut ? `timed out after ${maxSeconds} s\n${text}` : text,
    };
  } finally {
    Deno.removeSync(module);
  }
}

/** Command-line options of this script. */
export interface RunOptions {
  /** Jupyter path: write outputs back into the notebooks. @default false */
  inplace?: boolean;
  /** Skip Jupyter even where it is installed. @default false */
  denoOnly?: boolean;
  /** Notebooks executed at the same time (Jupyter path). @default 1 */
  jobs?: number;
  /** Fail a notebook that takes longer than this many seconds. @default 120 */
  maxSeconds?: number;
}

/** Run the notebooks by the best available path; print which; return whether all passed. */
export async function runNotebooks(notebooks: string[], options: RunOptions = {}): Promise<{
  path: "jupyter" | "deno";
  ok: boolean;
  output: string;
}> {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const maxSeconds = options.maxSeconds ?? 120;
  const python = options.denoOnly ? null : await findJupyterPython();
  if (python !== null) {
    console.log(
      `notebooks: Jupyter path (${python} + nbclient, Deno kernel ${Deno.execPath()})`,
    );
    const args = [
      `${root}/scripts/run_notebooks.py`,
      options.inplace ? "--inplace" : "--check",
      "--deno",
      Deno.execPath(),
      "--jobs",
      String(options.jobs ?? 1),
      "--max-seconds",
      String(maxSeconds),
      "--timeout",
      String(Math.ceil(maxSeconds)),
      ...notebooks,
    ];
    const { code, stdout, stderr } = await new Deno.Command(python, {
      args,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const output = (new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr))
      .split("\n").filter((line) => !line.includes('"deno jupyter" is unstable')).join("\n");
    console.log(output.trimEnd());
    return { path: "jupyter", ok: code === 0, output };
  }
  if (options.inplace) {
    throw new Error(
      "notebooks: --inplace needs Jupyter (a python3 with nbclient: apt-get install " +
        "python3-nbclient jupyter-client), which was not found",
    );
  }
  const why = options.denoOnly ? "--deno-only given" : "no python3 with nbclient found";
  console.log(
    `notebooks: Deno fallback path (${why}): code cells run in order as one module under ` +
      "deno run; outputs are not checked",
  );
  let ok = true;
  const lines: string[] = [];
  for (const notebook of notebooks) {
    const r = await runNotebookWithDeno(notebook, { maxSeconds, config: `${root}/deno.json` });
    const line = `${r.ok ? "ok  " : "FAIL"} ${notebook} (${r.seconds.toFixed(1)} s)`;
    lines.push(line, ...(r.ok ? [] : [r.output]));
    console.log(line);
    if (!r.ok) {
      console.log(r.output);
      ok = false;
    }
  }
  return { path: "deno", ok, output: lines.join("\n") };
}

if (import.meta.main) {
  const args = [...Deno.args];
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i >= 0) args.splice(i, 1);
    return i >= 0;
  };
  const value = (name: string): number | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = Number(args[i + 1]);
    if (!Number.isFinite(v) || v <= 0) {
      console.error(`${name} needs a positive number, got ${args[i + 1]}`);
      Deno.exit(2);
    }
    args.splice(i, 2);
    return v;
  };
  const inplace = flag("--inplace");
  flag("--check");
  const denoOnly = flag("--deno-only");
  const jobs = value("--jobs");
  const maxSeconds = value("--max-seconds");
  const unknown = args.find((a) => a.startsWith("--"));
  if (unknown !== undefined) {
    console.error(
      `unknown option ${unknown}; use --inplace, --check, --deno-only, --jobs N, --max-seconds S`,
    );
    Deno.exit(2);
  }
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  // `deno task` runs in the folder of deno.json: resolve relative paths where the user was
  const base = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const notebooks = args.length > 0
    ? args.map((a) => (a.startsWith("/") ? a : `${base}/${a}`))
    : listNotebooks(`${root}/notebooks`);
  const options: RunOptions = { inplace, denoOnly };
  if (jobs !== undefined) options.jobs = jobs;
  if (maxSeconds !== undefined) options.maxSeconds = maxSeconds;
  const { ok } = await runNotebooks(notebooks, options);
  Deno.exit(ok ? 0 : 1);
}
