/**
 * Guards for the negative powers of the model WH in the β-divergence updates.
 *
 * For β < 2 the updates need (WH)^(β−2), which is infinite where (WH)_ij = 0 and overflows
 * where (WH)_ij is tiny. A model value of exactly 0 is replaced by the machine epsilon (as
 * scikit-learn does); a positive value is raised to at least 10^(−300/(2−β)), the smallest
 * value whose (β−2)-th power is still at most 1e300. Nothing else is changed.
 *
 * @module
 */

/** Replaces a model value of exactly 0. */
export const MODEL_EPSILON = 2.220446049250313e-16;

/** The smallest model value used in a power β−2 < 0 (0 when β ≥ 2: no power overflows). */
export function modelFloor(beta: number): number {
  return beta < 2 ? Math.pow(10, -300 / (2 - beta)) : 0;
}

/** The model value as the updates use it: 0 → MODEL_EPSILON, tiny → `floor`. */
export function safeModel(y: number, floor: number): number {
  return y === 0 ? MODEL_EPSILON : y < floor ? floor : y;
}
