#!/usr/bin/env python3
"""Execute nmflab's notebooks headless with the Deno kernel, without losing outputs.

Why not plain `jupyter nbconvert --execute`: Deno 2.9.6's kernel sometimes publishes
`status: idle` on iopub a fraction of a millisecond *before* the cell's `execute_result`.
nbclient treats idle as "this cell is finished", stops reading iopub, and the result is
silently dropped (measured: 5 of 20 runs of a three-cell notebook lost at least one output).

This runner drives nbclient (Debian `python3-nbclient`) through a small subclass that keeps
reading iopub for a grace period after idle and appends late outputs to the cell they belong
to. After execution it checks every code cell that should show something has an output.

A code cell "should show something" when
  * its metadata says so: `"nmflab": {"expect_output": true}` (or `false` to opt out), else
  * its last code line (comments and blank lines ignored) is an expression: it does not end
    with `;`, `{` or `}` and does not start with a declaration keyword (const, let, var,
    import, export, function, async function, class, type, interface), or
  * one of its lines starts with a display call: `console.log(`, `console.table(`,
    `Deno.jupyter.display(` or `await Deno.jupyter.display(`.
So end a cell with `;` when it should show nothing, and leave the `;` off the value to show.

The kernel is started from a private kernelspec (a temporary directory) that points at the
deno binary given by `--deno` (default: `deno` on PATH), so a fresh clone needs no
`deno jupyter --install`, and the run never depends on a stale global kernelspec.
`--install-kernel` additionally runs `<deno> jupyter --install --force` for interactive use.

Usage:
  /usr/bin/python3 scripts/run_notebooks.py [--inplace | --check] [--timeout S] [--grace S]
                                            [--deno PATH] [--install-kernel] [NOTEBOOK ...]
Exit status 0 when every notebook ran without error and no expected output is missing;
1 otherwise (each failure is named by notebook and cell index on stderr).
"""

import argparse
import asyncio
import glob
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError

warnings.filterwarnings("ignore", message=".*missing an id field.*")

KERNEL_NAME = "deno"
DECLARATION = re.compile(
    r"^(const|let|var|import|export|function|async\s+function|class|type|interface|enum)\b"
)
DISPLAY_CALL = re.compile(
    r"^(await\s+)?(console\.(log|table|info)|Deno\.jupyter\.display)\s*\("
)


class GraceNotebookClient(NotebookClient):
    """nbclient that keeps listening on iopub for `grace` seconds after the kernel says idle.

    Late messages with the cell's parent id are processed as usual (appended to that cell).
    An `execute_result` is the last thing a Deno cell publishes, so once one has arrived
    (before or after idle) the grace period ends at once; only cells without a result pay it.
    """

    def __init__(self, nb, km=None, grace=0.25, **kw):
        super().__init__(nb, km=km, **kw)
        self.grace = grace
        self.late_outputs = []  # (cell_index, msg_type) of outputs that arrived after idle

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        got_result = False
        while True:
            msg = await self.kc.iopub_channel.get_msg(timeout=None)
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                got_result = True
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
        if got_result:
            return
        deadline = time.monotonic() + self.grace
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=left)
            except (queue.Empty, asyncio.TimeoutError):
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status":
                continue
            self.late_outputs.append((cell_index, kind))
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass
            if kind == "execute_result":
                return


def code_lines(source):
    """The cell's lines with line comments, block-comment lines and blank lines removed."""
    lines = []
    in_block = False
    for raw in source.splitlines():
        line = raw.strip()
        if in_block:
            if "*/" in line:
                in_block = False
                line = line.split("*/", 1)[1].strip()
            else:
                continue
        if line.startswith("/*"):
            if "*/" not in line:
                in_block = True
                continue
            line = line.split("*/", 1)[1].strip()
        if line.startswith("//") or not line:
            continue
        lines.append(re.sub(r"\s+//.*$", "", line))
    return lines


def expects_output(cell):
    """Whether a code cell should show something (see the module docstring for the rule)."""
    meta = cell.get("metadata", {}).get("nmflab", {})
    if "expect_output" in meta:
        return bool(meta["expect_output"])
    lines = code_lines(cell.source)
    if not lines:
        return False
    if any(DISPLAY_CALL.match(line) for line in lines):
        return True
    last = lines[-1]
    if last.endswith(";") or last.endswith("{") or last.endswith("}"):
        return False
    # The start of the last statement: walk back over continuation lines of a multi-line
    # expression (a line that opens more brackets than it closes starts it).
    depth = 0
    start = len(lines) - 1
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        depth += line.count(")") + line.count("]") + line.count("}")
        depth -= line.count("(") + line.count("[") + line.count("{")
        start = i
        if depth <= 0:
            break
    return not DECLARATION.match(lines[start])


def make_kernelspec(deno):
    """A temporary kernelspec directory whose `deno` kernel runs the given deno binary."""
    root = tempfile.mkdtemp(prefix="nmflab-kernels-")
    os.makedirs(os.path.join(root, KERNEL_NAME))
    spec = {
        "argv": [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
        "display_name": "Deno",
        "language": "typescript",
        "env": {"NO_COLOR": "1"},
    }
    with open(os.path.join(root, KERNEL_NAME, "kernel.json"), "w") as f:
        json.dump(spec, f)
    return root


async def shutdown(km):
    """Stop the kernel we started (nbclient leaves a kernel manager it did not create alone)."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    try:
        if await km.is_alive():
            await km.shutdown_kernel(now=False)
    except Exception:
        pass
    if process is not None and process.poll() is None:
        process.kill()


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


async def run_one(path, args, spec_dir):
    """Execute one notebook; return (notebook, problems, seconds, late outputs)."""
    nb = nbformat.read(path, as_version=4)
    ksm = KernelSpecManager(kernel_dirs=[spec_dir])
    km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=ksm)
    client = GraceNotebookClient(
        nb,
        km=km,
        grace=args.grace,
        timeout=args.timeout,
        kernel_name=KERNEL_NAME,
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    problems = []
    started = time.monotonic()
    try:
        await client.async_execute()
    except CellExecutionError as e:
        index = next(
            (i for i, c in enumerate(nb.cells) if c.get("outputs") and any(
                o.get("output_type") == "error" for o in c.outputs)),
            "?",
        )
        problems.append(f"cell {index} raised: {strip_ansi(str(e)).strip()[-1500:]}")
    except CellTimeoutError as e:
        problems.append(f"a cell timed out after {args.timeout} s: {strip_ansi(str(e))[:500]}")
    except Exception as e:  # kernel died, kernel could not start, ...
        problems.append(f"execution failed: {type(e).__name__}: {strip_ansi(str(e))[:500]}")
    finally:
        await shutdown(km)
    seconds = time.monotonic() - started
    if not problems:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                problems.append(f"cell {index} has an error output")
            elif expects_output(cell) and not cell.get("outputs"):
                first = code_lines(cell.source)[-1][:60]
                problems.append(f"cell {index} should show something but has no output ({first})")
    return nb, problems, seconds, client.late_outputs


async def run_all(paths, args, spec_dir):
    """Run the notebooks, at most `args.jobs` at a time, each in its own kernel."""
    gate = asyncio.Semaphore(max(1, args.jobs))

    async def guarded(path):
        async with gate:
            return await run_one(path, args, spec_dir)

    return await asyncio.gather(*(guarded(p) for p in paths))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--inplace", action="store_true",
                      help="write the outputs back into each .ipynb (for committing)")
    mode.add_argument("--check", action="store_true",
                      help="execute a copy in memory and leave the files alone (the default)")
    parser.add_argument("--timeout", type=int, default=120,
                        help="seconds allowed per cell (default 120)")
    parser.add_argument("--grace", type=float, default=0.25,
                        help="seconds to keep listening after idle (default 0.25)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="notebooks executed at the same time, each in its own kernel (default 1)")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="fail a notebook whose execution takes longer than this")
    parser.add_argument("--deno", default=None,
                        help="deno binary the kernel runs (default: deno on PATH)")
    parser.add_argument("--install-kernel", action="store_true",
                        help="also run `<deno> jupyter --install --force` for interactive use")
    parser.add_argument("notebooks", nargs="*", help="default: notebooks/*.ipynb")
    args = parser.parse_args(argv)

    deno = args.deno or shutil.which("deno")
    if deno is None or not os.path.exists(deno):
        print(f"run_notebooks: no deno binary found (--deno {args.deno!r}); install Deno or pass "
              "--deno PATH", file=sys.stderr)
        return 1
    deno = os.path.abspath(deno)
    if args.install_kernel:
        subprocess.run([deno, "jupyter", "--install", "--force"], check=True)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = args.notebooks or sorted(glob.glob(os.path.join(root, "notebooks", "*.ipynb")))
    if not paths:
        print("run_notebooks: no notebooks to run", file=sys.stderr)
        return 1
    spec_dir = make_kernelspec(deno)
    try:
        results = asyncio.run(run_all(paths, args, spec_dir))
    finally:
        shutil.rmtree(spec_dir, ignore_errors=True)
    failed = 0
    for path, (nb, problems, seconds, late) in zip(paths, results):
        rel = os.path.relpath(path)
        note = f", {len(late)} late output(s) kept" if late else ""
        if args.max_seconds is not None and seconds > args.max_seconds:
            problems.append(f"took {seconds:.1f} s, more than --max-seconds {args.max_seconds:g}")
        if problems:
            failed += 1
            print(f"FAIL {rel} ({seconds:.1f} s{note})", file=sys.stderr)
            for p in problems:
                print(f"  {rel}: {p}", file=sys.stderr)
            continue
        if args.inplace:
            nbformat.write(nb, path)
        print(f"ok   {rel} ({seconds:.1f} s{note}){' written' if args.inplace else ''}")
    print(f"jupyter path (nbclient + Deno kernel {deno}): "
          f"{len(paths) - failed} of {len(paths)} notebooks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
