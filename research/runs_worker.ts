/**
 * The worker side of {@linkcode nmfRunsAsync}: receives V, the options and one seed per
 * message, runs `nmf` and posts the result back with every matrix as `{ data, rows, cols }`.
 * It imports the blas backend's loader as `mod.ts` does, so that `backend: "auto"` resolves the
 * same way in a worker as in the main thread.
 *
 * @module
 */

import { setBlasFusedPass } from "../linalg/blas.ts";
import { setPortableThreads } from "../linalg/wasm_threads.ts";
import { nmf, type NmfOptions } from "../nmf.ts";
import { fromTransfer, type RunReply, type RunRequest, toTransfer } from "./runs_transfer.ts";

const scope = globalThis as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<RunRequest>) => void): void;
  postMessage(message: RunReply): void;
};

// The runs already keep every core busy, one fit per worker: products stay on this thread, and
// the blas backend's fused pass (which sets OpenBLAS, a process-wide library, to one thread while
// it runs) is left to fits on the main thread.
setPortableThreads(1);
setBlasFusedPass(false);

scope.addEventListener("message", (event) => {
  const { index, V, options, seed } = event.data;
  const warnings: string[] = [];
  try {
    const opts = fromTransfer(options) as NmfOptions;
    const result = nmf(fromTransfer(V) as never, { ...opts, seed, warn: (m) => warnings.push(m) });
    scope.postMessage({ index, result: toTransfer(result) });
  } catch (error) {
    const e = error as Error;
    scope.postMessage({
      index,
      error: { name: e?.name ?? "Error", message: String(e?.message ?? e) },
    });
  }
});
