import type { ConfigSet } from "./config-set";
import { type Problem, problem } from "./problem";

/**
 * Recommendations: warnings normally, errors with `strict`. Each names what
 * goes wrong on the node when it is ignored.
 */
export function recommendationProblems({ machine, cluster }: ConfigSet): Problem[] {
  const problems: Problem[] = [];
  const warn = (document: number | undefined, path: (string | number)[], message: string) =>
    problems.push(
      problem(path, message, {
        severity: "warning",
        ...(document === undefined ? {} : { document }),
      }),
    );
  if (!machine) return problems;
  const at = machine.document;
  const m = machine.config.machine;
  if (!cluster)
    warn(undefined, [], "no ClusterConfig: the node will not join a Kubernetes cluster");
  if (!m.install)
    warn(at, ["machine"], "no install section: the node cannot be installed or upgraded");
  if (!m.kubelet) warn(at, ["machine"], "no kubelet section: the node runs no workloads");
  if (!m.time?.disabled && !m.time?.servers?.length)
    warn(at, ["machine", "time"], "no time servers: clocks drift and certificates stop verifying");
  for (const [i, link] of (m.network?.interfaces ?? []).entries()) {
    const path = ["machine", "network", "interfaces", i];
    if (link.dhcp && link.addresses?.length)
      warn(at, path, "both dhcp and static addresses: the node gets two addresses");
    if (!link.dhcp && !link.addresses?.length)
      warn(at, path, "no addresses and dhcp off: the interface gets no address");
  }
  const isStatic = m.network?.interfaces?.some((l) => !l.dhcp && l.addresses?.length);
  if (isStatic && !m.network?.nameservers?.length)
    warn(at, ["machine", "network"], "static addresses but no nameservers: names will not resolve");
  const c = cluster?.config.cluster;
  if (cluster && !c?.kubernetesVersion)
    warn(cluster.document, ["cluster"], "no kubernetesVersion: pin it so every node runs the same");
  if (cluster && c?.token && c.token === m.token)
    warn(at, ["machine", "token"], "the machine token equals the kubelet bootstrap token; use two");
  return problems;
}
