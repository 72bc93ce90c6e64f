/** Shared fixtures with known answers for the tests. */
import { createRng, Matrix, setPortableThreads } from "../mod.ts";

/** A planted exactly factorizable problem V = W*H* with positive random factors. */
export function planted(
  m: number,
  n: number,
  k: number,
  seed = 1,
): { V: Matrix; W: Matrix; H: Matrix } {
  const rng = createRng(seed);
  const W = Matrix.generate(m, k, () => rng.uniform() + 0.05);
  const H = Matrix.generate(k, n, () => rng.uniform() + 0.05);
  return { V: W.multiply(H), W, H };
}

/** A random strictly positive matrix. */
export function randomPositive(m: number, n: number, seed = 1, floor = 0.01): Matrix {
  const rng = createRng(seed);
  return Matrix.generate(m, n, () => rng.uniform() + floor);
}

/**
 * A 6×3 factor W whose product V = W·Wᵀ (6×6, rank 3) has a unique NMF up to scaling and
 * permutation (the kind of example studied by Laurberg et al. 2008). Proof: W holds the identity
 * in rows S = {3, 4, 5} and H = Wᵀ holds it in columns T = {3, 4, 5}. If V = W'H' is another rank-3
 * NMF then H = V_S = W'_S H' and W = V_T = W' H'_T, so V = W' (H'_T W'_S) H' and, V having rank 3,
 * H'_T W'_S = I; a product of two non-negative 3×3 matrices equal to I forces both to be
 * monomial, hence W' = W·(scaling·permutation).
 */
export const LAURBERG_W = Matrix.fromRows([
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
  [0, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
]);

/** Relative Frobenius distance ‖A − B‖ / ‖B‖. */
export function relativeDistance(A: Matrix, B: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.size; i++) s += ((A.data[i] as number) - (B.data[i] as number)) ** 2;
  return Math.sqrt(s) / B.frobeniusNorm();
}

/** Whether every entry is finite and ≥ 0. */
export function nonNegativeFinite(M: Matrix): boolean {
  return M.data.every((v) => Number.isFinite(v) && v >= 0);
}

/** What {@linkcode runDenoScript} returns. */
export interface ScriptRun {
  success: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Run TypeScript `code` in a fresh Deno process (the project's deno.json as config, so its import
 * map applies) with the given permission flags. `MOD` in the code is replaced by the URL of
 * the project's mod.ts.
 */
export async function runDenoScript(code: string, permissions: string[]): Promise<ScriptRun> {
  const dir = await Deno.makeTempDir({ prefix: "nmflab-script-" });
  try {
    const file = `${dir}/script.ts`;
    await Deno.writeTextFile(
      file,
      code.replaceAll("MOD", new URL("../mod.ts", import.meta.url).href),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-check",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        ...permissions,
        file,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Run `f` with the portable backend's threads set to `count`, restoring the setting after. */
export function withThreads<T>(count: number, f: () => T): T {
  const before = setPortableThreads(count);
  try {
    return f();
  } finally {
    setPortableThreads(before);
  }
}
