#!/usr/bin/env python3
"""Build data/digits.csv and data/digits_labels.csv from Debian's python3-sklearn.

Source: /usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz (the UCI optical
digits test set: 1797 images of 8x8 pixels with values 0..16; the last column is the digit).

Output (pixels x images, so that NMF's W columns are basis images):
  digits.csv         header "pixel,img0,...,img1796"; then 64 rows "r{row}c{col}" (row-major
                     pixel order of the 8x8 image) followed by 1797 integers.
  digits_labels.csv  header "image,digit"; then 1797 rows "img{j},{digit}".
Numbers are written as plain integers; lines end with "\n".

Usage: python3 scripts/data/digits.py [OUT_DIR]   (default: data/ next to scripts/)
"""
import csv
import gzip
import io
import os
import sys

SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "data")
    with gzip.open(SOURCE, "rt") as f:
        records = [[float(x) for x in row] for row in csv.reader(f) if row]
    images = []
    labels = []
    for k, rec in enumerate(records):
        if len(rec) != 65:
            sys.exit(f"{SOURCE}: record {k + 1} has {len(rec)} fields, expected 65")
        values = [int(v) for v in rec[:64]]
        if any(v != x for v, x in zip(values, rec[:64])) or min(values) < 0 or max(values) > 16:
            sys.exit(f"{SOURCE}: record {k + 1} has values outside the integers 0..16")
        images.append(values)
        labels.append(int(rec[64]))
    n = len(images)
    buf = io.StringIO()
    buf.write("pixel," + ",".join(f"img{j}" for j in range(n)) + "\n")
    for p in range(64):
        buf.write(f"r{p // 8}c{p % 8}," + ",".join(str(images[j][p]) for j in range(n)) + "\n")
    with open(os.path.join(out_dir, "digits.csv"), "w", newline="") as f:
        f.write(buf.getvalue())
    with open(os.path.join(out_dir, "digits_labels.csv"), "w", newline="") as f:
        f.write("image,digit\n")
        for j, d in enumerate(labels):
            f.write(f"img{j},{d}\n")
    print(f"digits: 64 x {n} -> {out_dir}")


if __name__ == "__main__":
    main()
