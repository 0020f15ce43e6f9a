import {
  field,
  fromLabelSelectorObject,
  type KubeObject,
  type LabelSelectorObject,
  matchesLabels,
  type Selector,
} from "../api";
import type { Registry } from "../registry";
import { podDisruptionBudgets } from "../resources/other/pdb";

/**
 * The PDB's selector, or undefined when it selects nothing: eviction.go treats
 * a nil or empty selector as matching no pod ("it should match nothing, not everything").
 */
export function pdbSelector(pdb: KubeObject): Selector | undefined {
  const raw = field(pdb, "spec", "selector") as LabelSelectorObject | undefined;
  if (!raw) return undefined;
  try {
    const selector = fromLabelSelectorObject(raw);
    return selector.length > 0 ? selector : undefined;
  } catch {
    // An invalid selector does not match the pod (eviction.go getPodDisruptionBudgets).
    return undefined;
  }
}

export function pdbsForPod(registry: Registry, pod: KubeObject): KubeObject[] {
  const namespace = pod.metadata.namespace ?? "";
  return registry
    .list(podDisruptionBudgets, namespace)
    .entries.map((e) => e.obj)
    .filter((pdb) => {
      const selector = pdbSelector(pdb);
      return selector !== undefined && matchesLabels(selector, pod.metadata.labels);
    });
}
