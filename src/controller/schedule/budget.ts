/**
 * The number of nodes a plan may have unavailable at once: a count, or a
 * share of the nodes it selects, rounded down but at least one (25% of three
 * nodes would otherwise be none, and the plan would never move).
 */
export function budgetOf(value: number | string, selected: number): number {
  if (typeof value === "number") return value;
  const percent = Number(value.slice(0, -1));
  if (percent === 0) return 0;
  return Math.max(1, Math.floor((selected * percent) / 100));
}
