import { customResourceDefinitions } from "../crd/crd-resource";
import { daemonSets, deployments, replicaSets, statefulSets } from "./apps/workloads";
import { configMaps, events, secrets, serviceAccounts } from "./core/config";
import { namespaces } from "./core/namespace";
import { nodes } from "./core/node";
import { pods } from "./core/pod";
import { leases } from "./other/lease";
import { podDisruptionBudgets, podDisruptionBudgetsV1beta1 } from "./other/pdb";
import { type ResourceType, storageKey } from "./resource-type";

export const builtinTypes: readonly ResourceType[] = [
  namespaces,
  nodes,
  pods,
  events,
  configMaps,
  secrets,
  serviceAccounts,
  deployments,
  replicaSets,
  daemonSets,
  statefulSets,
  podDisruptionBudgets,
  podDisruptionBudgetsV1beta1,
  leases,
  customResourceDefinitions,
];

export interface GroupVersion {
  group: string;
  version: string;
  types: ResourceType[];
}

/**
 * Every resource kubesim serves, built-in and custom. Discovery, routing and
 * the controllers all read this one list, so a CRD appears everywhere at once.
 */
export class Catalog {
  private readonly types = new Map<string, ResourceType>();
  private generationCounter = 0;

  constructor() {
    for (const type of builtinTypes) this.add(type);
  }

  /** Bumps on every change, so discovery caches can be invalidated. */
  get generation(): number {
    return this.generationCounter;
  }

  add(type: ResourceType): void {
    this.types.set(this.id(type.group, type.version, type.plural), type);
    this.generationCounter++;
  }

  /** Removes every version of the custom resources a CRD served. */
  removeCrd(crdName: string): ResourceType[] {
    const removed = [...this.types.entries()].filter(([, t]) => t.crd === crdName);
    for (const [id] of removed) this.types.delete(id);
    this.generationCounter++;
    return removed.map(([, t]) => t);
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(this.id(group, version, plural));
  }

  /** The first served version of a group/plural, for controllers that do not care which. */
  byKey(key: string): ResourceType | undefined {
    for (const type of this.types.values()) if (storageKey(type) === key) return type;
    return undefined;
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    for (const type of this.types.values()) {
      if (type.group === group && type.version === version && type.kind === kind) return type;
    }
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  groupVersions(): GroupVersion[] {
    const byGv = new Map<string, GroupVersion>();
    for (const type of this.types.values()) {
      const id = `${type.group}/${type.version}`;
      let gv = byGv.get(id);
      if (!gv) {
        gv = { group: type.group, version: type.version, types: [] };
        byGv.set(id, gv);
      }
      gv.types.push(type);
    }
    return [...byGv.values()];
  }

  private id(group: string, version: string, plural: string): string {
    return `${group}/${version}/${plural}`;
  }
}
