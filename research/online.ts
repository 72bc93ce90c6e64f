/**
 * Online (minibatch) NMF for data that arrives in chunks of columns (Mairal, Bach, Ponce &
 * Sapiro 2010, "Online learning for matrix factorization and sparse coding", JMLR 11; the same
 * scheme as scikit-learn's `MiniBatchNMF` for the Frobenius loss).
 *
 * The batch objective ½‖V − WH‖² over all columns seen so far can be written with two small
 * summaries: for a fixed set of coefficients, ½‖V − WH‖² = ½Tr(WᵀW A) − Tr(Wᵀ B) + const with
 * A = Σ_t h_t h_tᵀ (k×k) and B = Σ_t v_t h_tᵀ (m×k). Online NMF keeps only A and B:
 *   1. for a new chunk X (m×b), solve its coefficients exactly with W fixed:
 *      H = argmin_{H ≥ 0} ‖X − WH‖²  (non-negative least squares);
 *   2. fold the chunk in: A ← ρA + HHᵀ, B ← ρB + XHᵀ (ρ ≤ 1 forgets old chunks, whose H were
 *      computed with an older, worse W);
 *   3. improve W on the surrogate ½Tr(WᵀWA) − Tr(WᵀB) by block coordinate descent on its
 *      columns, w_j ← max(0, w_j + (b_j − W a_j) / A_jj) (exact minimization in w_j).
 * Memory is O(mk + k²) whatever the number of columns seen; each chunk costs O(mbk + mk²).
 *
 * @module
 */

import { formatValue, Matrix } from "../linalg/matrix.ts";
import { gemmInto } from "../linalg/kernels.ts";
import { createNnlsWork, nnlsInto } from "../linalg/nnls.ts";
import { createRng } from "../linalg/rng.ts";
import { validateData } from "../nmf.ts";
import { checkInteger, checkMatrix, checkNumber, checkOptionKeys } from "./checks.ts";
import { transform } from "./transform.ts";

/** Options of {@linkcode OnlineNmf}. */
export interface OnlineNmfOptions {
  /** Number of components k. */
  rank: number;
  /** Seed of the random initial W (drawn from the first chunk's scale). @default 0 */
  seed?: number;
  /**
   * Forgetting factor ρ in (0, 1] applied to the summaries A and B before each chunk is added
   * (1 remembers everything equally). @default 0.95
   */
  forget?: number;
  /** Coordinate-descent sweeps over the columns of W after each chunk. @default 10 */
  sweeps?: number;
  /** Initial basis (m×k, copied) instead of a random one. @default random, from the first chunk */
  init?: Matrix;
}

/**
 * An online NMF model: feed chunks of columns with `partialFit`, read the basis from
 * `components`, project data with `transform`.
 *
 * @example Three passes over a stream of 4 chunks
 * ```ts
 * import { createRng, Matrix, OnlineNmf } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const rng = createRng(1);
 * const W0 = Matrix.generate(10, 2, () => rng.uniform());
 * const chunks = [0, 1, 2, 3].map(() => W0.multiply(Matrix.generate(2, 5, () => rng.uniform())));
 * const model = new OnlineNmf({ rank: 2, seed: 1 });
 * for (let pass = 0; pass < 30; pass++) for (const X of chunks) model.partialFit(X);
 * assert.equal(model.components.cols, 2);
 * assert.ok(model.lastLoss < 1e-3 * chunks[3]!.frobeniusNorm() ** 2);
 * ```
 */
export class OnlineNmf {
  /** Number of components. */
  readonly rank: number;
  /** Forgetting factor ρ. */
  readonly forget: number;
  /** Coordinate-descent sweeps per chunk. */
  readonly sweeps: number;
  /** Chunks seen so far. */
  chunks: number = 0;
  /** Columns seen so far. */
  samples: number = 0;
  /** ½‖X − WH‖² of the last chunk, with its H computed before W was updated (NaN before any chunk). */
  lastLoss: number = NaN;
  #seed: number;
  #W: Matrix | null = null;
  #A: Matrix | null = null;
  #B: Matrix | null = null;

  /** A model with no chunk seen yet (W is drawn from the first chunk's scale unless `init` is given). */
  constructor(options: OnlineNmfOptions) {
    checkOptionKeys("OnlineNmf", options, ["rank", "seed", "forget", "sweeps", "init"]);
    this.rank = checkInteger("OnlineNmf", "rank", options.rank, 1);
    this.#seed = checkNumber("OnlineNmf", "seed", options.seed ?? 0, -Number.MAX_VALUE);
    this.forget = checkNumber("OnlineNmf", "forget", options.forget ?? 0.95, Number.MIN_VALUE, 1);
    this.sweeps = checkInteger("OnlineNmf", "sweeps", options.sweeps ?? 10, 1);
    if (options.init !== undefined) {
      if (!(options.init instanceof Matrix) || options.init.cols !== this.rank) {
        throw new TypeError(
          `OnlineNmf: init must be an m×${this.rank} Matrix, got ${formatValue(options.init)}`,
        );
      }
      if (!(options.init.min() >= 0) || !Number.isFinite(options.init.max())) {
        throw new RangeError("OnlineNmf: init must be non-negative and finite");
      }
      this.#W = options.init.clone();
    }
  }

  /** The current basis W (m×k), a copy. Throws before the first chunk (m is not known yet). */
  get components(): Matrix {
    if (this.#W === null) {
      throw new RangeError("OnlineNmf: components are not defined before the first partialFit");
    }
    return this.#W.clone();
  }

  /** Fold one chunk of columns (m×b) into the model and update W. Returns the model. */
  partialFit(chunk: Matrix): this {
    checkMatrix("OnlineNmf.partialFit", "chunk", chunk);
    validateData(chunk, "OnlineNmf.partialFit");
    const m = chunk.rows, b = chunk.cols, k = this.rank;
    if (this.#W === null) {
      const rng = createRng(this.#seed);
      const scale = Math.sqrt(chunk.sum() / chunk.size / k);
      this.#W = Matrix.generate(m, k, () => scale * Math.abs(rng.normal()));
    }
    const W = this.#W;
    if (W.rows !== m) {
      throw new TypeError(
        `OnlineNmf.partialFit: chunk must have ${W.rows} rows (as the earlier chunks), got ${m}`,
      );
    }
    if (this.#A === null) this.#A = Matrix.zeros(k, k);
    if (this.#B === null) this.#B = Matrix.zeros(m, k);
    const A = this.#A, B = this.#B;
    // 1. coefficients of the chunk with W fixed
    const G = Matrix.zeros(k, k), C = Matrix.zeros(k, b), H = Matrix.zeros(k, b);
    gemmInto(G, W, W, { transA: true });
    gemmInto(C, W, chunk, { transA: true });
    nnlsInto(H, G, C, { work: createNnlsWork(k, b) });
    this.lastLoss = halfSquaredResidual(chunk, W, H);
    // 2. summaries
    const rho = this.chunks === 0 ? 0 : this.forget;
    gemmInto(A, H, H, { transB: true, beta: rho });
    gemmInto(B, chunk, H, { transB: true, beta: rho });
    // 3. block coordinate descent on the columns of W
    const w = W.data, a = A.data, bb = B.data;
    for (let sweep = 0; sweep < this.sweeps; sweep++) {
      for (let j = 0; j < k; j++) {
        const ajj = a[j * k + j] as number;
        if (!(ajj > 0)) continue; // component unused so far: nothing to fit it to
        for (let i = 0; i < m; i++) {
          let wa = 0;
          for (let t = 0; t < k; t++) wa += (w[i * k + t] as number) * (a[t * k + j] as number);
          const next = (w[i * k + j] as number) + ((bb[i * k + j] as number) - wa) / ajj;
          w[i * k + j] = next > 0 ? next : 0;
        }
      }
    }
    this.chunks++;
    this.samples += b;
    return this;
  }

  /** Coefficients H ≥ 0 of data X on the current basis (NNLS, as `transform`). */
  transform(X: Matrix): Matrix {
    return transform(this.components, X);
  }
}

function halfSquaredResidual(X: Matrix, W: Matrix, H: Matrix): number {
  const WH = W.multiply(H);
  let s = 0;
  for (let i = 0; i < X.size; i++) {
    const d = (X.data[i] as number) - (WH.data[i] as number);
    s += d * d;
  }
  return 0.5 * s;
}
