import type { Timing } from "../cluster/timing";
import type { Registry } from "../registry";
import type { Controller } from "./controller";
import { startCrdController } from "./crd-controller";
import { startDaemonSetController } from "./daemonset-controller";
import { startDeploymentController } from "./deployment-controller";
import { startGarbageCollector } from "./garbage-collector";
import { startNamespaceController } from "./namespace-controller";
import { startNodeLifecycleController } from "./node-lifecycle-controller";
import { startPdbController } from "./pdb-controller";
import { startReplicaSetController } from "./replicaset-controller";
import { startScheduler } from "./scheduler";
import { startStatefulSetController } from "./statefulset-controller";

/** kube-controller-manager and kube-scheduler, in process. */
export function startControllers(registry: Registry, timing: Timing): Controller {
  const all = [
    startCrdController(registry),
    startNamespaceController(registry),
    startGarbageCollector(registry),
    startReplicaSetController(registry),
    startDeploymentController(registry),
    startStatefulSetController(registry),
    startDaemonSetController(registry),
    startPdbController(registry, timing),
    startNodeLifecycleController(registry, timing),
    startScheduler(registry),
  ];
  return {
    stop() {
      for (const c of all) c.stop();
    },
  };
}
