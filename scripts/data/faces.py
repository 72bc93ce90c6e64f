#!/usr/bin/env python3
"""Build data/faces.csv from Debian's python3-skimage.

Source: /usr/lib/python3/dist-packages/skimage/data/lfw_subset.npy, an array of 200 grey images
of 25x25 pixels with values in [0, 1]; the first 100 are faces from Labeled Faces in the Wild,
the other 100 are background patches (not used here).

Output (pixels x faces, so that NMF's W columns are basis images):
  faces.csv  header "pixel,face0,...,face99"; then 625 rows "r{row}c{col}" (row-major pixel
             order of the 25x25 image) followed by 100 values.
Each value is written with C printf "%.6g" (6 significant digits, shortest of fixed/exponent
form, trailing zeros removed); lines end with "\n".

Usage: python3 scripts/data/faces.py [OUT_DIR]   (default: data/ next to scripts/)
"""
import os
import sys

import numpy as np

SOURCE = "/usr/lib/python3/dist-packages/skimage/data/lfw_subset.npy"
FACES = 100
SIDE = 25


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "data")
    images = np.load(SOURCE)
    if images.shape != (200, SIDE, SIDE):
        sys.exit(f"{SOURCE}: shape {images.shape}, expected (200, 25, 25)")
    faces = images[:FACES].reshape(FACES, SIDE * SIDE).astype(np.float64)
    if faces.min() < 0 or faces.max() > 1:
        sys.exit(f"{SOURCE}: values outside [0, 1]")
    lines = ["pixel," + ",".join(f"face{j}" for j in range(FACES))]
    for p in range(SIDE * SIDE):
        cells = ("%.6g" % float(faces[j, p]) for j in range(FACES))
        lines.append(f"r{p // SIDE}c{p % SIDE}," + ",".join(cells))
    with open(os.path.join(out_dir, "faces.csv"), "w", newline="") as f:
        f.write("\n".join(lines) + "\n")
    print(f"faces: {SIDE * SIDE} x {FACES} -> {out_dir}")


if __name__ == "__main__":
    main()
