/**
 * Notebook 6 — geometry and hardness.
 *
 * V = WH with H ≥ 0 says every column of V lies in the convex cone spanned by the columns of W.
 * Scaling columns to sum 1 turns cones into polytopes on the probability simplex: NMF looks for
 * k points whose convex hull contains the data and stays inside the simplex. The experiments
 * check that picture on 3-row data (triangles in a triangle), let SPA find the extreme columns of
 * separable data, show that a rank-3 matrix can need 4 non-negative components (exercise 6),
 * and that restarts end in different stationary points.
 *
 * @module
 */

import {
  barsDataset,
  Matrix,
  nmf,
  type NmfResult,
  nmfRuns,
  nonnegativeRankExample,
  plantedNmf,
  spa,
  svd,
} from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** Columns scaled to sum 1 (zero columns left as they are). */
export function columnsOnSimplex(M: Matrix): Matrix {
  const out = M.clone();
  for (let j = 0; j < M.cols; j++) {
    let s = 0;
    for (let i = 0; i < M.rows; i++) s += M.data[i * M.cols + j] as number;
    if (!(s > 0)) continue;
    for (let i = 0; i < M.rows; i++) {
      out.data[i * M.cols + j] = (M.data[i * M.cols + j] as number) / s;
    }
  }
  return out;
}

/** |det| of a 3×3 matrix: for columns on the simplex, the area of their triangle over the simplex's. */
export function triangleAreaRatio(W: Matrix): number {
  if (W.rows !== 3 || W.cols !== 3) {
    throw new TypeError(`triangleAreaRatio: W must be 3×3, got ${W.rows}×${W.cols}`);
  }
  const A = columnsOnSimplex(W);
  const a = (i: number, j: number) => A.get(i, j);
  return Math.abs(
    a(0, 0) * (a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1)) -
      a(0, 1) * (a(1, 0) * a(2, 2) - a(1, 2) * a(2, 0)) +
      a(0, 2) * (a(1, 0) * a(2, 1) - a(1, 1) * a(2, 0)),
  );
}

/** What {@linkcode simplexGeometry} returns. */
export interface SimplexGeometryResult {
  /** 3×n separable data: every column a convex combination of W*'s columns, W*'s own among them. */
  V: Matrix;
  /** The planted W* (3×3). */
  W: Matrix;
  /** The columns of V that equal W*'s columns. */
  anchors: number[];
  /** One NMF fit per seed (different triangles, all containing the data). */
  fits: NmfResult[];
  /** Columns SPA selects. */
  spaColumns: number[];
  /** Area of W*'s triangle and of each fit's, as fractions of the simplex. */
  plantedArea: number;
  /** Area of each fit's triangle, as a fraction of the simplex's. */
  fitAreas: number[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Triangles in a triangle: 3-row separable data, NMF fits from several seeds, and SPA.
 *
 * @example
 * ```ts
 * import { simplexGeometry } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(simplexGeometry({ quick: true }).checks.every((c) => c.passed));
 * ```
 */
export function simplexGeometry(options: ExperimentOptions = {}): SimplexGeometryResult {
  const seed = options.seed ?? 0;
  const n = options.quick ? 30 : 60;
  const planted = plantedNmf(3, n, { rank: 3, structure: "separable", seed: seed + 1 });
  // Uniform entries put every normalized column near the simplex's centre; their fourth powers
  // spread the planted corners out so the picture is readable. V = W*H* stays exactly separable.
  const W = planted.W.map((x) => x ** 4);
  const p = { W, V: W.multiply(planted.H), anchors: planted.anchors };
  const fits = [1, 2, 3].map((s) =>
    nmf(p.V, {
      rank: 3,
      solver: "hals",
      init: "random",
      seed: seed * 100 + s,
      maxIter: 2000,
      tol: 1e-12,
    })
  );
  const spaColumns = spa(p.V, { rank: 3 }).columns;
  const anchors = p.anchors ?? [];
  const plantedArea = triangleAreaRatio(p.W);
  const fitAreas = fits.map((f) => triangleAreaRatio(f.W));
  const worst = Math.max(...fits.map((f) => f.relativeError));
  const sorted = (a: number[]) => JSON.stringify([...a].sort((x, y) => x - y));
  return {
    V: p.V,
    W: p.W,
    anchors,
    fits,
    spaColumns,
    plantedArea,
    fitAreas,
    checks: [
      checkClaim(
        "every fit puts all data in its cone (relative error < 1e-4)",
        worst < 1e-4,
        worst,
      ),
      checkClaim(
        "every fitted triangle is at least as large as the planted one (it must contain the anchors)",
        Math.min(...fitAreas) >= plantedArea * (1 - 1e-3),
        Math.min(...fitAreas) / plantedArea,
      ),
      checkClaim(
        "SPA selects exactly the three anchor columns",
        sorted(spaColumns) === sorted(anchors),
        spaColumns.join(","),
      ),
    ],
  };
}

/** One noise level of {@linkcode spaRecovery}. */
export interface SpaRecoveryRow {
  /** Standard deviation of the Gaussian noise. */
  sigma: number;
  /** How many of the k anchors SPA selected. */
  anchorsFound: number;
  /** Relative error of the separable fit W = V[:, columns], H = NNLS. */
  relativeError: number;
}

/** What {@linkcode spaRecovery} returns. */
export interface SpaRecoveryResult {
  /** m, n, k. */
  shape: [number, number, number];
  /** One row per noise level. */
  rows: SpaRecoveryRow[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * SPA on separable data with growing Gaussian noise: how many of the planted anchor columns it
 * finds.
 *
 * @example
 * ```ts
 * import { spaRecovery } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(spaRecovery({ quick: true }).checks.every((c) => c.passed));
 * ```
 */
export function spaRecovery(options: ExperimentOptions = {}): SpaRecoveryResult {
  const seed = options.seed ?? 0;
  const m = options.quick ? 30 : 60, n = options.quick ? 40 : 100, k = 5;
  const sigmas = options.quick ? [0, 0.01, 0.1] : [0, 0.001, 0.01, 0.03, 0.1, 0.3];
  const rows = sigmas.map((sigma) => {
    const p = plantedNmf(m, n, {
      rank: k,
      structure: "separable",
      seed: seed + 7,
      ...(sigma > 0 ? { noise: "gaussian" as const, sigma } : {}),
    });
    const fit = spa(p.V, { rank: k });
    const anchors = new Set(p.anchors ?? []);
    return {
      sigma,
      anchorsFound: fit.columns.filter((c) => anchors.has(c)).length,
      relativeError: fit.relativeError,
    };
  });
  const clean = rows[0] as SpaRecoveryRow;
  return {
    shape: [m, n, k],
    rows,
    checks: [
      checkClaim(
        "without noise SPA finds all k anchors",
        clean.anchorsFound === k,
        clean.anchorsFound,
      ),
      checkClaim(
        "without noise the separable fit is exact (relative error < 1e-10)",
        clean.relativeError < 1e-10,
        clean.relativeError,
      ),
    ],
  };
}

/** Options of {@linkcode nonnegativeRankGap}. */
export interface NonnegativeRankGapOptions extends ExperimentOptions {
  /** Random restarts of the rank-3 NMF. @default 50 (10 when quick) */
  runs?: number;
}

/** What {@linkcode nonnegativeRankGap} returns. */
export interface NonnegativeRankGapResult {
  /** [[1,1,0,0],[0,1,1,0],[0,0,1,1],[1,0,0,1]]. */
  V: Matrix;
  /** Singular values of V. */
  singularValues: number[];
  /** ‖V − V₃‖/‖V‖ for the rank-3 truncated SVD V₃. */
  svdRank3Error: number;
  /** Relative error of every rank-3 NMF restart. */
  nmfRank3Errors: number[];
  /** The best rank-3 restart. */
  bestRank3: NmfResult;
  /** Relative error of every rank-4 NMF restart. */
  nmfRank4Errors: number[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Exercise 6: V has rank 3, so the rank-3 SVD reproduces it exactly, yet no rank-3 NMF does —
 * over many restarts the best relative error stays near 0.27; with 4 components NMF is exact.
 *
 * @example
 * ```ts
 * import { nonnegativeRankGap } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(nonnegativeRankGap({ quick: true }).checks.every((c) => c.passed));
 * ```
 */
export function nonnegativeRankGap(
  options: NonnegativeRankGapOptions = {},
): NonnegativeRankGapResult {
  const seed = options.seed ?? 0;
  const runs = options.runs ?? (options.quick ? 10 : 50);
  const { V } = nonnegativeRankExample();
  const s = svd(V);
  const U3 = Matrix.generate(4, 3, (i, j) => s.U.get(i, j) * (s.S[j] as number));
  const V3 = U3.multiply(Matrix.generate(3, 4, (i, j) => s.Vt.get(i, j)));
  let r = 0;
  for (let i = 0; i < V.size; i++) r += ((V.data[i] as number) - (V3.data[i] as number)) ** 2;
  const svdRank3Error = Math.sqrt(r) / V.frobeniusNorm();
  const settings = { solver: "hals" as const, maxIter: 1000, tol: 1e-10, seed, runs };
  const rank3 = nmfRuns(V, { ...settings, rank: 3 });
  const rank4 = nmfRuns(V, { ...settings, rank: 4, maxIter: 3000, tol: 1e-14 });
  const nmfRank3Errors = rank3.results.map((f) => f.relativeError);
  const nmfRank4Errors = rank4.results.map((f) => f.relativeError);
  const best3 = Math.min(...nmfRank3Errors);
  const best4 = Math.min(...nmfRank4Errors);
  return {
    V,
    singularValues: Array.from(s.S),
    svdRank3Error,
    nmfRank3Errors,
    bestRank3: rank3.best,
    nmfRank4Errors,
    checks: [
      checkClaim(
        "the 4th singular value is 0 (to 1e-12): rank 3",
        (s.S[3] as number) < 1e-12,
        s.S[3] as number,
      ),
      checkClaim(
        "the rank-3 truncated SVD reproduces V (relative error < 1e-12)",
        svdRank3Error < 1e-12,
        svdRank3Error,
      ),
      checkClaim(
        `the best of ${runs} rank-3 NMF restarts has relative error > 0.25 (bounded away from 0)`,
        best3 > 0.25,
        best3,
      ),
      checkClaim("a rank-4 NMF is exact (relative error < 1e-8)", best4 < 1e-8, best4),
    ],
  };
}

/** Options of {@linkcode restartMinima}. */
export interface RestartMinimaOptions extends ExperimentOptions {
  /** Restarts per solver. @default 20 (8 when quick) */
  runs?: number;
}

/** What {@linkcode restartMinima} returns. */
export interface RestartMinimaResult {
  /** One row per solver and restart: the final relative error. */
  records: { method: string; run: number; relativeError: number; loss: number }[];
  /** Restarts whose relative error exceeds 0.05 (stuck away from the exact solution), per solver. */
  stuck: Record<string, number>;
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Local minima: the bars data (8×8 images, each made of 4 of 16 bars) have an exact rank-16
 * NMF, yet some random restarts converge to stationary points with clearly positive error.
 *
 * @example
 * ```ts
 * import { restartMinima } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = restartMinima({ quick: true, runs: 3 });
 * assert.equal(r.records.length, 9);
 * ```
 */
export function restartMinima(options: RestartMinimaOptions = {}): RestartMinimaResult {
  const seed = options.seed ?? 0;
  const runs = options.runs ?? (options.quick ? 8 : 20);
  const bars = barsDataset({ size: 8, samples: 60, seed: seed + 1 });
  const records: RestartMinimaResult["records"] = [];
  const stuck: Record<string, number> = {};
  for (const solver of ["hals", "anls-bpp", "mu"] as const) {
    const r = nmfRuns(bars.V, { rank: 16, runs, seed, solver, maxIter: 500, tol: 1e-8 });
    r.results.forEach((f, run) =>
      records.push({ method: solver, run, relativeError: f.relativeError, loss: f.loss })
    );
    stuck[solver] = r.results.filter((f) => f.relativeError > 0.05).length;
  }
  const best = Math.min(...records.map((r) => r.relativeError));
  const totalStuck = Object.values(stuck).reduce((a, b) => a + b, 0);
  return {
    records,
    stuck,
    checks: [
      checkClaim(
        "some restart finds the exact factorization (relative error < 1e-3)",
        best < 1e-3,
        best,
      ),
      checkClaim(
        "some restarts stop at a stationary point with relative error > 0.05",
        totalStuck > 0,
        totalStuck,
      ),
    ],
  };
}
