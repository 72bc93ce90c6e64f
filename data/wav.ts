/**
 * A small reader for RIFF/WAVE files: integer PCM (8, 16, 24, 32 bit) and 32/64-bit float.
 * Pure (takes bytes, returns samples), so it runs anywhere; read the bytes with
 * `Deno.readFileSync` or `fetch`.
 *
 * @module
 */

import { formatValue } from "../linalg/matrix.ts";

/** A decoded WAVE file. */
export interface Wav {
  /** Samples per second. */
  sampleRate: number;
  /** Number of interleaved channels in the file. */
  channels: number;
  /** Bits per sample as stored. */
  bitsPerSample: number;
  /** Samples of each channel scaled to [-1, 1) (integer PCM is divided by 2^(bits−1)). */
  channelData: Float64Array[];
}

/**
 * Decode a WAVE file.
 *
 * @param bytes the whole file
 * @example
 * ```ts
 * import { parseWav } from "../mod.ts";
 * import assert from "node:assert/strict";
 * // A 2-sample, 16-bit mono file at 8000 Hz holding 16384 and -32768.
 * const b = new Uint8Array(48);
 * const v = new DataView(b.buffer);
 * const tag = (at: number, s: string) => [...s].forEach((c, i) => (b[at + i] = c.charCodeAt(0)));
 * tag(0, "RIFF"); v.setUint32(4, 40, true); tag(8, "WAVE");
 * tag(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
 * v.setUint32(24, 8000, true); v.setUint32(28, 16000, true); v.setUint16(32, 2, true);
 * v.setUint16(34, 16, true); tag(36, "data"); v.setUint32(40, 4, true);
 * v.setInt16(44, 16384, true); v.setInt16(46, -32768, true);
 * const wav = parseWav(b);
 * assert.equal(wav.sampleRate, 8000);
 * assert.deepEqual(Array.from(wav.channelData[0]!), [0.5, -1]);
 * ```
 */
export function parseWav(bytes: Uint8Array): Wav {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`parseWav: bytes must be a Uint8Array, got ${formatValue(bytes)}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") {
    throw new TypeError(`parseWav: bytes do not start with a RIFF/WAVE header`);
  }
  let format = 0, channels = 0, sampleRate = 0, bitsPerSample = 0;
  let dataAt = -1, dataLength = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      if (size < 16) throw new TypeError(`parseWav: fmt chunk has ${size} bytes, expected ≥ 16`);
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bitsPerSample = view.getUint16(body + 14, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === "data") {
      dataAt = body;
      dataLength = Math.min(size, bytes.length - body);
    }
    at = body + size + (size % 2);
  }
  if (format === 0) throw new TypeError(`parseWav: no fmt chunk found`);
  if (dataAt < 0) throw new TypeError(`parseWav: no data chunk found`);
  if (channels < 1) throw new RangeError(`parseWav: channels is ${channels}, expected ≥ 1`);
  const isInt = format === 1 && [8, 16, 24, 32].includes(bitsPerSample);
  const isFloat = format === 3 && (bitsPerSample === 32 || bitsPerSample === 64);
  if (!isInt && !isFloat) {
    throw new RangeError(
      `parseWav: format ${format} with ${bitsPerSample} bits is not supported, expected ` +
        `integer PCM (format 1; 8, 16, 24 or 32 bits) or float (format 3; 32 or 64 bits)`,
    );
  }
  const width = bitsPerSample / 8;
  const frames = Math.floor(dataLength / (width * channels));
  const channelData = Array.from({ length: channels }, () => new Float64Array(frames));
  const scale = 2 ** (bitsPerSample - 1);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      const p = dataAt + (f * channels + c) * width;
      let v: number;
      if (isFloat) {
        v = bitsPerSample === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      } else if (bitsPerSample === 8) {
        v = ((bytes[p] as number) - 128) / scale; // 8-bit PCM is unsigned
      } else if (bitsPerSample === 16) {
        v = view.getInt16(p, true) / scale;
      } else if (bitsPerSample === 24) {
        const u = (bytes[p] as number) | ((bytes[p + 1] as number) << 8) |
          ((bytes[p + 2] as number) << 16);
        v = ((u << 8) >> 8) / scale;
      } else {
        v = view.getInt32(p, true) / scale;
      }
      (channelData[c] as Float64Array)[f] = v;
    }
  }
  return { sampleRate, channels, bitsPerSample, channelData };
}
