/**
 * How the next etcd start goes: from its own data, as the first member of a
 * new cluster, or as a member just added to a running one.
 */
export type StartPlan =
  | { kind: "existing" }
  | { kind: "new" }
  | { kind: "join"; initialCluster: string }
  | { kind: "wait"; reason: string };

export const waitingForBootstrap = "waiting for keelctl bootstrap on a control plane";

/** A plan that starts etcd. */
export type Launch = Exclude<StartPlan, { kind: "wait" }>;
