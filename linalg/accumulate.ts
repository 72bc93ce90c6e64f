/**
 * Bringing a product computed somewhere else (WebAssembly memory, a BLAS scratch buffer) back into
 * the caller's matrix with the `alpha`/`beta` of `gemmInto`, transposed or not.
 *
 * @module
 */

/**
 * `out ← alpha·S + beta·out`, where S is the `rows`×`cols` block of `src` starting at `offset` with
 * row stride `ld`; with `transpose`, `out ← alpha·Sᵀ + beta·out` (out is then `cols`×`rows`).
 * beta = 0 overwrites `out`, NaN included.
 */
export function accumulateInto(
  out: Float64Array,
  src: Float64Array,
  offset: number,
  ld: number,
  rows: number,
  cols: number,
  alpha: number,
  beta: number,
  transpose: boolean,
): void {
  if (transpose) {
    // out[j·rows + i] ← alpha·S[i, j] + beta·out[j·rows + i]
    for (let i = 0; i < rows; i++) {
      const s = offset + i * ld;
      for (let j = 0; j < cols; j++) {
        const q = j * rows + i, c = alpha * (src[s + j] as number);
        out[q] = beta === 0 ? c : c + beta * (out[q] as number);
      }
    }
    return;
  }
  if (alpha === 1 && beta === 0) {
    // a plain copy: whole rows with set(), several times faster than an element loop
    if (ld === cols) out.set(src.subarray(offset, offset + rows * cols));
    else {
      for (let i = 0; i < rows; i++) {
        const s = offset + i * ld;
        out.set(src.subarray(s, s + cols), i * cols);
      }
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    const s = offset + i * ld, d = i * cols;
    if (beta === 0) {
      for (let j = 0; j < cols; j++) out[d + j] = alpha * (src[s + j] as number);
    } else {
      for (let j = 0; j < cols; j++) {
        out[d + j] = alpha * (src[s + j] as number) + beta * (out[d + j] as number);
      }
    }
  }
}
