import assert from "node:assert/strict";
import { createRng, fftInto, hannWindow, powerSpectrogram } from "../mod.ts";

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length, re = new Float64Array(n), im = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      re[k] = re[k]! + x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
      im[k] = im[k]! + x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

Deno.test("fftInto() agrees with the direct DFT sum for lengths 1 to 256", () => {
  const rng = createRng(3);
  for (let n = 1; n <= 256; n *= 2) {
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const re = x.slice(), im = new Float64Array(n);
    fftInto(re, im);
    const d = naiveDft(x);
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(re[k]! - d.re[k]!) < 1e-10 * n, `n=${n}, k=${k}`);
      assert.ok(Math.abs(im[k]! - d.im[k]!) < 1e-10 * n, `n=${n}, k=${k}`);
    }
  }
});

Deno.test("fftInto() keeps Parseval's identity Σ|x|² = Σ|X|²/n on 4096 points", () => {
  const rng = createRng(4);
  const n = 4096;
  const re = Float64Array.from({ length: n }, () => rng.normal()), im = new Float64Array(n);
  const energy = re.reduce((s, v) => s + v * v, 0);
  fftInto(re, im);
  let spectral = 0;
  for (let k = 0; k < n; k++) spectral += re[k]! ** 2 + im[k]! ** 2;
  assert.ok(Math.abs(spectral / n - energy) < 1e-10 * energy);
});

Deno.test("fftInto() rejects lengths that are not powers of two and mismatched parts", () => {
  assert.throws(() => fftInto(new Float64Array(6), new Float64Array(6)), /power of two, got 6/);
  assert.throws(
    () => fftInto(new Float64Array(4), new Float64Array(2)),
    /im has length 2, expected 4/,
  );
});

Deno.test("hannWindow() is periodic and its 50 %-overlapped copies sum to 1", () => {
  const n = 64, w = hannWindow(n);
  assert.equal(w[0], 0);
  assert.ok(Math.abs(w[n / 2]! - 1) < 1e-15);
  for (let t = 0; t < n / 2; t++) assert.ok(Math.abs(w[t]! + w[t + n / 2]! - 1) < 1e-15);
  assert.throws(() => hannWindow(0), /n must be a positive integer/);
});

Deno.test("powerSpectrogram() puts a tone's power in its bin and counts frames without padding", () => {
  const n = 256, bin = 20;
  const x = Float64Array.from({ length: 1000 }, (_, t) => Math.sin((2 * Math.PI * bin * t) / n));
  const S = powerSpectrogram(x, { frameLength: n, hopLength: 100 });
  assert.deepEqual(S.shape, [n / 2 + 1, 1 + Math.floor((1000 - n) / 100)]);
  for (let t = 0; t < S.cols; t++) {
    const col = Array.from(S.column(t));
    assert.equal(col.indexOf(Math.max(...col)), bin);
    // A Hann-windowed sine of amplitude 1 at an exact bin: |X|² = (n/4)² in that bin.
    assert.ok(Math.abs(col[bin]! - (n / 4) ** 2) < 1e-8 * (n / 4) ** 2);
  }
  assert.ok(S.min() >= 0);
  assert.throws(
    () => powerSpectrogram(new Float64Array(10), { frameLength: 16 }),
    /fewer than one frame/,
  );
  assert.throws(() => powerSpectrogram(x, { frameLength: 100 }), /power of two ≥ 2, got 100/);
  assert.throws(
    () => powerSpectrogram(x, { hopLength: 0 }),
    /hopLength must be a positive integer/,
  );
});
