/**
 * What every experiment returns besides its tables: the claims it checked, each with whether it
 * held and the number (or text) it was judged on. A notebook asserts them; a report lists them.
 *
 * @module
 */

/** One claim an experiment checked. */
export interface ExperimentCheck {
  /** The claim, as a sentence. */
  claim: string;
  /** Whether it held on this run. */
  passed: boolean;
  /** The measured value the verdict rests on. */
  value: number | string;
}

/** The options every experiment accepts. */
export interface ExperimentOptions {
  /** Smaller sizes and fewer restarts, for a report or a test (seconds, not minutes). @default false */
  quick?: boolean;
  /** Seed of every random draw in the experiment. @default 0 */
  seed?: number;
}

/** Build one {@linkcode ExperimentCheck}. */
export function checkClaim(
  claim: string,
  passed: boolean,
  value: number | string,
): ExperimentCheck {
  return { claim, passed, value };
}

/** The claims that failed (an empty array when all held). */
export function failedChecks(checks: readonly ExperimentCheck[]): ExperimentCheck[] {
  return checks.filter((c) => !c.passed);
}
