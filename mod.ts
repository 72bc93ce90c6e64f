/**
 * nmflab — non-negative matrix factorization, V ≈ WH with W, H ≥ 0, built to be learned from.
 *
 * ```ts
 * import { Matrix, nmf } from "./mod.ts";
 * const V = Matrix.fromRows([[1, 2, 3], [2, 4, 6], [1, 0, 1]]);
 * const result = nmf(V, { rank: 2, solver: "mu", beta: "frobenius", seed: 1 });
 * console.log(result.iterations, result.relativeError);
 * ```
 *
 * The core (matrices, losses, initializations, solvers, the traced driver) runs in any
 * JavaScript runtime; only the optional BLAS backend, the data loaders and file output use Deno.
 *
 * @module
 */
export * from "./linalg/matrix.ts";
export * from "./linalg/rng.ts";
export * from "./linalg/kernels.ts";
export { releaseResident, residentCopy } from "./linalg/wasm_heap.ts";
export {
  portableThreads,
  portableThreadsReady,
  type PortableThreadStats,
  portableThreadStats,
  setPortableThreads,
} from "./linalg/wasm_threads.ts";
export * from "./linalg/svd.ts";
export * from "./linalg/cholesky.ts";
export * from "./linalg/nnls.ts";
export * from "./linalg/backend.ts";
export * from "./linalg/blas.ts";
export * from "./linalg/fused_pass.ts";
export * from "./linalg/csr.ts";
export * from "./losses.ts";
export * from "./init/initialize.ts";
export * from "./solvers/mod.ts";
export * from "./nmf.ts";
export * from "./research/mod.ts";
export * from "./data/mod.ts";
export * from "./plots/mod.ts";
export * from "./display.ts";
