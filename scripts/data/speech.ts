/**
 * Build data/speech.csv: the power spectrogram (frequency × time) of the spoken words
 * "Front Center" shipped by Debian's alsa-utils as /usr/share/sounds/alsa/Front_Center.wav
 * (16-bit mono PCM, 48 kHz).
 *
 * Steps: decode the WAV (samples / 32768), drop the digital silence (exact zeros) before the
 * first and after the last non-zero sample, then Hann-windowed frames of 1024 samples (21.3 ms)
 * every 512 samples, |FFT|² for bins 0…512 (0 Hz … 24 kHz in steps of 46.875 Hz), plus a floor
 * of 1e-10 on every entry. The pause between the two words is digital silence (13 frames of
 * exact zeros); the floor keeps every entry > 0, as the Itakura-Saito divergence requires, and
 * lies below the 16-bit quantization noise (about 3e-8 per bin with this window).
 * Header: "frequency_hz" then each frame's start time in seconds from the start of the file;
 * each row: the bin's frequency in Hz (exact), then the powers. Other numbers have 6 significant
 * digits (see `formatCsvNumber` in data/csv.ts).
 *
 * Usage: deno run --allow-read --allow-write scripts/data/speech.ts [OUT_DIR]
 *
 * @module
 */

import { parseWav } from "../../data/wav.ts";
import { powerSpectrogram } from "../../data/stft.ts";
import { formatCsvNumber, writeMatrixCsv } from "../../data/csv.ts";

const SPEECH_SOURCE = "/usr/share/sounds/alsa/Front_Center.wav";
const FRAME = 1024;
const HOP = 512;
/** Added to every power so that all entries are > 0 (Itakura-Saito needs V > 0). */
const SPEECH_FLOOR = 1e-10;
const FLOOR = SPEECH_FLOOR;

const outDir = Deno.args[0] ?? new URL("../../data/", import.meta.url).pathname;
const wav = parseWav(Deno.readFileSync(SPEECH_SOURCE));
const x = wav.channelData[0] as Float64Array;
let first = 0, last = x.length - 1;
while (first < x.length && x[first] === 0) first++;
while (last > first && x[last] === 0) last--;
const S = powerSpectrogram(x.subarray(first, last + 1), { frameLength: FRAME, hopLength: HOP });
for (let i = 0; i < S.data.length; i++) S.data[i] = (S.data[i] as number) + FLOOR;
const freqs = Array.from(
  { length: S.rows },
  (_, f) => formatCsvNumber((f * wav.sampleRate) / FRAME),
);
const times = Array.from(
  { length: S.cols },
  (_, t) => formatCsvNumber((first + t * HOP) / wav.sampleRate, 6),
);
writeMatrixCsv(`${outDir}/speech.csv`, S, {
  rowLabels: freqs,
  colLabels: times,
  rowLabelHeader: "frequency_hz",
  precision: 6,
});
console.log(
  `speech: ${S.rows} x ${S.cols} (samples ${first}..${last} of ${x.length}, min ${S.min()}, max ${S.max()}) -> ${outDir}`,
);
