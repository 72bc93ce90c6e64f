/**
 * The DOM that every plot is drawn into. Observable Plot builds real DOM nodes; outside a browser
 * (in `deno run` scripts and in the Deno Jupyter kernel) there is no `document`, so nmflab hands
 * Plot a `linkedom` document instead. The resulting elements serialize with `outerHTML`, which is
 * all the display and file-output code needs.
 *
 * @module
 */

import { parseHTML } from "linkedom";

let shared: Document | undefined;

/**
 * The shared `linkedom` document that nmflab's plot helpers pass to `Plot.plot({ document })`.
 * Use it when you build your own Observable Plot figure and want it to display and save like the
 * built-in helpers.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotDocument } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const svg = Plot.plot({ document: plotDocument(), marks: [Plot.lineY([1, 3, 2])] });
 * assert.ok(svg.outerHTML.startsWith("<svg"));
 * ```
 */
export function plotDocument(): Document {
  if (shared === undefined) {
    const window = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");
    shared = window.document as unknown as Document;
  }
  return shared;
}
