import { mkdirSync } from "node:fs";
import { KeelsonError } from "../../machinery/errors";
import { dependencyOrder } from "./dependency-order";
import { ServiceInstance, type ServiceStatus, type StatusListener } from "./service-instance";
import type { ServiceSpec } from "./service-spec";

/**
 * Starts the node's fixed set of services in dependency order (each waits
 * until what it depends on is running and healthy) and stops them in reverse.
 */
export class Supervisor {
  private readonly instances: ServiceInstance[];
  private readonly byId: Map<string, ServiceInstance>;

  constructor(specs: readonly ServiceSpec[], logDir: string, listener: StatusListener) {
    mkdirSync(logDir, { recursive: true });
    this.instances = dependencyOrder(specs).map(
      (spec) => new ServiceInstance(spec, logDir, listener),
    );
    this.byId = new Map(this.instances.map((i) => [i.spec.id, i]));
  }

  start(): void {
    for (const instance of this.instances) {
      const deps = (instance.spec.dependsOn ?? []).map((id) => this.get(id).whenReady());
      void Promise.all(deps).then(() => instance.start());
    }
  }

  /**
   * Stops every service after everything that depends on it has stopped;
   * `graceMs` caps each service's grace (0 kills at once). Each service's
   * stop is bounded (see ServiceInstance.stop), so this always finishes.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    const stopped = new Map<string, Promise<void>>();
    for (const instance of [...this.instances].reverse()) {
      const dependents = this.instances
        .filter((other) => other.spec.dependsOn?.includes(instance.spec.id))
        .map((other) => stopped.get(other.spec.id));
      stopped.set(
        instance.spec.id,
        Promise.all(dependents).then(() => instance.stop(options.graceMs)),
      );
    }
    await Promise.all(stopped.values());
  }

  /** Restarts now every service waiting out a backoff (see ServiceInstance.retryNow). */
  retryFailed(): void {
    for (const instance of this.instances) instance.retryNow();
  }

  list(): ServiceStatus[] {
    return this.instances.map((i) => i.status());
  }

  get(id: string): ServiceInstance {
    const instance = this.byId.get(id);
    if (!instance) {
      const known = [...this.byId.keys()].join(", ");
      throw new KeelsonError("notFound", `no service "${id}"`, `services on this node: ${known}`);
    }
    return instance;
  }
}
