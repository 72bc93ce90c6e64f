import assert from "node:assert/strict";
import { documentTermMatrix, ENGLISH_STOP_WORDS, tokenize } from "../mod.ts";

Deno.test("tokenize() lowercases, strips accents, splits on non-letters and drops stop words", () => {
  assert.deepEqual(
    tokenize("Naïve SELF-government, don't tax 1,000 x-rays!"),
    ["naive", "self", "government", "don", "tax", "rays"],
  );
  assert.deepEqual(tokenize("an ox is it", { minLength: 1, stopWords: [] }), [
    "an",
    "ox",
    "is",
    "it",
  ]);
  assert.deepEqual(tokenize("The the THE union"), ["union"]);
  assert.throws(
    () => tokenize("x", { minLength: 0 }),
    /minLength must be a positive integer, got 0/,
  );
});

Deno.test("ENGLISH_STOP_WORDS holds the 318 sorted lowercase words of the Glasgow list", () => {
  assert.equal(ENGLISH_STOP_WORDS.length, 318);
  assert.deepEqual([...ENGLISH_STOP_WORDS].sort(), ENGLISH_STOP_WORDS);
  assert.ok(ENGLISH_STOP_WORDS.every((w) => /^[a-z]+$/.test(w)));
  for (const w of ["the", "and", "which", "yourselves"]) assert.ok(ENGLISH_STOP_WORDS.includes(w));
});

Deno.test("documentTermMatrix() applies minDf, maxDf and maxTerms in that order", () => {
  const texts = ["alpha beta gamma", "alpha beta delta", "alpha gamma gamma", "alpha beta epsilon"];
  // alpha: df 4 (> 0.75·4 = 3, dropped by maxDf); beta df 3; gamma df 2, total 3; delta, epsilon df 1.
  const dt = documentTermMatrix(texts, { minDf: 2, maxDf: 0.75 });
  assert.deepEqual(dt.terms, ["beta", "gamma"]);
  assert.deepEqual(dt.documentFrequency, [3, 2]);
  assert.deepEqual(dt.totalCount, [3, 3]);
  assert.deepEqual(dt.V.toRows(), [[1, 1, 0, 1], [1, 0, 2, 0]]);
  assert.deepEqual(dt.tokensPerDocument, [3, 3, 3, 3]);
  // maxTerms keeps the largest totals, ties alphabetically: beta and gamma both 3 → beta.
  assert.deepEqual(documentTermMatrix(texts, { minDf: 2, maxDf: 0.75, maxTerms: 1 }).terms, [
    "beta",
  ]);
});

Deno.test("documentTermMatrix() rejects bad settings with the value in the message", () => {
  assert.throws(
    () => documentTermMatrix(["a"], { minDf: 0 }),
    /minDf must be a positive integer, got 0/,
  );
  assert.throws(
    () => documentTermMatrix(["a"], { maxDf: 1.5 }),
    /maxDf must be a fraction in \(0, 1\], got 1.5/,
  );
  assert.throws(
    () => documentTermMatrix(["a"], { maxTerms: 2.5 }),
    /maxTerms must be a positive integer/,
  );
  assert.throws(
    () => documentTermMatrix([1 as unknown as string]),
    /texts\[0\] must be a string, got 1/,
  );
});
