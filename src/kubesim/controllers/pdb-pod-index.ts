import {
  controllerOf,
  type KubeObject,
  matchesLabels,
  type OwnerReference,
  type Selector,
} from "../api";
import { pdbSelector } from "../eviction";
import type { Registry } from "../registry";
import { pods } from "../resources/core/pod";
import { podDisruptionBudgets } from "../resources/other/pdb";
import { isPodReady } from "../resources/pod-helpers";
import { storageKey } from "../resources/resource-type";
import type { StoreEvent } from "../store";

/** What a budget's status needs to know about one of its pods. */
interface PodFacts {
  deleting: boolean;
  ready: boolean;
  owner: OwnerReference | undefined;
}

function factsOf(pod: KubeObject): PodFacts {
  return {
    deleting: pod.metadata.deletionTimestamp !== undefined,
    ready: isPodReady(pod),
    owner: controllerOf(pod),
  };
}

function sameFacts(a: PodFacts | undefined, b: PodFacts | undefined): boolean {
  if (!a || !b) return a === b;
  return a.deleting === b.deleting && a.ready === b.ready && a.owner?.uid === b.owner?.uid;
}

/** The pods one budget selects, with the counts its status is computed from. */
export class BudgetPods {
  readonly pods = new Map<string, PodFacts>();
  /** Controller owners of the selected pods, by uid, with how many pods each owns. */
  readonly owners = new Map<string, { ref: OwnerReference; count: number }>();
  /** Selected pods without a controller: the budget cannot know its expected scale. */
  ownerless = 0;
  /** Selected pods that are ready and not terminating. */
  ready = 0;

  /** A nil, empty or invalid selector (undefined) selects no pod, as eviction.go has it. */
  constructor(readonly selector: Selector | undefined) {}

  /** The pod's facts when this budget selects it. */
  select(pod: KubeObject): PodFacts | undefined {
    const selected = this.selector && matchesLabels(this.selector, pod.metadata.labels);
    return selected ? factsOf(pod) : undefined;
  }

  /** Replaces what the budget knows of one pod; true when anything its status uses changed. */
  set(name: string, facts: PodFacts | undefined): boolean {
    const before = this.pods.get(name);
    if (sameFacts(before, facts)) return false;
    if (before) this.count(before, -1);
    if (facts) {
      this.pods.set(name, facts);
      this.count(facts, 1);
    } else this.pods.delete(name);
    return true;
  }

  private count(facts: PodFacts, sign: 1 | -1): void {
    if (facts.ready && !facts.deleting) this.ready += sign;
    if (!facts.owner) {
      this.ownerless += sign;
      return;
    }
    const uid = facts.owner.uid;
    const owner = this.owners.get(uid) ?? { ref: facts.owner, count: 0 };
    owner.count += sign;
    if (owner.count <= 0) this.owners.delete(uid);
    else this.owners.set(uid, owner);
  }
}

/**
 * The pods of every PodDisruptionBudget, kept up to date from store events,
 * so that a budget's status costs O(its disrupted pods) instead of a scan of
 * its namespace, and only pod changes that matter to a budget wake it.
 */
export class PdbPodIndex {
  private readonly budgets = new Map<string, Map<string, BudgetPods>>();

  constructor(private readonly registry: Registry) {
    for (const entry of registry.store.table(storageKey(podDisruptionBudgets)).all())
      this.track(entry.obj);
  }

  of(namespace: string, name: string): BudgetPods | undefined {
    return this.budgets.get(namespace)?.get(name);
  }

  /** Applies one store event; returns the names of the budgets whose pods it changed, in its namespace. */
  apply(event: StoreEvent): string[] {
    const obj = event.entry.obj;
    if (event.resource === storageKey(podDisruptionBudgets)) {
      if (event.type === "DELETED") this.forget(obj);
      else this.track(obj);
      return [];
    }
    if (event.resource !== storageKey(pods)) return [];
    const changed: string[] = [];
    for (const [name, budget] of this.budgets.get(obj.metadata.namespace ?? "") ?? []) {
      const facts = event.type === "DELETED" ? undefined : budget.select(obj);
      if (budget.set(obj.metadata.name ?? "", facts)) changed.push(name);
    }
    return changed;
  }

  /** Starts tracking a budget, or starts over when its selector changed. */
  private track(pdb: KubeObject): void {
    const namespace = pdb.metadata.namespace ?? "";
    const name = pdb.metadata.name ?? "";
    const selector = pdbSelector(pdb);
    let inNamespace = this.budgets.get(namespace);
    const known = inNamespace?.get(name);
    if (known && JSON.stringify(known.selector) === JSON.stringify(selector)) return;
    const budget = new BudgetPods(selector);
    if (!inNamespace) {
      inNamespace = new Map();
      this.budgets.set(namespace, inNamespace);
    }
    inNamespace.set(name, budget);
    for (const entry of this.registry.store.table(storageKey(pods)).inNamespace(namespace))
      budget.set(entry.name, budget.select(entry.obj));
  }

  private forget(pdb: KubeObject): void {
    const namespace = pdb.metadata.namespace ?? "";
    const inNamespace = this.budgets.get(namespace);
    inNamespace?.delete(pdb.metadata.name ?? "");
    if (inNamespace?.size === 0) this.budgets.delete(namespace);
  }
}
