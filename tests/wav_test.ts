import assert from "node:assert/strict";
import { parseWav } from "../mod.ts";

/** A WAVE file with the given format and raw sample bytes (plus an extra chunk before data). */
function wavBytes(format: number, channels: number, bits: number, samples: Uint8Array): Uint8Array {
  const extra = 10; // a "LIST" chunk of 9 bytes + 1 pad byte, to test chunk walking
  const b = new Uint8Array(36 + 8 + extra + 8 + samples.length);
  const v = new DataView(b.buffer);
  const tag = (at: number, s: string) => [...s].forEach((c, i) => (b[at + i] = c.charCodeAt(0)));
  tag(0, "RIFF");
  v.setUint32(4, b.length - 8, true);
  tag(8, "WAVE");
  tag(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, 22050, true);
  v.setUint32(28, 22050 * channels * bits / 8, true);
  v.setUint16(32, channels * bits / 8, true);
  v.setUint16(34, bits, true);
  tag(36, "LIST");
  v.setUint32(40, 9, true);
  tag(44 + extra, "data");
  v.setUint32(48 + extra, samples.length, true);
  b.set(samples, 52 + extra);
  return b;
}

Deno.test("parseWav() decodes 8-, 16-, 24- and 32-bit PCM and float samples to [-1, 1)", () => {
  const u8 = parseWav(wavBytes(1, 1, 8, new Uint8Array([0, 128, 192])));
  assert.deepEqual(Array.from(u8.channelData[0]!), [-1, 0, 0.5]);
  const i16 = new DataView(new ArrayBuffer(4));
  i16.setInt16(0, -32768, true);
  i16.setInt16(2, 8192, true);
  assert.deepEqual(
    Array.from(parseWav(wavBytes(1, 1, 16, new Uint8Array(i16.buffer))).channelData[0]!),
    [-1, 0.25],
  );
  // 24-bit little-endian: 0x400000 = 0.5, 0xC00000 = -0.5.
  const i24 = new Uint8Array([0, 0, 0x40, 0, 0, 0xc0]);
  assert.deepEqual(Array.from(parseWav(wavBytes(1, 1, 24, i24)).channelData[0]!), [0.5, -0.5]);
  const i32 = new DataView(new ArrayBuffer(4));
  i32.setInt32(0, -1073741824, true);
  assert.deepEqual(
    Array.from(parseWav(wavBytes(1, 1, 32, new Uint8Array(i32.buffer))).channelData[0]!),
    [-0.5],
  );
  const f32 = new DataView(new ArrayBuffer(8));
  f32.setFloat32(0, 0.75, true);
  f32.setFloat32(4, -0.125, true);
  const wav = parseWav(wavBytes(3, 2, 32, new Uint8Array(f32.buffer)));
  assert.equal(wav.channels, 2);
  assert.equal(wav.sampleRate, 22050);
  assert.deepEqual(Array.from(wav.channelData[0]!), [0.75]);
  assert.deepEqual(Array.from(wav.channelData[1]!), [-0.125]);
});

Deno.test("parseWav() rejects non-WAVE bytes and unsupported formats", () => {
  assert.throws(() => parseWav(new TextEncoder().encode("not a wave file")), /RIFF\/WAVE header/);
  assert.throws(
    () => parseWav(wavBytes(2, 1, 4, new Uint8Array(2))),
    /format 2 with 4 bits is not supported/,
  );
  const noData = wavBytes(1, 1, 16, new Uint8Array(0)).slice(0, 36);
  assert.throws(() => parseWav(noData), /no data chunk/);
});

const alsa = "/usr/share/sounds/alsa/Front_Center.wav";
let haveAlsa = true;
try {
  Deno.statSync(alsa);
} catch {
  haveAlsa = false;
  console.log(`skipping the alsa-utils WAV test: ${alsa} is not installed`);
}
Deno.test({
  name: "parseWav() reads alsa-utils' Front_Center.wav as 48 kHz 16-bit mono",
  ignore: !haveAlsa,
  fn() {
    const wav = parseWav(Deno.readFileSync(alsa));
    assert.deepEqual([wav.sampleRate, wav.channels, wav.bitsPerSample], [48000, 1, 16]);
    assert.equal(wav.channelData[0]!.length, 68545);
  },
});
