/**
 * The short-time Fourier transform, from scratch: an in-place radix-2 FFT, the Hann window, and
 * the power spectrogram |STFT|² as a frequency × time {@linkcode Matrix} (the orientation NMF
 * wants for audio: W columns are spectral templates, H rows their activations over time).
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";

/**
 * In-place iterative radix-2 FFT (Cooley–Tukey, decimation in time):
 * X_k = Σ_t x_t e^(−2πi·kt/n). `re` and `im` hold the input and receive the output.
 *
 * @param re real parts (length a power of two)
 * @param im imaginary parts (same length)
 * @example
 * ```ts
 * import { fftInto } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const re = new Float64Array([1, 0, 0, 0]), im = new Float64Array(4);
 * fftInto(re, im); // the transform of an impulse is flat
 * assert.deepEqual(Array.from(re), [1, 1, 1, 1]);
 * ```
 */
export function fftInto(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n) {
    throw new TypeError(`fftInto: im has length ${im.length}, expected ${n} (the length of re)`);
  }
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new RangeError(`fftInto: length must be a power of two, got ${n}`);
  }
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i] as number, ti = im[i] as number;
      re[i] = re[j] as number;
      im[i] = im[j] as number;
      re[j] = tr;
      im[j] = ti;
    }
  }
  // Butterflies; twiddles computed directly (not by recurrence) to keep rounding small.
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = (-2 * Math.PI) / len;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(step * k), wi = Math.sin(step * k);
      for (let s = k; s < n; s += len) {
        const t = s + half;
        const xr = re[t] as number, xi = im[t] as number;
        const ur = wr * xr - wi * xi, ui = wr * xi + wi * xr;
        re[t] = (re[s] as number) - ur;
        im[t] = (im[s] as number) - ui;
        re[s] = (re[s] as number) + ur;
        im[s] = (im[s] as number) + ui;
      }
    }
  }
}

/**
 * The periodic Hann window w_t = ½(1 − cos(2πt/n)), t = 0…n−1 (the "DFT-even" form used for
 * spectral analysis; with 50 % overlap its shifted copies sum to exactly 1).
 *
 * @param n window length (a positive integer)
 */
export function hannWindow(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`hannWindow: n must be a positive integer, got ${formatValue(n)}`);
  }
  const w = new Float64Array(n);
  for (let t = 0; t < n; t++) w[t] = 0.5 * (1 - Math.cos((2 * Math.PI * t) / n));
  return w;
}

/** Options of {@linkcode powerSpectrogram}. */
export interface SpectrogramOptions {
  /** Samples per frame (a power of two). @default 1024 */
  frameLength?: number;
  /** Samples between the starts of consecutive frames. @default frameLength / 2 */
  hopLength?: number;
}

/**
 * The power spectrogram |X(f, t)|² of `signal`: Hann-windowed frames of `frameLength` samples,
 * `hopLength` apart, only frames lying wholly inside the signal (no padding). Row f is frequency
 * bin f (f·sampleRate/frameLength Hz, f = 0…frameLength/2), column t is frame t (starting at
 * sample t·hopLength).
 *
 * @param signal the samples
 * @param options frame and hop lengths
 * @example
 * ```ts
 * import { powerSpectrogram } from "../mod.ts";
 * import assert from "node:assert/strict";
 * // A cosine at bin 4 of a 16-sample frame puts its power in row 4.
 * const x = Float64Array.from({ length: 64 }, (_, t) => Math.cos((2 * Math.PI * 4 * t) / 16));
 * const S = powerSpectrogram(x, { frameLength: 16, hopLength: 8 });
 * assert.deepEqual(S.shape, [9, 7]);
 * const col = S.column(0);
 * assert.equal(col.indexOf(Math.max(...col)), 4);
 * ```
 */
export function powerSpectrogram(
  signal: ArrayLike<number>,
  options: SpectrogramOptions = {},
): Matrix {
  const frameLength = options.frameLength ?? 1024;
  if (
    !Number.isInteger(frameLength) || frameLength < 2 || (frameLength & (frameLength - 1)) !== 0
  ) {
    throw new RangeError(
      `powerSpectrogram: frameLength must be a power of two ≥ 2, got ${formatValue(frameLength)}`,
    );
  }
  const hop = options.hopLength ?? frameLength / 2;
  if (!Number.isInteger(hop) || hop < 1) {
    throw new RangeError(
      `powerSpectrogram: hopLength must be a positive integer, got ${formatValue(hop)}`,
    );
  }
  if (signal.length < frameLength) {
    throw new RangeError(
      `powerSpectrogram: signal has ${signal.length} samples, fewer than one frame (${frameLength})`,
    );
  }
  const frames = 1 + Math.floor((signal.length - frameLength) / hop);
  const bins = frameLength / 2 + 1;
  const S = Matrix.zeros(bins, frames);
  const w = hannWindow(frameLength);
  const re = new Float64Array(frameLength), im = new Float64Array(frameLength);
  for (let t = 0; t < frames; t++) {
    const start = t * hop;
    for (let i = 0; i < frameLength; i++) re[i] = (signal[start + i] as number) * (w[i] as number);
    im.fill(0);
    fftInto(re, im);
    for (let f = 0; f < bins; f++) {
      const a = re[f] as number, b = im[f] as number;
      S.data[f * frames + t] = a * a + b * b;
    }
  }
  return S;
}
