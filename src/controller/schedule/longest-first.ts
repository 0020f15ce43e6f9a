/** What ordering needs of a node: how long it was out of service the last time it was upgraded. */
export interface Expected {
  name: string;
  /** Cordon to uncordon on its last upgrade (ms); unknown for a node never upgraded by a plan. */
  lastOutOfServiceMs?: number;
}

/**
 * The nodes longest expected out of service first (LPT list scheduling):
 * with the budget's slots filled in this order, the short nodes fill the
 * gaps at the end instead of one long node finishing alone. A node never
 * upgraded is expected to take the median of those that were; with no
 * history at all the order is the fleet's own. Stable, so equal nodes keep
 * their order.
 */
export function longestFirst<T extends Expected>(
  nodes: readonly T[],
  options: { quickestFirst?: boolean } = {},
): T[] {
  const known = nodes
    .map((n) => n.lastOutOfServiceMs)
    .filter((ms): ms is number => ms !== undefined)
    .sort((a, b) => a - b);
  if (known.length === 0) return [...nodes];
  const median = known[Math.floor(known.length / 2)] ?? 0;
  const expected = (n: T) => n.lastOutOfServiceMs ?? median;
  const ordered = nodes
    .map((node, index) => ({ node, index, ms: expected(node) }))
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .map((e) => e.node);
  // A canary goes alone, so the one expected back soonest: the rollout waits least for its verdict.
  const last = ordered.at(-1);
  return options.quickestFirst && last ? [last, ...ordered.slice(0, -1)] : ordered;
}
