/**
 * A small, documented tokenizer and document × term counting, used to build the `sotu` data set
 * and reusable with other settings (see data/README.md).
 *
 * Tokenizing: Unicode NFKD normalization with combining marks removed (so "é" → "e"),
 * lowercase, then every maximal run of the letters a–z is a token (digits, punctuation and
 * apostrophes separate tokens: "don't" → "don", "t"; "1st" → "st"); tokens shorter than
 * `minLength` and stop words are dropped.
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";
import { ENGLISH_STOP_WORDS } from "./stopwords.ts";

/** Options of {@linkcode tokenize}. */
export interface TokenizeOptions {
  /** Drop tokens with fewer letters than this. @default 3 */
  minLength?: number;
  /** Words to drop (compared after lowercasing). @default ENGLISH_STOP_WORDS (318 words) */
  stopWords?: Iterable<string>;
}

function checkMinLength(caller: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `${caller}: minLength must be a positive integer, got ${formatValue(value)}`,
    );
  }
  return value;
}

function tokenizeWith(text: string, minLength: number, stop: ReadonlySet<string>): string[] {
  const plain = text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  const out: string[] = [];
  for (const match of plain.matchAll(/[a-z]+/g)) {
    const word = match[0];
    if (word.length >= minLength && !stop.has(word)) out.push(word);
  }
  return out;
}

/**
 * Split `text` into lowercase word tokens (see the module doc for the exact rules).
 *
 * @param text any text
 * @param options minimum length and stop words
 * @example
 * ```ts
 * import { tokenize } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(tokenize("The Union is strong; we don't rest, in 1862 or Café."), [
 *   "union", "strong", "don", "rest", "cafe",
 * ]);
 * ```
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  if (typeof text !== "string") {
    throw new TypeError(`tokenize: text must be a string, got ${formatValue(text)}`);
  }
  const minLength = checkMinLength("tokenize", options.minLength ?? 3);
  const stop = new Set(options.stopWords ?? ENGLISH_STOP_WORDS);
  return tokenizeWith(text, minLength, stop);
}

/** Options of {@linkcode documentTermMatrix}. */
export interface DocumentTermOptions extends TokenizeOptions {
  /** Keep only terms that occur in at least this many documents. @default 5 */
  minDf?: number;
  /** Keep only terms that occur in at most this fraction of the documents. @default 0.5 */
  maxDf?: number;
  /**
   * Keep at most this many terms: those with the largest total count (ties broken
   * alphabetically). @default 2000
   */
  maxTerms?: number;
}

/** The result of {@linkcode documentTermMatrix}. */
export interface DocumentTerm {
  /** Counts, terms × documents: entry (t, d) is how often term t occurs in document d. */
  V: Matrix;
  /** The vocabulary, in alphabetical order (row labels of V). */
  terms: string[];
  /** For each term, the number of documents it occurs in. */
  documentFrequency: number[];
  /** For each term, its total count over all documents. */
  totalCount: number[];
  /** For each document, its number of tokens before the vocabulary was cut. */
  tokensPerDocument: number[];
}

/**
 * Count terms in documents and keep a vocabulary by document frequency and total count.
 * Rows are terms and columns documents, so NMF's W columns are topics (weights over words).
 *
 * @param texts the documents
 * @param options tokenizer settings and vocabulary cut-offs
 * @example
 * ```ts
 * import { documentTermMatrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const dt = documentTermMatrix(["tax tax war", "war peace", "peace tax"], {
 *   minDf: 1,
 *   maxDf: 1,
 * });
 * assert.deepEqual(dt.terms, ["peace", "tax", "war"]);
 * assert.deepEqual(dt.V.toRows(), [[0, 1, 1], [2, 0, 1], [1, 1, 0]]);
 * ```
 */
export function documentTermMatrix(
  texts: readonly string[],
  options: DocumentTermOptions = {},
): DocumentTerm {
  if (!Array.isArray(texts)) {
    throw new TypeError(
      `documentTermMatrix: texts must be an array of strings, got ${formatValue(texts)}`,
    );
  }
  const minLength = checkMinLength("documentTermMatrix", options.minLength ?? 3);
  const minDf = options.minDf ?? 5;
  const maxDf = options.maxDf ?? 0.5;
  const maxTerms = options.maxTerms ?? 2000;
  if (!Number.isInteger(minDf) || minDf < 1) {
    throw new RangeError(
      `documentTermMatrix: minDf must be a positive integer, got ${formatValue(minDf)}`,
    );
  }
  if (typeof maxDf !== "number" || !(maxDf > 0 && maxDf <= 1)) {
    throw new RangeError(
      `documentTermMatrix: maxDf must be a fraction in (0, 1], got ${formatValue(maxDf)}`,
    );
  }
  if (!Number.isInteger(maxTerms) || maxTerms < 1) {
    throw new RangeError(
      `documentTermMatrix: maxTerms must be a positive integer, got ${formatValue(maxTerms)}`,
    );
  }
  const stop = new Set(options.stopWords ?? ENGLISH_STOP_WORDS);
  const n = texts.length;
  const perDoc: Map<string, number>[] = [];
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  const tokensPerDocument: number[] = [];
  texts.forEach((text, d) => {
    if (typeof text !== "string") {
      throw new TypeError(
        `documentTermMatrix: texts[${d}] must be a string, got ${formatValue(text)}`,
      );
    }
    const counts = new Map<string, number>();
    const tokens = tokenizeWith(text, minLength, stop);
    for (const w of tokens) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, c] of counts) {
      df.set(w, (df.get(w) ?? 0) + 1);
      total.set(w, (total.get(w) ?? 0) + c);
    }
    perDoc.push(counts);
    tokensPerDocument.push(tokens.length);
  });
  const byOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const kept = [...df.keys()]
    .filter((w) => (df.get(w) as number) >= minDf && (df.get(w) as number) <= maxDf * n)
    .sort((a, b) => (total.get(b) as number) - (total.get(a) as number) || byOrder(a, b))
    .slice(0, maxTerms)
    .sort(byOrder);
  const V = Matrix.zeros(kept.length, n);
  kept.forEach((w, t) => {
    for (let d = 0; d < n; d++) V.data[t * n + d] = (perDoc[d] as Map<string, number>).get(w) ?? 0;
  });
  return {
    V,
    terms: kept,
    documentFrequency: kept.map((w) => df.get(w) as number),
    totalCount: kept.map((w) => total.get(w) as number),
    tokensPerDocument,
  };
}
