import { isCelError, run } from "@bufbuild/cel";
import { KubernetesObjectApi, type V1Pod } from "@kubernetes/client-node";
import type { KubeApis } from "../kube/kube-apis";
import { selectorString } from "../kube/selector-string";
import type { ResolvedPlan } from "../plan/resolve-plan";

/**
 * The plan's health checks, run before a node is taken and after it is back:
 * each CEL expression over the live objects it names must be true, the pods
 * it selects must all be Ready, and the Prometheus query must return nothing.
 * Returns what failed ("" when all pass).
 */
export async function failingChecks(
  apis: KubeApis,
  checks: ResolvedPlan["healthChecks"],
  node: string,
): Promise<string> {
  const failures: string[] = [];
  const objects = KubernetesObjectApi.makeApiClient(apis.config);
  for (const check of checks.cel) {
    const list = await objects.list(check.apiVersion, check.kind, check.namespace);
    // Plain JSON, as the API server sent it: lists and maps CEL reads directly.
    const bindings = JSON.parse(JSON.stringify({ objects: list.items, node }));
    const result = run(check.expression, bindings);
    if (isCelError(result)) failures.push(`${check.name}: ${result.message}`);
    else if (result !== true) failures.push(`${check.name} is not true`);
  }
  if (checks.podsReady) {
    const { namespace, selector } = checks.podsReady;
    const labelSelector = selectorString(selector);
    const pods = namespace
      ? await apis.core.listNamespacedPod({ namespace, labelSelector })
      : await apis.core.listPodForAllNamespaces({ labelSelector });
    const notReady = pods.items.filter((p) => !podReady(p)).map((p) => p.metadata?.name);
    if (notReady.length > 0) failures.push(`pods not Ready: ${notReady.join(", ")}`);
  }
  if (checks.prometheus) failures.push(...(await prometheusAlerts(checks.prometheus)));
  return failures.join("; ");
}

function podReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

async function prometheusAlerts(p: { url: string; query: string }): Promise<string[]> {
  const url = new URL("/api/v1/query", p.url);
  url.searchParams.set("query", p.query);
  try {
    const answer = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
      data?: { result?: unknown[] };
    };
    const count = answer.data?.result?.length ?? 0;
    return count === 0 ? [] : [`Prometheus query returned ${count} series: ${p.query}`];
  } catch (error) {
    return [`Prometheus at ${p.url} did not answer: ${(error as Error).message}`];
  }
}
