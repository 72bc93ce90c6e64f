import assert from "node:assert/strict";
import { createRng, escapeHtml, lossSparklineSvg, Matrix, nmf, resultSummaryHtml } from "../mod.ts";

function seeded(rows: number, cols: number): Matrix {
  const rng = createRng(3);
  return Matrix.from(Array.from({ length: rows * cols }, () => rng.uniform()), rows, cols);
}

Deno.test("resultSummaryHtml lists solver, beta, rank, iterations, stop reason, loss, error, backend, seconds", () => {
  const V = seeded(10, 8);
  const r = nmf(V, { rank: 3, seed: 1, maxIter: 40, beta: "kullback-leibler" });
  const html = resultSummaryHtml(r);
  const row = (name: string) =>
    new RegExp(`<th[^>]*>${name}</th><td[^>]*>([^<]*)</td>`).exec(html)?.[1];
  assert.equal(row("solver"), r.solver);
  assert.equal(row("β"), "1 (Kullback–Leibler)");
  assert.equal(row("rank"), "3 (V is 10×8)");
  assert.equal(row("iterations"), String(r.iterations));
  assert.match(row("stopped by") ?? "", new RegExp(`^${r.stopReason}`));
  assert.equal(Number(row("final loss")), +r.loss.toPrecision(4));
  assert.equal(Number(row("relative error")), +r.relativeError.toPrecision(4));
  assert.equal(row("backend"), r.backend);
  assert.ok(Number.isFinite(Number(row("seconds"))));
  assert.match(html, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});

Deno.test("the loss sparkline has one point per positive trace entry, highest loss at the top", () => {
  const trace = [100, 10, 1, 0.1].map((loss, iteration) => ({ iteration, loss }));
  const svg = lossSparklineSvg(trace, { sparklineWidth: 32, sparklineHeight: 32 });
  const points = /<polyline points="([^"]*)"/.exec(svg)?.[1]?.split(" ");
  // log10 of the loss falls by 1 per step: the points lie on a straight line, corner to corner.
  assert.deepEqual(points, ["1,1", "11,11", "21,21", "31,31"]);
  // Zero or non-finite losses are skipped; fewer than two usable entries give no sparkline.
  assert.equal(lossSparklineSvg([{ iteration: 0, loss: 0 }, { iteration: 1, loss: 2 }]), "");
  assert.throws(() => lossSparklineSvg(trace, { sparklineWidth: 1 }), RangeError);
});

Deno.test("resultSummaryHtml escapes text and shows warnings", () => {
  const r = nmf(seeded(6, 5), { rank: 2, seed: 1, maxIter: 5, warn: () => {} });
  const html = resultSummaryHtml({ ...r, solver: "<mu>", warnings: ["a & b"] });
  assert.ok(html.includes("&lt;mu&gt;") && !html.includes("<mu>"));
  assert.match(html, /⚠ a &amp; b/);
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
  assert.throws(() => resultSummaryHtml({} as never), TypeError);
});
