import { isJsonObject, type KubeObject } from "../api";

/**
 * A copy of a stored object that a writer may change at the top level and
 * one level down (`metadata.finalizers`, `spec.replicas`, `status.conditions`),
 * sharing everything deeper with the stored version. Stored objects are never
 * mutated, so sharing is safe, and it spares a deep clone on every write:
 * at thousands of writes a second the clones were most of the cost.
 */
export function writableCopy(obj: KubeObject): KubeObject {
  const copy: Record<string, unknown> = { ...obj };
  for (const key of Object.keys(copy)) {
    const value = copy[key];
    if (isJsonObject(value)) copy[key] = { ...value };
  }
  return copy as KubeObject;
}
