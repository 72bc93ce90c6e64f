/**
 * The data layer: CSV input and output, the shipped real data sets, synthetic data with known
 * factors, and the small signal and text tools the data sets are built with.
 *
 * @module
 */
export * from "./csv.ts";
export * from "./datasets.ts";
export * from "./synthetic.ts";
export * from "./tokenize.ts";
export * from "./stopwords.ts";
export * from "./stft.ts";
export * from "./wav.ts";
