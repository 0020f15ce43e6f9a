import type { KubeApis } from "../kube/kube-apis";

/** A Deployment whose pods carry `app: name`, through client-node as any client would make it. */
export async function createDeployment(
  apis: KubeApis,
  namespace: string,
  name: string,
  replicas: number,
  podSpec: Record<string, unknown> = {},
): Promise<void> {
  await apis.apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...podSpec },
        },
      },
    },
  });
}

/** A PodDisruptionBudget over the pods labelled `app: app` (e.g. { minAvailable: 2 }). */
export async function createPdb(
  apis: KubeApis,
  namespace: string,
  name: string,
  app: string,
  budget: Record<string, number>,
): Promise<void> {
  await apis.policy.createNamespacedPodDisruptionBudget({
    namespace,
    body: { metadata: { name }, spec: { ...budget, selector: { matchLabels: { app } } } },
  });
}
