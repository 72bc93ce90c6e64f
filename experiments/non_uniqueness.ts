/**
 * Notebook 5 — non-uniqueness and scaling indeterminacy (exercises 1 and 8).
 *
 * An NMF V = WH is never unique: (WD)(D⁻¹H) = WH for every positive diagonal D and (WP)(PᵀH) =
 * WH for every permutation P. The experiments here check that these trivial ambiguities are
 * exact, show that beyond them generic data admit genuinely different factorizations (restarts
 * reach the same loss with different components, matched by the Hungarian algorithm), and that
 * separable data — an identity block in H and one in W — pin the factorization down.
 *
 * @module
 */

import {
  createRng,
  identityExample,
  matchComponents,
  Matrix,
  nmf,
  type NmfResult,
  plantedNmf,
  spa,
} from "../mod.ts";
import { checkClaim, type ExperimentCheck, type ExperimentOptions } from "./checks.ts";

/** Largest |A − B| entry divided by the largest |A| entry. */
export function relativeMaxDifference(A: Matrix, B: Matrix): number {
  let diff = 0, big = 0;
  for (let i = 0; i < A.size; i++) {
    diff = Math.max(diff, Math.abs((A.data[i] as number) - (B.data[i] as number)));
    big = Math.max(big, Math.abs(A.data[i] as number));
  }
  return big === 0 ? diff : diff / big;
}

/** What {@linkcode scalingIndeterminacy} returns. */
export interface ScalingIndeterminacyResult {
  /** The original basis. */
  W: Matrix;
  /** The original coefficients. */
  H: Matrix;
  /** The positive diagonal used (its diagonal entries). */
  d: number[];
  /** The permutation used: column c of WP is column `permutation[c]` of W. */
  permutation: number[];
  /** max|WH − (WD)(D⁻¹H)| / max|WH|. */
  scalingDifference: number;
  /** max|WH − (WP)(PᵀH)| / max|WH|. */
  permutationDifference: number;
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Exercise 1: rescale and permute random non-negative factors and compare the products.
 *
 * @example
 * ```ts
 * import { scalingIndeterminacy } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = scalingIndeterminacy({ seed: 1 });
 * assert.ok(r.checks.every((c) => c.passed));
 * ```
 */
export function scalingIndeterminacy(options: ExperimentOptions = {}): ScalingIndeterminacyResult {
  const rng = createRng(options.seed ?? 0);
  const m = 8, n = 10, k = 3;
  const W = Matrix.generate(m, k, () => rng.uniform());
  const H = Matrix.generate(k, n, () => rng.uniform());
  // Scales over six orders of magnitude: the identity is exact, rounding is all that differs.
  const d = Array.from({ length: k }, () => 10 ** (6 * rng.uniform() - 3));
  const WD = Matrix.generate(m, k, (i, c) => W.get(i, c) * (d[c] as number));
  const DinvH = Matrix.generate(k, n, (c, j) => H.get(c, j) / (d[c] as number));
  const permutation = Array.from({ length: k }, (_, i) => (i + 1) % k);
  const WP = Matrix.generate(m, k, (i, c) => W.get(i, permutation[c] as number));
  const PtH = Matrix.generate(k, n, (c, j) => H.get(permutation[c] as number, j));
  const WH = W.multiply(H);
  const scalingDifference = relativeMaxDifference(WH, WD.multiply(DinvH));
  const permutationDifference = relativeMaxDifference(WH, WP.multiply(PtH));
  const nonNegative = [WD, DinvH, WP, PtH].every((M) => M.min() >= 0);
  return {
    W,
    H,
    d,
    permutation,
    scalingDifference,
    permutationDifference,
    checks: [
      checkClaim(
        "(WD)(D⁻¹H) = WH to 1e-12 (relative)",
        scalingDifference <= 1e-12,
        scalingDifference,
      ),
      checkClaim(
        "(WP)(PᵀH) = WH to 1e-15 (a permutation only reorders the sum)",
        permutationDifference <= 1e-15,
        permutationDifference,
      ),
      checkClaim("WD, D⁻¹H, WP, PᵀH are all non-negative", nonNegative, String(nonNegative)),
    ],
  };
}

/** One member of a family of exact factorizations. */
export interface FamilyMember {
  /** The family parameter. */
  t: number;
  /** The basis W(t). */
  W: Matrix;
  /** The coefficients H(t). */
  H: Matrix;
  /** max|V − WH| / max|V|. */
  difference: number;
  /** Smallest entry of W and H together (≥ 0 means a valid NMF). */
  smallestEntry: number;
  /** Least cosine similarity of W's columns to the columns of the t = 0 member, after matching. */
  similarityToFirst: number;
}

/** What {@linkcode identityAndBeyond} returns. */
export interface IdentityAndBeyondResult {
  /** Exercise 8: the exact factorizations of I listed by `identityExample`, with their errors. */
  identity: { name: string; W: Matrix; H: Matrix; difference: number }[];
  /** Rotations of the 2×2 identity: the smallest entry of R(θ) for each angle θ. */
  rotations: { theta: number; smallestEntry: number }[];
  /** V = [[2, 1], [1, 2]]: W(t) = V Q(t)⁻¹, H(t) = Q(t), Q(t) = [[1, t], [t, 1]]. */
  family: FamilyMember[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Exercise 8 and what it hides: the identity's NMFs are only the trivial ones (a rotation of I
 * immediately has a negative entry), whereas a positive 2×2 matrix has a continuum of genuinely
 * different NMFs.
 *
 * @example
 * ```ts
 * import { identityAndBeyond } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(identityAndBeyond().checks.every((c) => c.passed));
 * ```
 */
export function identityAndBeyond(): IdentityAndBeyondResult {
  const ex = identityExample({ size: 3 });
  const identity = ex.factorizations.map((f) => ({
    ...f,
    difference: relativeMaxDifference(ex.V, f.W.multiply(f.H)),
  }));
  const rotations = [-0.2, -0.05, -0.01, 0, 0.01, 0.05, 0.2].map((theta) => {
    const c = Math.cos(theta), s = Math.sin(theta);
    return { theta, smallestEntry: Math.min(c, s, -s) };
  });
  const V = Matrix.fromRows([[2, 1], [1, 2]]);
  const ts = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
  const family: FamilyMember[] = [];
  for (const t of ts) {
    const det = 1 - t * t;
    const Qinv = Matrix.fromRows([[1 / det, -t / det], [-t / det, 1 / det]]);
    const W = V.multiply(Qinv);
    const H = Matrix.fromRows([[1, t], [t, 1]]);
    family.push({
      t,
      W,
      H,
      difference: relativeMaxDifference(V, W.multiply(H)),
      smallestEntry: Math.min(W.min(), H.min()),
      similarityToFirst: NaN,
    });
  }
  const first = (family[0] as FamilyMember).W;
  for (const f of family) f.similarityToFirst = matchComponents(first, f.W).minSimilarity;
  const identityExact = Math.max(...identity.map((f) => f.difference));
  const rotatedNegative = rotations.filter((r) => r.theta !== 0).every((r) => r.smallestEntry < 0);
  const familyExact = Math.max(...family.map((f) => f.difference));
  const familyValid = Math.min(...family.map((f) => f.smallestEntry));
  const last = family[family.length - 1] as FamilyMember;
  return {
    identity,
    rotations,
    family,
    checks: [
      checkClaim("every listed factorization of I is exact", identityExact <= 1e-15, identityExact),
      checkClaim(
        "every rotation of I by θ ≠ 0 has a negative entry (only scaling and permutation remain)",
        rotatedNegative,
        Math.max(...rotations.filter((r) => r.theta !== 0).map((r) => r.smallestEntry)),
      ),
      checkClaim(
        "W(t)H(t) = [[2,1],[1,2]] for every t in [0, 1/2]",
        familyExact <= 1e-15,
        familyExact,
      ),
      checkClaim("W(t), H(t) ≥ 0 for every t in [0, 1/2]", familyValid >= -1e-15, familyValid),
      checkClaim(
        "W(1/2) is not a rescaled permutation of W(0) (cosine < 0.99)",
        last.similarityToFirst < 0.99,
        last.similarityToFirst,
      ),
    ],
  };
}

/** One data scenario of {@linkcode restartDiversity}. */
export interface RestartScenario {
  /** "dense", "separable H" or "separable W and H". */
  name: string;
  /** The data. */
  V: Matrix;
  /** The planted basis. */
  W: Matrix;
  /** The planted coefficients. */
  H: Matrix;
  /** The fits, one per restart. */
  fits: NmfResult[];
  /** Relative error ‖V − WH‖/‖V‖ of each fit. */
  relativeErrors: number[];
  /** Least matched cosine similarity of each fit's W to the planted W. */
  similarityToTruth: number[];
  /** Least matched cosine similarity of each fit's W to the first fit's W. */
  similarityToFirst: number[];
  /** Columns SPA selects (separable scenarios), and whether they are exactly the anchors. */
  spaColumns: number[];
  /** Whether SPA's columns are exactly the anchors. */
  spaFindsAnchors: boolean;
}

/** Options of {@linkcode restartDiversity}. */
export interface RestartDiversityOptions extends ExperimentOptions {
  /** Restarts per scenario. @default 8 (3 when quick) */
  runs?: number;
}

/** What {@linkcode restartDiversity} returns. */
export interface RestartDiversityResult {
  /** m, n, k of the data. */
  shape: [number, number, number];
  /** The three scenarios: dense, separable H, separable W and H. */
  scenarios: RestartScenario[];
  /** One row per scenario and restart, for a table. */
  table: {
    scenario: string;
    run: number;
    relativeError: number;
    similarityToTruth: number;
    similarityToFirst: number;
  }[];
  /** The claims checked. */
  checks: ExperimentCheck[];
}

/**
 * Fit three kinds of exactly low-rank data from several random starts and compare the fits,
 * component by component, after matching them by the Hungarian algorithm:
 * - dense W*, H* (generic positive data): every fit is (nearly) exact, but the fits differ;
 * - separable H* (an identity block) with dense W*: SPA finds the anchor columns, yet NMF fits
 *   can still tilt their cone outwards;
 * - separable W* and H* (identity rows in W*, identity columns in H*): every fit recovers W*.
 *
 * @example
 * ```ts
 * import { restartDiversity } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const r = restartDiversity({ quick: true, seed: 0 });
 * assert.ok(r.checks.every((c) => c.passed));
 * ```
 */
export function restartDiversity(options: RestartDiversityOptions = {}): RestartDiversityResult {
  const seed = options.seed ?? 0;
  const runs = options.runs ?? (options.quick ? 3 : 8);
  const m = options.quick ? 20 : 30, n = options.quick ? 25 : 40, k = 4;
  const dense = plantedNmf(m, n, { rank: k, seed: seed + 1 });
  const sepH = plantedNmf(m, n, { rank: k, structure: "separable", seed: seed + 2 });
  // W* with identity rows: the transpose of a separable H* (k × m).
  const sepW = plantedNmf(k, m, { rank: k, structure: "separable", seed: seed + 3 }).H.transpose();
  const both = { W: sepW, H: sepH.H, V: sepW.multiply(sepH.H), anchors: sepH.anchors ?? [] };
  const data = [
    { name: "dense", V: dense.V, W: dense.W, H: dense.H, anchors: null },
    { name: "separable H", V: sepH.V, W: sepH.W, H: sepH.H, anchors: sepH.anchors ?? [] },
    { name: "separable W and H", ...both },
  ];
  const scenarios: RestartScenario[] = data.map((d) => {
    const fits: NmfResult[] = [];
    for (let r = 0; r < runs; r++) {
      fits.push(
        nmf(d.V, {
          rank: k,
          solver: "anls-bpp",
          init: "random",
          seed: seed * 1000 + r + 1,
          maxIter: 2000,
          tol: 1e-10,
        }),
      );
    }
    const first = (fits[0] as NmfResult).W;
    const spaColumns = d.anchors === null ? [] : spa(d.V, { rank: k }).columns;
    const anchors = d.anchors === null ? [] : [...d.anchors].sort((a, b) => a - b);
    return {
      name: d.name,
      V: d.V,
      W: d.W,
      H: d.H,
      fits,
      relativeErrors: fits.map((f) => f.relativeError),
      similarityToTruth: fits.map((f) => matchComponents(d.W, f.W).minSimilarity),
      similarityToFirst: fits.map((f) => matchComponents(first, f.W).minSimilarity),
      spaColumns,
      spaFindsAnchors: d.anchors !== null &&
        JSON.stringify([...spaColumns].sort((a, b) => a - b)) === JSON.stringify(anchors),
    };
  });
  const table = scenarios.flatMap((s) =>
    s.fits.map((_, run) => ({
      scenario: s.name,
      run,
      relativeError: s.relativeErrors[run] as number,
      similarityToTruth: s.similarityToTruth[run] as number,
      similarityToFirst: s.similarityToFirst[run] as number,
    }))
  );
  const [sDense, sSepH, sBoth] = scenarios as [RestartScenario, RestartScenario, RestartScenario];
  const worstError = (s: RestartScenario) => Math.max(...s.relativeErrors);
  const leastSimilar = (s: RestartScenario) => Math.min(...s.similarityToFirst);
  return {
    shape: [m, n, k],
    scenarios,
    table,
    checks: [
      checkClaim(
        "dense data: every restart fits to relative error < 1e-3 (the same loss, essentially 0)",
        worstError(sDense) < 1e-3,
        worstError(sDense),
      ),
      checkClaim(
        "dense data: some restart's W differs from the first one's after matching (cosine < 0.99)",
        leastSimilar(sDense) < 0.99,
        leastSimilar(sDense),
      ),
      checkClaim(
        "separable H: SPA selects exactly the anchor columns",
        sSepH.spaFindsAnchors,
        sSepH.spaColumns.join(","),
      ),
      checkClaim(
        "separable W and H: every restart fits to relative error < 1e-3",
        worstError(sBoth) < 1e-3,
        worstError(sBoth),
      ),
      checkClaim(
        "separable W and H: every restart recovers W* up to scaling and permutation (cosine > 0.999)",
        Math.min(...sBoth.similarityToTruth) > 0.999,
        Math.min(...sBoth.similarityToTruth),
      ),
    ],
  };
}
