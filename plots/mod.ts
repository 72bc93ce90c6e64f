/**
 * Pictures of NMF runs with Observable Plot: every helper is a pure function of data and
 * options that returns one `<svg>` element (drawn into a `linkedom` document, so no browser is
 * needed). A figure displays itself in the Deno Jupyter kernel when it is the last expression of
 * a cell (`[Symbol.for("Jupyter.display")]` → `image/svg+xml`), and `savePlot` writes it to
 * `.svg` or `.png`.
 *
 * @module
 */
export * from "./document.ts";
export * from "./figure.ts";
export * from "./palette.ts";
export * from "./convergence.ts";
export * from "./basis.ts";
export * from "./heatmap.ts";
export * from "./distribution.ts";
export * from "./geometry.ts";
export * from "./slope.ts";
export * from "./png.ts";
export * from "./ticks.ts";
export * from "./scaling.ts";
export * from "./topics.ts";
export * from "./weights.ts";
export * from "./layout.ts";
export * from "./save.ts";
export * from "./survey.ts";
