/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded by splitmix32), so that every
 * random initialization, generator and experiment in nmflab is reproducible bit for bit on any
 * JavaScript engine: it uses only 32-bit integer arithmetic (`Math.imul`, shifts).
 *
 * `uniform()` returns doubles in [0, 1) with 53 random bits; it can be passed to `d3-random`'s
 * `.source(...)` as well.
 *
 * @module
 */

import { formatValue } from "./matrix.ts";

/** A seeded stream of random numbers. */
export interface Rng {
  /** The seed this stream started from. */
  readonly seed: number;
  /** A uniform double in [0, 1). */
  uniform(): number;
  /** A standard normal draw (Box–Muller). */
  normal(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A fresh, independent stream derived from this one (for parallel or nested use). */
  fork(): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded random stream. The same seed gives the same numbers everywhere.
 *
 * @param seed any finite number; non-integers and negatives are folded into 32 bits.
 * @example
 * ```ts
 * import { createRng } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const a = createRng(7), b = createRng(7);
 * assert.equal(a.uniform(), b.uniform());
 * ```
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`createRng: seed must be a finite number, got ${formatValue(seed)}`);
  }
  // Fold any finite double into 32 bits, mixing the high part so 1 and 2**32 + 1 differ.
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const mix = splitmix32((lo ^ Math.imul(hi, 0x27d4eb2d)) >>> 0);
  let a = mix(), b = mix(), c = mix(), d = mix();
  if ((a | b | c | d) === 0) a = 1;
  const next32 = (): number => {
    const t = b << 9;
    let r = Math.imul(b, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return r >>> 0;
  };
  let spare: number | null = null;
  const rng: Rng = {
    seed,
    uniform() {
      // 53 bits: 26 from one draw, 27 from the next.
      const x = next32() >>> 6;
      const y = next32() >>> 5;
      return (x * 134217728 + y) / 9007199254740992;
    },
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = rng.uniform();
      const v = rng.uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    int(n: number) {
      return Math.floor(rng.uniform() * n);
    },
    fork() {
      return createRng(next32() * 65536 + (next32() >>> 16));
    },
  };
  return rng;
}
