/**
 * Tests of the plot helpers: each draws a seeded input and is checked twice, for its structure
 * (how many lines, rects, dots; which labels) and against a golden SVG snapshot in tests/golden.
 * After an intended change of a picture, look at it, then refresh the snapshots with
 *   UPDATE_GOLDEN=1 deno test --allow-all tests/plots_test.ts
 */
import assert from "node:assert/strict";
import {
  basisImages,
  convergencePlot,
  createRng,
  fitLogLogSlope,
  geometryPlot,
  hclust,
  heatmap,
  logTickFormat,
  lossDistribution,
  Matrix,
  nmf,
  plotMimeBundle,
  renderPng,
  savePlot,
  scalingPlot,
  sideBySide,
  stackedWeights,
  svd,
  svgString,
  topicsPlot,
  type TraceEntry,
} from "../mod.ts";
import { findJupyterPython, runNotebooks } from "../scripts/run_notebooks_deno.ts";

const GOLDEN = new URL("./golden/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

/** Compare `svg` with tests/golden/<name>.svg (or rewrite it when UPDATE_GOLDEN=1). */
async function assertGolden(name: string, svg: string): Promise<void> {
  const url = new URL(`${name}.svg`, GOLDEN);
  if (UPDATE) {
    await Deno.writeTextFile(url, svg + "\n");
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(url);
  } catch {
    throw new Error(`golden ${name}.svg is missing; run with UPDATE_GOLDEN=1 to create it`);
  }
  if (expected !== svg + "\n") {
    const a = expected.trimEnd(), b = svg;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(
      `${name}.svg differs from the golden snapshot at character ${i}:\n` +
        `  golden: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))}\n` +
        `  now:    ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}\n` +
        "If the change is intended, look at the picture and rerun with UPDATE_GOLDEN=1.",
    );
  }
}

function count(fig: Element, selector: string): number {
  return fig.querySelectorAll(selector).length;
}

function texts(fig: Element, selector: string): string[] {
  return Array.from(fig.querySelectorAll(selector), (t) => t.textContent ?? "");
}

/** A made-up trace: loss falling geometrically with seeded noise, stopping after `n` entries. */
function syntheticTrace(seed: number, n: number, rate: number): TraceEntry[] {
  const rng = createRng(seed);
  const out: TraceEntry[] = [];
  let loss = 100;
  for (let i = 0; i < n; i++) {
    out.push({
      iteration: i,
      loss: 1 + loss,
      relativeError: 0.1 + loss / 200,
      kkt: loss / 100,
      seconds: i * 0.01,
      negatives: 0,
    });
    loss *= rate * (0.95 + 0.1 * rng.uniform());
  }
  return out;
}

function seededMatrix(seed: number, rows: number, cols: number, power = 1): Matrix {
  const rng = createRng(seed);
  return Matrix.from(Array.from({ length: rows * cols }, () => rng.uniform() ** power), rows, cols);
}

Deno.test("convergencePlot draws one line and one stop dot per run, with labels and axis names", async () => {
  const runs = [
    { trace: syntheticTrace(1, 40, 0.8), label: "mu", stopReason: "tol" },
    { trace: syntheticTrace(2, 25, 0.6), label: "hals", stopReason: "maxIter" },
    syntheticTrace(3, 30, 0.7),
  ];
  const fig = convergencePlot(runs, { title: "three runs" });
  assert.equal(count(fig, 'g[aria-label="line"] path'), 3);
  assert.equal(count(fig, 'g[aria-label="dot"] circle'), 3);
  assert.deepEqual(texts(fig, 'g[aria-label="legend"] text'), ["mu", "hals", "run 3"]);
  assert.deepEqual(texts(fig, 'g[aria-label="text"] text'), ["tol", "maxIter"]);
  assert.match(texts(fig, 'g[aria-label="y-axis label"] text')[0] ?? "", /loss/);
  assert.match(texts(fig, 'g[aria-label="x-axis label"] text')[0] ?? "", /iteration/);
  assert.equal(texts(fig, 'text[aria-label="title"]')[0], "three runs");
  await assertGolden("convergence", svgString(fig));
});

Deno.test("convergencePlot accepts nmf results and plots kkt against seconds", () => {
  const V = seededMatrix(4, 12, 9);
  const r1 = nmf(V, { rank: 3, seed: 1, maxIter: 30 });
  const r2 = nmf(V, { rank: 3, seed: 2, maxIter: 30, init: "random" });
  const fig = convergencePlot([r1, r2], { y: "kkt", x: "seconds" });
  assert.equal(count(fig, 'g[aria-label="line"] path'), 2);
  // Two runs of the same solver get distinct labels.
  assert.deepEqual(texts(fig, 'g[aria-label="legend"] text'), ["mu #1", "mu #2"]);
  assert.match(texts(fig, 'g[aria-label="y-axis label"] text')[0] ?? "", /KKT/);
  assert.match(texts(fig, 'g[aria-label="x-axis label"] text')[0] ?? "", /seconds/);
});

Deno.test("convergencePlot rejects empty input and mismatched labels", () => {
  assert.throws(() => convergencePlot([]), RangeError);
  assert.throws(
    () => convergencePlot([syntheticTrace(1, 5, 0.5)], { labels: ["a", "b"] }),
    /labels/,
  );
  assert.throws(() => convergencePlot("trace" as never), TypeError);
});

Deno.test("a figure displays in Jupyter as image/svg+xml with its xmlns", () => {
  const fig = convergencePlot([syntheticTrace(1, 10, 0.8)], { title: "display" });
  const hook = (fig as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ];
  assert.equal(typeof hook, "function");
  const bundle = hook!();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  assert.match(bundle["image/svg+xml"] ?? "", /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(bundle["text/plain"], "[nmflab plot: display]");
  assert.deepEqual(plotMimeBundle(fig), bundle);
  assert.throws(() => svgString("<div></div>"), /must be an <svg>/);
});

Deno.test("basisImages draws one rect per pixel and one label per image", async () => {
  const W = seededMatrix(5, 12, 5, 3); // five 3×4 images in the columns
  const fig = basisImages(W, { imageShape: [3, 4], columns: 3, title: "five parts" });
  assert.equal(count(fig, 'g[aria-label="rect"] rect'), 5 * 12);
  assert.deepEqual(texts(fig, 'g[aria-label="text"] text'), ["1", "2", "3", "4", "5"]);
  // Non-negative data: sequential ramp from 0 to 1 (each image scaled to its maximum).
  const ramp = texts(fig, 'g[aria-label="color ramp"] text');
  assert.equal(ramp[1], "0");
  assert.equal(ramp[ramp.length - 1], "1");
  await assertGolden("basis", svgString(fig));
});

Deno.test("basisImages shows PCA components on a diverging scale centred at 0", () => {
  const V = seededMatrix(6, 16, 30);
  const { U } = svd(V, { rank: 4 });
  const fig = basisImages(U, { imageShape: [4, 4], labels: ["pc1", "pc2", "pc3", "pc4"] });
  assert.equal(count(fig, 'g[aria-label="rect"] rect'), 4 * 16);
  const ramp = texts(fig, 'g[aria-label="color ramp"] text');
  assert.equal(ramp[1], "-1");
  assert.equal(ramp[ramp.length - 1], "1");
  assert.ok(ramp.includes("0"));
  // Rows of H work too: 4 rows of length 16.
  const H = basisImages(new Matrix(U.data.slice(), 4, 16), { imageShape: [4, 4], of: "rows" });
  assert.equal(count(H, 'g[aria-label="rect"] rect'), 64);
  assert.throws(() => basisImages(U, { imageShape: [3, 4] }), /imageShape 3×4 = 12/);
});

Deno.test("basisImages in image mode embeds one PNG per image with the same colours as the rects", async () => {
  const W = seededMatrix(13, 12, 3, 2); // three 3×4 images
  const rects = basisImages(W, { imageShape: [3, 4], render: "rects" });
  const images = basisImages(W, { imageShape: [3, 4], render: "images" });
  const srcs = Array.from(
    images.querySelectorAll('g[aria-label="image"] image'),
    (el) => el.getAttribute("href") ?? "",
  );
  assert.equal(srcs.length, 3);
  assert.equal(count(images, 'g[aria-label="rect"] rect'), 0);
  const fills = Array.from(
    rects.querySelectorAll('g[aria-label="rect"] rect'),
    (el) => el.getAttribute("fill") ?? "",
  );
  for (const [img, src] of srcs.entries()) {
    assert.match(src, /^data:image\/png;base64,/);
    const png = Uint8Array.from(atob(src.slice(22)), (c) => c.charCodeAt(0));
    const view = new DataView(png.buffer);
    assert.equal(view.getUint32(16), 4); // width
    assert.equal(view.getUint32(20), 3); // height
    // The IDAT stream inflates to 3 scanlines of 1 filter byte + 4 RGB pixels.
    const idatLength = view.getUint32(33);
    const raw = new Uint8Array(
      await new Response(
        new Blob([png.slice(41, 41 + idatLength)]).stream().pipeThrough(
          new DecompressionStream("deflate"),
        ),
      ).arrayBuffer(),
    );
    assert.equal(raw.length, 3 * (1 + 4 * 3));
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 4; c++) {
        const at = r * 13 + 1 + c * 3;
        const rgb = `rgb(${raw[at]}, ${raw[at + 1]}, ${raw[at + 2]})`;
        const fill = fills[img * 12 + r * 4 + c] ?? "";
        const [fr, fg, fb] = fill.match(/\d+/g)!.map(Number);
        assert.equal(rgb, `rgb(${fr}, ${fg}, ${fb})`, `image ${img} pixel (${r}, ${c})`);
      }
    }
  }
  // Large grids default to images: 16 faces of 25×25 would be 10000 rects.
  const big = basisImages(seededMatrix(14, 625, 16), { imageShape: [25, 25] });
  assert.equal(count(big, 'g[aria-label="image"] image'), 16);
});

Deno.test("heatmap draws every cell, in the given row and column order", async () => {
  const rng = createRng(7);
  const n = 8;
  const C = new Matrix(new Float64Array(n * n), n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      C.data[i * n + j] = i === j ? 1 : (i % 2 === j % 2 ? 0.7 : 0.1) + 0.1 * rng.uniform();
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) C.data[i * n + j] = C.data[j * n + i]!;
  const D = new Matrix(C.data.map((c) => 1 - c), n, n);
  for (let i = 0; i < n; i++) D.data[i * n + i] = 0;
  const order = hclust(D).order;
  const labels = Array.from({ length: n }, (_, i) => `s${i}`);
  const fig = heatmap(C, {
    rowLabels: labels,
    colLabels: labels,
    rowOrder: order,
    colOrder: order,
    title: "consensus",
  });
  assert.equal(count(fig, 'g[aria-label="cell"] rect'), n * n);
  assert.deepEqual(texts(fig, 'g[aria-label="y-axis tick label"] text'), order.map((i) => `s${i}`));
  assert.deepEqual(texts(fig, 'g[aria-label="x-axis tick label"] text'), order.map((i) => `s${i}`));
  await assertGolden("heatmap", svgString(fig));
  assert.throws(() => heatmap(C, { rowOrder: [0, 0, 1, 2, 3, 4, 5, 6] }), /permutation/);
});

Deno.test("heatmap of a large matrix is one embedded PNG in display order, same colours as rects", () => {
  const M = seededMatrix(15, 6, 5);
  const order = [5, 3, 1, 0, 2, 4];
  const rects = heatmap(M, { rowOrder: order, render: "rects" });
  const image = heatmap(M, { rowOrder: order, render: "image" });
  const images = image.querySelectorAll('g[aria-label="image"] image');
  assert.equal(images.length, 1);
  assert.equal(count(image, 'g[aria-label="cell"] rect'), 0);
  const png = Uint8Array.from(
    atob((images[0]?.getAttribute("href") ?? "").replace(/^data:image\/png;base64,/, "")),
    (c) => c.charCodeAt(0),
  );
  const view = new DataView(png.buffer);
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [5, 6]);
  // Stored (uncompressed) deflate: the first scanline starts 2 + 5 bytes into the IDAT data.
  const first = png.subarray(41 + 7 + 1, 41 + 7 + 1 + 3);
  // The top-left cell shown is M[5, 0]; the rects follow the data order, so it is rect 5·5 + 0.
  const fills = Array.from(
    rects.querySelectorAll('g[aria-label="cell"] rect'),
    (r) => r.getAttribute("fill") ?? "",
  );
  const expected = (fills[5 * 5] ?? "").match(/\d+/g)!.map(Number);
  assert.deepEqual([...first], expected);
  // Defaults: big matrices become images, small ones rects.
  assert.equal(count(heatmap(seededMatrix(16, 120, 100)), 'g[aria-label="image"] image'), 1);
});

Deno.test("lossDistribution draws a box per method, a tick per run and the best-loss rule", async () => {
  const rng = createRng(8);
  const records = [];
  for (const method of ["random", "nndsvd", "nndsvda"]) {
    for (let s = 0; s < 10; s++) {
      records.push({ method, loss: 10 + (method === "random" ? 2 : 0.5) * rng.uniform() });
    }
  }
  const fig = lossDistribution(records, { title: "restarts" });
  assert.equal(count(fig, 'g[aria-description="runs"] line'), 30);
  assert.equal(count(fig, 'g[aria-label="bar"] rect'), 3);
  assert.deepEqual(texts(fig, 'g[aria-label="x-axis tick label"] text'), [
    "random",
    "nndsvd",
    "nndsvda",
  ]);
  assert.equal(texts(fig, 'g[aria-label="y-axis label"] text')[0], "↑ final loss");
  await assertGolden("loss_distribution", svgString(fig));
  const rel = lossDistribution(records, { relative: true });
  assert.equal(texts(rel, 'g[aria-label="y-axis label"] text')[0], "↑ final loss / best loss");
});

Deno.test("geometryPlot draws the cone in the plane, the hull on the simplex and the basis triangle", async () => {
  const rng = createRng(9);
  // Plane: 20 points, 2 rays.
  const V2 = Matrix.from(Array.from({ length: 40 }, () => rng.uniform()), 2, 20);
  const W2 = Matrix.fromRows([[1, 0.2], [0.3, 1]]);
  const plane = geometryPlot(V2, W2);
  assert.equal(count(plane, 'g[aria-label="dot"] circle'), 20 + 20 + 2);
  assert.deepEqual(texts(plane, 'g[aria-label="text"] text'), ["w1", "w2"]);
  // Simplex: 3 features, 3 components: 30 points, 3 corners of the hull.
  const W3 = Matrix.fromRows([[1, 0.1, 0.2], [0.2, 1, 0.1], [0.1, 0.3, 1]]);
  const H3 = Matrix.from(Array.from({ length: 90 }, () => rng.uniform()), 3, 30);
  const V3 = new Matrix(new Float64Array(90), 3, 30);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 30; j++) {
      let s = 0;
      for (let c = 0; c < 3; c++) s += W3.data[i * 3 + c]! * H3.data[c * 30 + j]!;
      V3.data[i * 30 + j] = s;
    }
  }
  const simplex = geometryPlot(V3, W3, { axisLabels: ["a", "b", "c"], title: "simplex" });
  assert.equal(count(simplex, 'g[aria-label="dot"] circle'), 30 + 3);
  assert.equal(count(simplex, 'g[aria-label="hull"] path'), 1);
  await assertGolden("geometry_simplex", svgString(simplex));
  // Basis: data built from W lies inside the triangle; a point off the cone does not.
  const V4 = new Matrix(new Float64Array(93), 3, 31);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 30; j++) V4.data[i * 31 + j] = V3.data[i * 30 + j]!;
  }
  V4.data[30] = 1; // the last column is e1 = (1, 0, 0), outside the cone of W3
  const basis = geometryPlot(V4, W3, { mode: "basis" });
  assert.deepEqual(texts(basis, 'g[aria-label="legend"] text'), [
    "inside the cone (30)",
    "outside (1)",
  ]);
  assert.throws(() => geometryPlot(V3, W2), /rows/);
});

Deno.test("scalingPlot fits the log-log slope of each method and prints it in the legend", async () => {
  const rng = createRng(10);
  const records = [];
  for (const size of [100, 200, 400, 800, 1600]) {
    records.push({ size, seconds: 1e-5 * size * (1 + 0.05 * rng.uniform()), method: "linear" });
    records.push({
      size,
      seconds: 2e-8 * size ** 2 * (1 + 0.05 * rng.uniform()),
      method: "quadratic",
    });
  }
  const fig = scalingPlot(records, { sizeLabel: "n" });
  const legend = texts(fig, 'g[aria-label="legend"] text');
  assert.match(legend[0] ?? "", /^linear: slope 0\.9\d|^linear: slope 1\.0\d/);
  assert.match(legend[1] ?? "", /^quadratic: slope (1\.9\d|2\.0\d)/);
  assert.equal(count(fig, 'g[aria-label="dot"] circle'), 10);
  assert.equal(count(fig, 'g[aria-label="line"] path'), 2);
  // Log axes are labelled with plain numbers, never SI prefixes ("1m" would read as minutes).
  assert.ok(!texts(fig, 'g[aria-label="y-axis tick label"] text').some((t) => /[mµk]$/.test(t)));
  await assertGolden("scaling", svgString(fig));
});

Deno.test("fitLogLogSlope recovers exact power laws and rejects unusable input", () => {
  const x = [3, 30, 300, 3000];
  const fit = fitLogLogSlope(x, x.map((v) => 5 * v ** 1.5));
  assert.ok(Math.abs(fit.slope - 1.5) < 1e-12);
  assert.ok(Math.abs(fit.intercept - Math.log10(5)) < 1e-12);
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  assert.throws(() => fitLogLogSlope([1, 2], [1, 0]), /y\[1\] must be a finite number > 0/);
  assert.throws(() => fitLogLogSlope([2, 2], [1, 3]), /all x are equal/);
  assert.throws(() => fitLogLogSlope([1], [1]), /at least 2/);
  assert.deepEqual([1e-4, 3e-4, 0.02, 1].map(logTickFormat(1e-4, 1)), ["1e-4", "", "0.02", "1"]);
});

Deno.test("topicsPlot shows the top terms of each topic in decreasing order", async () => {
  const terms = [
    "tax",
    "budget",
    "war",
    "peace",
    "army",
    "school",
    "health",
    "jobs",
    "oil",
    "farm",
  ];
  const W = seededMatrix(11, terms.length, 3, 4);
  const fig = topicsPlot(W, { terms, top: 4, title: "topics" });
  assert.equal(count(fig, 'g[aria-label="bar"] rect'), 3 * 4);
  const labels = texts(fig, 'g[aria-label="text"] text');
  assert.ok(labels.includes("topic 1") && labels.includes("topic 3"));
  // Topic 1's first bar is its heaviest term.
  let best = 0;
  for (let i = 1; i < terms.length; i++) if (W.data[i * 3]! > W.data[best * 3]!) best = i;
  assert.ok(labels.includes(terms[best]!));
  await assertGolden("topics", svgString(fig));
  assert.throws(() => topicsPlot(W, { terms: ["a"] }), /one entry per row of W \(10\)/);
});

Deno.test("stackedWeights stacks one bar segment per component and sample", async () => {
  const H = seededMatrix(12, 3, 12, 2);
  const fig = stackedWeights(H, { componentLabels: ["A", "B", "C"], title: "mixtures" });
  assert.equal(count(fig, 'g[aria-label="bar"] rect'), 3 * 12);
  assert.deepEqual(texts(fig, 'g[aria-label="legend"] text'), ["A", "B", "C"]);
  assert.equal(texts(fig, 'g[aria-label="y-axis label"] text')[0], "↑ share of sample");
  await assertGolden("stacked_weights", svgString(fig));
  const sorted = stackedWeights(H, { order: "dominant" });
  assert.equal(count(sorted, 'g[aria-label="x-axis tick label"] text'), 12);
});

Deno.test("sideBySide copies figures into one SVG grid without moving the originals", () => {
  const a = convergencePlot([syntheticTrace(1, 10, 0.8)], { width: 300, height: 200 });
  const b = basisImages(seededMatrix(2, 4, 2), { imageShape: [2, 2] });
  const c = heatmap(seededMatrix(3, 3, 3));
  const fig = sideBySide([a, b, c], { columns: 2, gap: 10, title: "three" });
  const nested = Array.from(fig.querySelectorAll(":scope > svg"));
  assert.equal(nested.length, 3);
  const wa = Number(a.getAttribute("width")), ha = Number(a.getAttribute("height"));
  const hb = Number(b.getAttribute("height"));
  assert.deepEqual(nested.map((n) => [n.getAttribute("x"), n.getAttribute("y")]), [
    ["0", "24"],
    [String(wa + 10), "24"],
    ["0", String(24 + Math.max(ha, hb) + 10)],
  ]);
  assert.equal(a.getAttribute("x"), null); // the input is untouched
  assert.match(plotMimeBundle(fig)["image/svg+xml"], /^<svg[^>]*xmlns=/);
  assert.throws(() => sideBySide([]), RangeError);
});

Deno.test("golden snapshots are deterministic: drawing twice gives the same SVG", () => {
  const a = svgString(convergencePlot([syntheticTrace(1, 20, 0.8)]));
  const b = svgString(convergencePlot([syntheticTrace(1, 20, 0.8)]));
  assert.equal(a, b);
});

Deno.test("savePlot writes an SVG with xmlns and a PNG of the figure's size times scale", async () => {
  const fig = convergencePlot([syntheticTrace(1, 20, 0.8)], { width: 300, height: 200 });
  const width = Number(fig.getAttribute("width")), height = Number(fig.getAttribute("height"));
  const dir = await Deno.makeTempDir({ prefix: "nmflab-plots-" });
  try {
    await savePlot(fig, `${dir}/c.svg`);
    const svg = await Deno.readTextFile(`${dir}/c.svg`);
    assert.match(svg, /^<\?xml[^>]*>\n<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    await savePlot(fig, `${dir}/c.png`, { scale: 1.5 });
    const png = await Deno.readFile(`${dir}/c.png`);
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
    assert.equal(view.getUint32(16), Math.round(width * 1.5));
    assert.equal(view.getUint32(20), Math.round(height * 1.5));
    await assert.rejects(() => savePlot(fig, `${dir}/c.jpg`), /must end in .svg or .png/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Number of dark pixels (red channel < 128) in an 8-bit RGBA, non-interlaced PNG. */
async function darkPixels(png: Uint8Array): Promise<number> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const idat: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    if (type === "IDAT") idat.push(png.slice(at + 8, at + 8 + length) as Uint8Array<ArrayBuffer>);
    at += 12 + length;
  }
  const raw = new Uint8Array(
    await new Response(new Blob(idat).stream().pipeThrough(new DecompressionStream("deflate")))
      .arrayBuffer(),
  );
  // Undo the per-row filters (PNG spec, section 9) for 4 bytes per pixel.
  const stride = width * 4;
  const rows = raw.length / (stride + 1);
  const out = new Uint8Array(rows * stride);
  for (let y = 0; y < rows; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? out[y * stride + x - 4]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = filter === 0
        ? 0
        : filter === 1
        ? a
        : filter === 2
        ? b
        : filter === 3
        ? (a + b) >> 1
        : pa <= pb && pa <= pc
        ? a
        : pb <= pc
        ? b
        : c;
      out[y * stride + x] = (v + pred) & 255;
    }
  }
  let dark = 0;
  for (let i = 0; i < out.length; i += 4) if (out[i]! < 128) dark++;
  return dark;
}

Deno.test("renderPng draws text with the default font and a rect in its colour", async () => {
  const font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  try {
    await Deno.stat(font);
  } catch {
    return; // no DejaVu on this machine: the PNG test above still checks the export itself
  }
  const blank = await renderPng('<svg width="60" height="20"></svg>', { scale: 1 });
  assert.equal(await darkPixels(blank), 0);
  const text = await renderPng(
    '<svg width="60" height="20"><text x="2" y="15" font-size="14">NMF</text></svg>',
    { scale: 1 },
  );
  assert.ok(await darkPixels(text) > 20, "the word NMF should leave dark pixels");
  const rect = await renderPng('<svg width="10" height="10"><rect width="5" height="10"/></svg>', {
    scale: 2,
  });
  assert.equal(await darkPixels(rect), 10 * 20);
});

Deno.test({
  name: "a convergencePlot as a cell's last expression shows inline in the Deno Jupyter kernel",
  // Needs Jupyter (python3 with nbclient); the plot's display hook itself is tested above.
  ignore: (await findJupyterPython()) === null,
  fn: async () => {
    const fixture = new URL("./fixtures/plot_display.ipynb", import.meta.url).pathname;
    // Run a copy beside the fixture (same relative imports) so the fixture stays output-free.
    const copy = fixture.replace(/plot_display\.ipynb$/, ".plot_display.run.ipynb");
    await Deno.copyFile(fixture, copy);
    try {
      const { ok, output } = await runNotebooks([copy], { inplace: true, maxSeconds: 60 });
      assert.ok(ok, output);
      const nb = JSON.parse(await Deno.readTextFile(copy));
      const outputs = nb.cells[0].outputs as {
        output_type: string;
        data?: Record<string, unknown>;
      }[];
      const result = outputs.find((o) => o.output_type === "execute_result");
      assert.ok(result?.data !== undefined, `no execute_result in ${JSON.stringify(outputs)}`);
      assert.deepEqual(Object.keys(result.data).sort(), ["image/svg+xml", "text/plain"]);
      const svgText = ([] as string[]).concat(result.data["image/svg+xml"] as string | string[])
        .join("");
      assert.match(svgText, /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.equal((svgText.match(/<path d="M/g) ?? []).length >= 2, true);
    } finally {
      await Deno.remove(copy).catch(() => {});
    }
  },
});

Deno.test("consensusHeatmap orders a rank-survey consensus by its clustering", async () => {
  const { consensusHeatmap, rankSurveyPlot } = await import("../mod.ts");
  const consensus = Matrix.fromRows([[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]]);
  const fig = consensusHeatmap(
    { rank: 2, cophenetic: 1, dispersion: 1, consensus, order: [0, 2, 1, 3] },
    { labels: ["a", "b", "a", "b"] },
  );
  const svg = fig.outerHTML;
  assert.match(svg, /consensus matrix, k = 2/);
  assert.equal(count(fig, "rect") >= 16, true);
  // the clustering order puts the two "a" columns first
  assert.deepEqual(texts(fig, "[aria-label='x-axis tick label'] text"), [
    "a 0",
    "a 2",
    "b 1",
    "b 3",
  ]);
  await assertGolden("consensus_heatmap", svgString(fig));
  const curve = rankSurveyPlot([
    { rank: 2, cophenetic: 1, dispersion: 1 },
    { rank: 3, cophenetic: 0.97, dispersion: 0.9 },
    { rank: 4, cophenetic: 0.9, dispersion: 0.8 },
  ]);
  assert.equal(count(curve, "circle"), 6);
  assert.match(curve.outerHTML, /dispersion/);
  await assertGolden("rank_survey", svgString(curve));
  assert.throws(() => consensusHeatmap({ rank: 2, cophenetic: 1, dispersion: 1 }), TypeError);
});
