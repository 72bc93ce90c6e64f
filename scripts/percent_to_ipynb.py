#!/usr/bin/env python3
"""Write a Deno-kernel notebook (.ipynb) from a plain-text "percent" source.

Cells are separated by marker lines, as in Jupytext's / VS Code's percent format:
  // %% [markdown]     starts a markdown cell (the lines that follow are plain markdown)
  // %%                starts a code cell (TypeScript for the Deno kernel)
  // %% {"nmflab": {"expect_output": false}}   a code cell with cell metadata (JSON)
Leading and trailing blank lines of each cell are dropped. The notebook gets kernelspec
"deno" (display name "Deno", language "typescript"), stable cell ids (cell-0, cell-1, …) and
no outputs; execute it with `scripts/run_notebooks.py --inplace` to fill them in.

Usage: python3 scripts/percent_to_ipynb.py SOURCE.ts OUT.ipynb
"""

import json
import sys


def convert(text):
    cells = []
    kind, meta, lines = None, {}, []

    def flush():
        if kind is None:
            return
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        source = "\n".join(lines)
        cell = {"cell_type": kind, "id": f"cell-{len(cells)}", "metadata": meta, "source": source}
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        cells.append(cell)

    for line in text.splitlines():
        if line.startswith("// %%"):
            flush()
            rest = line[len("// %%"):].strip()
            lines = []
            if rest.startswith("[markdown]"):
                kind, meta = "markdown", {}
            else:
                kind, meta = "code", (json.loads(rest) if rest else {})
            continue
        lines.append(line)
    flush()
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Deno", "language": "typescript", "name": "deno"},
            "language_info": {"name": "typescript"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        nb = convert(f.read())
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
