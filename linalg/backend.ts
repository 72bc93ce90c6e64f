/**
 * Choosing the backend for the dense products: `portable` (pure TypeScript, runs anywhere) or
 * `blas` (the system OpenBLAS over Deno FFI). `auto` picks `blas` when it can be loaded and
 * `portable` otherwise.
 *
 * @module
 */

import { type Backend, portableBackend } from "./kernels.ts";

/** The names accepted by the `backend` option. */
export type BackendName = "auto" | "portable" | "blas";

/** The accepted backend names. */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "portable", "blas"];

/** A backend that can be loaded on demand (the BLAS one registers itself here). */
export interface BackendLoader {
  /** Load the backend, or return a one-line reason why it cannot be loaded here. */
  load(): Backend | string;
}

let blasLoader: BackendLoader | null = null;
let blasCache: Backend | string | null = null;

/** Register the loader of the `blas` backend (done by `linalg/blas.ts` when it is imported). */
export function registerBlasLoader(loader: BackendLoader): void {
  blasLoader = loader;
  blasCache = null;
}

/**
 * The backend for `name`, plus a one-line notice when `auto` or `blas` fell back to `portable`.
 * Never throws for a missing library or permission.
 */
export function resolveBackend(name: BackendName): { backend: Backend; notice: string | null } {
  if (name === "portable") return { backend: portableBackend, notice: null };
  if (blasCache === null) {
    blasCache = blasLoader === null ? "the blas backend is not loaded" : blasLoader.load();
  }
  if (typeof blasCache !== "string") return { backend: blasCache, notice: null };
  return {
    backend: portableBackend,
    notice: `blas backend unavailable (${blasCache}); using portable`,
  };
}
