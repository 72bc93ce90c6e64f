/**
 * A tiny PNG encoder (8-bit RGB, no compression: "stored" deflate blocks), used to embed small
 * images such as 25×25 basis images in an SVG as `data:` URLs: one `<image>` per picture instead
 * of one `<rect>` per pixel keeps notebook figures small. Pure TypeScript, synchronous, no DOM.
 *
 * @module
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Encode `rgb` (width·height·3 bytes, row-major, top row first) as a PNG file.
 *
 * @example
 * ```ts
 * import { encodeRgbPng } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const png = encodeRgbPng(2, 1, new Uint8Array([255, 0, 0, 0, 0, 255]));
 * assert.deepEqual([...png.subarray(12, 16)].map((b) => String.fromCharCode(b)).join(""), "IHDR");
 * ```
 */
export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`encodeRgbPng: size must be positive integers, got ${width}×${height}`);
  }
  if (!(rgb instanceof Uint8Array) || rgb.length !== width * height * 3) {
    throw new TypeError(
      `encodeRgbPng: rgb must be a Uint8Array of width·height·3 = ${width * height * 3} bytes`,
    );
  }
  // Raw scanlines, each prefixed by filter type 0 (none).
  const stride = width * 3 + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    raw.set(rgb.subarray(y * (stride - 1), (y + 1) * (stride - 1)), y * stride + 1);
  }
  // zlib stream of stored blocks (≤ 65535 bytes each) plus the Adler-32 checksum.
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlib = new Uint8Array(2 + raw.length + 5 * blocks + 4);
  zlib[0] = 0x78;
  zlib[1] = 0x01;
  let at = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535, len = Math.min(65535, raw.length - start);
    zlib[at++] = b === blocks - 1 ? 1 : 0;
    zlib[at++] = len & 0xff;
    zlib[at++] = len >>> 8;
    zlib[at++] = ~len & 0xff;
    zlib[at++] = (~len >>> 8) & 0xff;
    zlib.set(raw.subarray(start, start + len), at);
    at += len;
  }
  let s1 = 1, s2 = 0;
  for (let i = 0; i < raw.length; i++) {
    s1 = (s1 + (raw[i] as number)) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  const adler = ((s2 << 16) | s1) >>> 0;
  new DataView(zlib.buffer).setUint32(at, adler);

  const chunks: [string, Uint8Array][] = [];
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour RGB
  chunks.push(["IHDR", ihdr], ["IDAT", zlib], ["IEND", new Uint8Array(0)]);
  const total = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([137, 80, 78, 71, 13, 10, 26, 10]);
  let p = 8;
  for (const [type, data] of chunks) {
    view.setUint32(p, data.length);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    out.set(data, p + 8);
    view.setUint32(p + 8 + data.length, crc32(out, p + 4, p + 8 + data.length));
    p += 12 + data.length;
  }
  return out;
}

/** `bytes` as a base64 string (works in any JavaScript runtime). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Parse a CSS colour as produced by d3 ("rgb(r, g, b)" or "#rrggbb") into [r, g, b]. */
export function parseRgb(color: string): [number, number, number] {
  const m = /^rgb\(\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)\s*\)$/.exec(color);
  if (m !== null) return [Math.round(+m[1]!), Math.round(+m[2]!), Math.round(+m[3]!)];
  const h = /^#([0-9a-f]{6})$/i.exec(color);
  if (h !== null) {
    const v = parseInt(h[1]!, 16);
    return [v >> 16, (v >> 8) & 255, v & 255];
  }
  throw new TypeError(`parseRgb: cannot read colour ${JSON.stringify(color)}`);
}
