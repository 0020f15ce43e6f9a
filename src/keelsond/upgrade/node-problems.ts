import { KubeClient, readKubeconfig } from "../../machinery/kube";
import type { AgentContext } from "../context";
import { spaceProblem } from "../host/space-left";

/**
 * What stands between this node and healthy, as the upgrade health gate
 * judges it: every system service running and healthy (etcd's check is a
 * member that sees a leader, so a cluster with quorum), no power action
 * under way, no configuration on trial, room on a machine's EPHEMERAL, and the Node Ready in Kubernetes
 * where the node runs a kubelet.
 */
export function nodeProblems(ctx: AgentContext): {
  check(signal: AbortSignal): Promise<string[]>;
  close(): void;
} {
  let kube: KubeClient | undefined;
  const kubeconfig = ctx.platform.kubelet?.kubeconfig;
  return {
    async check(signal) {
      const problems = localProblems(ctx);
      if (problems.length > 0 || !kubeconfig) return problems;
      kube ??= new KubeClient(await readKubeconfig(kubeconfig));
      const ready = await nodeReady(kube, ctx.identity.name, signal);
      return ready
        ? []
        : [
            `Node ${ctx.identity.name} is not Ready in Kubernetes (${ready === undefined ? "not registered" : "NotReady"})`,
          ];
    },
    close: () => kube?.close(),
  };
}

function localProblems(ctx: AgentContext): string[] {
  const problems: string[] = [];
  if (ctx.lifecycle.inProgress()) problems.push("a power action is under way");
  for (const s of ctx.supervisor.list()) {
    if (s.state === "finished" || (s.state === "running" && s.healthy)) continue;
    const why = s.healthMessage ? `: ${s.healthMessage}` : "";
    problems.push(`service ${s.id} is ${s.state === "running" ? "unhealthy" : s.state}${why}`);
  }
  const trial = ctx.config.onTrial();
  if (trial !== undefined) problems.push(`configuration revision ${trial} is on trial`);
  // A machine's /var is EPHEMERAL, where etcd and the logs grow; a process node's disk is its host's.
  const full = ctx.platform.platform === "process" ? undefined : spaceProblem("EPHEMERAL", "/var");
  if (full) problems.push(full);
  return problems;
}

interface NodeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

/** true Ready, false registered but not Ready, undefined not registered (or unreachable). */
async function nodeReady(
  kube: KubeClient,
  name: string,
  signal: AbortSignal,
): Promise<boolean | undefined> {
  if (signal.aborted) return undefined;
  const res = await kube
    .send("GET", `/api/v1/nodes/${encodeURIComponent(name)}`)
    .catch(() => undefined);
  if (res?.status !== 200) return undefined;
  const node = res.body as NodeObject;
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
