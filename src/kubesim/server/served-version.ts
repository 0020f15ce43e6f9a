import type { KubeObject } from "../api";
import { apiVersionOf, type ResourceType } from "../resources/resource-type";
import type { Entry } from "../store";

/** An object as the requested version serves it (its apiVersion converted when stored as another). */
export function served<T>(type: ResourceType, obj: T): T {
  const object = obj as KubeObject;
  if (!type.storedAs || object?.kind !== type.kind) return obj;
  return { ...object, apiVersion: apiVersionOf(type) } as T;
}

/** An entry's JSON for this version: the cached serialization, unless it needs converting. */
export function servedJson(type: ResourceType, entry: Entry): Buffer {
  return type.storedAs ? Buffer.from(JSON.stringify(served(type, entry.obj))) : entry.json;
}
