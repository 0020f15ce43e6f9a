import type { MachineType } from "../schema/machine-config";
import type { LooseSet } from "./config-set";
import { type Problem, problem } from "./problem";

/**
 * What each role may and must carry. Keys that sign (CA keys, the at-rest
 * encryption secret) live only on control planes: a stolen worker config must
 * not be able to mint certificates.
 */
export function roleProblems({ machine, cluster }: LooseSet): Problem[] {
  if (!machine) return [];
  const at = machine.document;
  const m = machine.config;
  const problems: Problem[] = [];
  const say = (document: number, path: (string | number)[], message: string) =>
    problems.push(problem(path, message, { document }));
  if (m.machine?.type === "worker") {
    if (m.etcd) say(at, ["etcd"], "workers run no etcd; remove this section");
    if (m.machine?.ca?.key)
      say(at, ["machine", "ca", "key"], "only control planes carry the CA key");
    const c = cluster?.config.cluster;
    if (cluster && c?.ca?.key)
      say(cluster.document, ["cluster", "ca", "key"], "only control planes carry the CA key");
    if (cluster && c?.secretboxEncryptionSecret)
      say(
        cluster.document,
        ["cluster", "secretboxEncryptionSecret"],
        "only control planes carry it",
      );
    return problems;
  }
  if (m.machine?.type !== "controlplane") return problems;
  if (!m.etcd) say(at, ["etcd"], "control planes need an etcd section with the etcd CA and key");
  else if (!m.etcd.ca?.key) say(at, ["etcd", "ca", "key"], "control planes need the etcd CA key");
  if (!m.machine?.ca?.key) say(at, ["machine", "ca", "key"], "control planes need the OS CA key");
  const c = cluster?.config.cluster;
  if (cluster && c?.ca && !c.ca.key)
    say(cluster.document, ["cluster", "ca", "key"], "control planes need the Kubernetes CA key");
  return problems;
}

/** Inline secrets or a reference to them, never both and never neither. */
export function clusterSecretProblems({ cluster }: LooseSet): Problem[] {
  if (!cluster) return [];
  const c = cluster.config.cluster;
  const document = cluster.document;
  if (!c || typeof c !== "object") return [];
  if (c.secretsRef) {
    return c.ca || c.token
      ? [
          problem(
            ["cluster", "secretsRef"],
            "give either secretsRef or inline ca and token, not both",
            { document },
          ),
        ]
      : [];
  }
  const problems: Problem[] = [];
  if (!c.ca)
    problems.push(
      problem(["cluster", "ca"], "missing required field (or give secretsRef)", { document }),
    );
  if (!c.token)
    problems.push(
      problem(["cluster", "token"], "missing required field (or give secretsRef)", { document }),
    );
  return problems;
}

export interface Expectations {
  /** The role of the node the config is for; a config for the other role is refused. */
  expectRole?: MachineType;
  /** The cluster the node belongs to. */
  expectCluster?: string;
}

export function expectationProblems(
  { machine, cluster }: LooseSet,
  expect: Expectations,
): Problem[] {
  const problems: Problem[] = [];
  const type = machine?.config.machine?.type;
  if (machine && expect.expectRole && type !== expect.expectRole) {
    const message = `this config is for a ${type}, but the node is a ${expect.expectRole}`;
    problems.push(problem(["machine", "type"], message, { document: machine.document }));
  }
  if (expect.expectCluster === undefined) return problems;
  const name = cluster?.config.cluster?.name;
  if (!cluster) {
    problems.push(
      problem([], `no ClusterConfig; expected one for cluster "${expect.expectCluster}"`),
    );
  } else if (name !== expect.expectCluster) {
    const message = `this config is for cluster "${name}", but the node belongs to "${expect.expectCluster}"`;
    problems.push(problem(["cluster", "name"], message, { document: cluster.document }));
  }
  return problems;
}
