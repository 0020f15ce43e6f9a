import { controllerOf, type KubeObject, matchesLabels, type OwnerReference } from "../api";
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

  constructor(readonly selectorText: string) {}

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

  /** Applies one store event; returns the names of the budgets it changed, in its namespace. */
  apply(event: StoreEvent): string[] {
    const obj = event.entry.obj;
    if (event.resource === storageKey(podDisruptionBudgets)) {
      if (event.type === "DELETED") this.forget(obj);
      else if (this.track(obj)) return [obj.metadata.name ?? ""];
      return [];
    }
    if (event.resource !== storageKey(pods)) return [];
    const changed: string[] = [];
    for (const [name, budget] of this.budgets.get(obj.metadata.namespace ?? "") ?? []) {
      const facts = event.type === "DELETED" ? undefined : this.selected(budget, obj);
      if (budget.set(obj.metadata.name ?? "", facts)) changed.push(name);
    }
    return changed;
  }

  private selected(budget: BudgetPods, pod: KubeObject): PodFacts | undefined {
    const selector = budget.selectorText ? selectorOf(budget) : undefined;
    return selector && matchesLabels(selector, pod.metadata.labels) ? factsOf(pod) : undefined;
  }

  /** Starts or restarts tracking a budget; false when its selector did not change. */
  private track(pdb: KubeObject): boolean {
    const namespace = pdb.metadata.namespace ?? "";
    const name = pdb.metadata.name ?? "";
    const selector = pdbSelector(pdb);
    const text = selector ? JSON.stringify(selector) : "";
    let inNamespace = this.budgets.get(namespace);
    if (inNamespace?.get(name)?.selectorText === text) return false;
    const budget = new BudgetPods(text);
    selectors.set(budget, selector);
    if (!inNamespace) {
      inNamespace = new Map();
      this.budgets.set(namespace, inNamespace);
    }
    inNamespace.set(name, budget);
    for (const entry of this.registry.store.table(storageKey(pods)).inNamespace(namespace))
      budget.set(entry.name, this.selected(budget, entry.obj));
    return true;
  }

  private forget(pdb: KubeObject): void {
    const namespace = pdb.metadata.namespace ?? "";
    const inNamespace = this.budgets.get(namespace);
    inNamespace?.delete(pdb.metadata.name ?? "");
    if (inNamespace?.size === 0) this.budgets.delete(namespace);
  }
}

const selectors = new WeakMap<BudgetPods, ReturnType<typeof pdbSelector>>();

function selectorOf(budget: BudgetPods) {
  return selectors.get(budget);
}
