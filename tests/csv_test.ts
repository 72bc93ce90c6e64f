import assert from "node:assert/strict";
import fc from "fast-check";
import {
  formatCsvNumber,
  formatMatrixCsv,
  Matrix,
  parseMatrixCsv,
  readMatrixCsv,
  writeMatrixCsv,
} from "../mod.ts";

Deno.test("parseMatrixCsv() reads plain numbers, header and row labels", () => {
  const plain = parseMatrixCsv("1,2,3\n4,5,6\n");
  assert.deepEqual(plain.matrix.toRows(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(plain.rowLabels, undefined);
  assert.equal(plain.colLabels, undefined);
  const labelled = parseMatrixCsv("id,x,y\na,1,-2.5e-3\nb,+3,.5\n", {
    header: true,
    rowLabels: true,
  });
  assert.deepEqual(labelled.matrix.toRows(), [[1, -0.0025], [3, 0.5]]);
  assert.deepEqual(labelled.rowLabels, ["a", "b"]);
  assert.deepEqual(labelled.colLabels, ["x", "y"]);
  assert.equal(labelled.rowLabelHeader, "id");
});

Deno.test("parseMatrixCsv() accepts CRLF, a byte-order mark, quoted labels and padded numbers", () => {
  const text = '\uFEFF"gene, name",s1\r\n"a ""b"", c", 7 \r\n\r\n';
  const r = parseMatrixCsv(text, { header: true, rowLabels: true });
  assert.deepEqual(r.matrix.toRows(), [[7]]);
  assert.deepEqual(r.rowLabels, ['a "b", c']);
  assert.equal(r.rowLabelHeader, "gene, name");
});

// The bad files: each must fail with the error class and a message that says where and why.
const bad: {
  name: string;
  text: string;
  options?: object;
  error: typeof Error;
  message: RegExp;
}[] = [
  { name: "an empty file", text: "", error: TypeError, message: /the file is empty/ },
  { name: "only blank lines", text: "\n\n\r\n", error: TypeError, message: /the file is empty/ },
  {
    name: "a header-only file",
    text: "a,b\n",
    options: { header: true },
    error: TypeError,
    message: /has a header line but no data rows/,
  },
  {
    name: "a short row",
    text: "1,2\n3\n",
    error: TypeError,
    message: /row 2 has 1 cell, expected 2 \(as in row 1\)/,
  },
  {
    name: "a long row",
    text: "1,2\n3,4\n5,6,7\n",
    error: TypeError,
    message: /row 3 has 3 cells, expected 2/,
  },
  {
    name: "a blank line inside",
    text: "1,2\n\n3,4\n",
    error: TypeError,
    message: /row 2 is blank/,
  },
  {
    name: "a word among numbers",
    text: "1,x\n",
    error: TypeError,
    message: /row 1, column 2: cannot read "x" as a number/,
  },
  {
    name: "a non-numeric cell under a header",
    text: "g,s1,s2\na,1,2\nb,3,oops\n",
    options: { header: true, rowLabels: true },
    error: TypeError,
    message: /row 3, column 3 \("s2"\): cannot read "oops"/,
  },
  {
    name: "a hexadecimal number",
    text: "0x10\n",
    error: TypeError,
    message: /row 1, column 1: cannot read "0x10"/,
  },
  {
    name: "a decimal comma",
    text: '"1,5",2\n',
    error: TypeError,
    message: /row 1, column 1: cannot read "1,5"/,
  },
  { name: "an empty cell", text: "1,,3\n", error: TypeError, message: /row 1, column 2 is empty/ },
  {
    name: "NaN",
    text: "1,NaN\n",
    error: RangeError,
    message: /row 1, column 2 holds "NaN", expected a finite/,
  },
  { name: "Infinity", text: "-Infinity,1\n", error: RangeError, message: /holds "-Infinity"/ },
  { name: "inf", text: "inf\n", error: RangeError, message: /holds "inf"/ },
  {
    name: "an overflowing number",
    text: "1e999\n",
    error: RangeError,
    message: /overflows to Infinity/,
  },
  {
    name: "a negative value where nonNegative is set",
    text: "1,2\n3,-2\n",
    options: { nonNegative: true },
    error: RangeError,
    message: /row 2, column 2 holds the negative value -2, but nonNegative: true/,
  },
  {
    name: "labels but no values",
    text: "a\nb\n",
    options: { rowLabels: true },
    error: TypeError,
    message: /row 1 has 1 cell, expected at least 2/,
  },
];

for (const c of bad) {
  Deno.test(`parseMatrixCsv() rejects ${c.name}`, () => {
    assert.throws(() => parseMatrixCsv(c.text, c.options ?? {}), (e: unknown) => {
      assert.ok(e instanceof c.error, `expected ${c.error.name}, got ${e}`);
      assert.match((e as Error).message, c.message);
      return true;
    });
  });
}

Deno.test("parseMatrixCsv() names the source in its errors and allows negatives by default", () => {
  assert.throws(() => parseMatrixCsv("1,a\n", { source: "my.csv" }), /^TypeError: my\.csv: row 1/);
  assert.deepEqual(parseMatrixCsv("-1,2\n").matrix.toRows(), [[-1, 2]]);
});

Deno.test("formatMatrixCsv() then parseMatrixCsv() returns every finite double exactly", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
        minLength: 1,
        maxLength: 30,
      }),
      (cols, values) => {
        const rows = Math.floor(values.length / cols);
        if (rows === 0) return;
        const M = Matrix.from(values.slice(0, rows * cols), rows, cols);
        const back = parseMatrixCsv(formatMatrixCsv(M)).matrix;
        // -0 is written as 0, which is the same number for NMF.
        assert.deepEqual(Array.from(back.data), Array.from(M.data, (v) => (v === 0 ? 0 : v)));
      },
    ),
  );
});

Deno.test("formatCsvNumber() rounds to significant digits and writes the shortest form", () => {
  assert.equal(formatCsvNumber(0.28888887, 6), "0.288889");
  assert.equal(formatCsvNumber(3, 6), "3");
  assert.equal(formatCsvNumber(1.23456789e-7, 3), "1.23e-7");
  assert.equal(formatCsvNumber(123456789, 3), "123000000");
  assert.equal(formatCsvNumber(0.1 + 0.2), "0.30000000000000004");
  assert.throws(() => formatCsvNumber(NaN), RangeError);
});

Deno.test("formatMatrixCsv() quotes labels and rejects mismatched labels and non-finite entries", () => {
  const M = Matrix.fromRows([[1, 2]]);
  assert.equal(
    formatMatrixCsv(M, { rowLabels: ['a,"b"'], colLabels: ["x", "y"], rowLabelHeader: "id" }),
    'id,x,y\n"a,""b""",1,2\n',
  );
  assert.throws(
    () => formatMatrixCsv(M, { colLabels: ["x"] }),
    /colLabels has length 1, expected 2/,
  );
  assert.throws(() => formatMatrixCsv(M, { rowLabels: [] }), /rowLabels has length 0, expected 1/);
  assert.throws(() => formatMatrixCsv(M, { precision: 0 }), RangeError);
  assert.throws(
    () => formatMatrixCsv(Matrix.fromRows([[1, NaN]])),
    /M\(0, 1\) is NaN, expected a finite number/,
  );
});

Deno.test("writeMatrixCsv() and readMatrixCsv() round-trip through a file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/m.csv`;
    const M = Matrix.fromRows([[0.5, 1], [2, 3e-12]]);
    writeMatrixCsv(path, M, { colLabels: ["a", "b"], rowLabels: ["r1", "r2"], rowLabelHeader: "" });
    const back = readMatrixCsv(path, { header: true, rowLabels: true, nonNegative: true });
    assert.deepEqual(back.matrix.toRows(), M.toRows());
    assert.deepEqual(back.colLabels, ["a", "b"]);
    Deno.writeTextFileSync(path, "1,2\n3\n");
    assert.throws(() => readMatrixCsv(path), new RegExp(`${path}: row 2 has 1 cell`));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
