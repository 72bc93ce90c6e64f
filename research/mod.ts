/**
 * Research features built on the core: restarts, consensus clustering and rank surveys,
 * hierarchical clustering, graph-regularized and sparseness-constrained NMF, separable NMF
 * (SPA), online NMF and projecting new data on a fitted basis.
 *
 * @module
 */
export * from "./runs.ts";
export * from "./hclust.ts";
export * from "./consensus.ts";
export * from "./silhouette.ts";
export * from "./ari.ts";
export * from "./rank_survey.ts";
export * from "./transform.ts";
export * from "./spa.ts";
export * from "./gnmf.ts";
export * from "./hungarian.ts";
export * from "./normalize.ts";
export * from "./match.ts";
export * from "./sparseness.ts";
export * from "./online.ts";
export type { CommonFitOptions, FitResult } from "./fit.ts";
