/**
 * The categorical colours used by every nmflab plot (Observable Plot's default "observable10"
 * scheme, written out so that legends drawn outside Plot use exactly the same colours).
 *
 * @module
 */

/** Ten distinguishable colours, in order; series i gets `CATEGORY_COLORS[i % 10]`. */
export const CATEGORY_COLORS: readonly string[] = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

/** The colour of series `i`. */
export function categoryColor(i: number): string {
  return CATEGORY_COLORS[i % CATEGORY_COLORS.length] as string;
}

/** `labels` made unique by appending " #2", " #3", … to repeats (so two "mu" runs stay apart). */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  const count = new Map<string, number>();
  return labels.map((l) => {
    if ((seen.get(l) ?? 0) < 2) return l;
    const n = (count.get(l) ?? 0) + 1;
    count.set(l, n);
    return `${l} #${n}`;
  });
}
