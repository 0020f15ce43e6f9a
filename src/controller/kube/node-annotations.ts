/**
 * What the engine records on each Node, so that a restarted controller (or a
 * new leader) resumes exactly where the last one stopped.
 */
const prefix = "upgrade.keelson.io";
export const annotations = {
  /** The plan that holds the node: another plan leaves it alone. */
  plan: `${prefix}/plan`,
  /** The node's phase in that plan. */
  phase: `${prefix}/phase`,
  /** The OS version the plan takes it to. */
  target: `${prefix}/target`,
  /**
   * Which bundle the plan stages (its sha256, or its location without one):
   * a restarted engine whose plan names a URL learns the target from a
   * finished node's record only when this matches, not from another image
   * the same plan name once carried.
   */
  bundle: `${prefix}/bundle`,
  /** The kubelet version the plan takes it to, when the plan changes the kubelet too. */
  kubelet: `${prefix}/kubelet`,
  /** "true" when this plan cordoned the node: only then does it uncordon it. */
  cordoned: `${prefix}/cordoned`,
  /** The boot the node was in when the plan rebooted it: a later boot means the reboot happened. */
  bootId: `${prefix}/boot-id`,
  /** When the phase began (RFC 3339). */
  since: `${prefix}/since`,
  /** Why the node failed, fell back or was skipped. */
  reason: `${prefix}/reason`,
  /** When this plan took the node out of service (RFC 3339): kept through its phases, so a resumed upgrade still knows. */
  outOfServiceSince: `${prefix}/out-of-service-since`,
  /**
   * How long the node's last upgrade kept it out of service, cordon to
   * uncordon (ms). History, not state: it outlives the record, and later
   * plans take the longest nodes first.
   */
  lastOutOfServiceMs: `${prefix}/last-out-of-service-ms`,
} as const;

export type NodeRecord = Partial<Record<keyof typeof annotations, string>>;

/** Every field but the history removed: what a released node carries. */
export const clearedRecord: NodeRecord = Object.fromEntries(
  Object.keys(annotations)
    .filter((key) => key !== "lastOutOfServiceMs")
    .map((key) => [key, undefined]),
);

/** The record as annotations to merge-patch: undefined fields are removed (null). */
export function recordPatch(record: NodeRecord): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, name] of Object.entries(annotations))
    if (key in record) out[name] = record[key as keyof NodeRecord] ?? null;
  return out;
}

/** The record read back from a Node's annotations. */
export function readRecord(nodeAnnotations: Record<string, string> | undefined): NodeRecord {
  const out: NodeRecord = {};
  for (const [key, name] of Object.entries(annotations)) {
    const value = nodeAnnotations?.[name];
    if (value !== undefined) out[key as keyof NodeRecord] = value;
  }
  return out;
}
