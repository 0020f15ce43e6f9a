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
export function longestFirst<T extends Expected>(nodes: readonly T[]): T[] {
  const known = nodes
    .map((n) => n.lastOutOfServiceMs)
    .filter((ms): ms is number => ms !== undefined)
    .sort((a, b) => a - b);
  if (known.length === 0) return [...nodes];
  const median = known[Math.floor(known.length / 2)] ?? 0;
  const expected = (n: T) => n.lastOutOfServiceMs ?? median;
  return nodes
    .map((node, index) => ({ node, index, ms: expected(node) }))
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .map((e) => e.node);
}

/**
 * The same order with the last of `which` (the quickest of them) moved to
 * the front: a canary goes alone, so the rollout waits least for its verdict.
 */
export function quickestFirst<T>(ordered: readonly T[], which: (node: T) => boolean): T[] {
  const quickest = ordered.findLast(which);
  return quickest === undefined
    ? [...ordered]
    : [quickest, ...ordered.filter((n) => n !== quickest)];
}
