/**
 * The experiment registry: every section of the report, in notebook order. Each entry calls the
 * same experiment function its notebook calls (experiments/), full or quick.
 *
 * @module
 */

import { NOTEBOOK1 } from "./sections/nb1.ts";
import { NOTEBOOK2 } from "./sections/nb2.ts";
import { NOTEBOOK3 } from "./sections/nb3.ts";
import { NOTEBOOK4 } from "./sections/nb4.ts";
import { NOTEBOOK5 } from "./sections/nb5.ts";
import { NOTEBOOK6 } from "./sections/nb6.ts";
import { NOTEBOOK7 } from "./sections/nb7.ts";
import { NOTEBOOK8 } from "./sections/nb8.ts";
import type { ReportEntry } from "./types.ts";

/** Every report section, in order. */
export const REPORT_ENTRIES: readonly ReportEntry[] = [
  ...NOTEBOOK1,
  ...NOTEBOOK2,
  ...NOTEBOOK3,
  ...NOTEBOOK4,
  ...NOTEBOOK5,
  ...NOTEBOOK6,
  ...NOTEBOOK7,
  ...NOTEBOOK8,
];
