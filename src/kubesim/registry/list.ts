import {
  badRequest,
  type FieldRequirement,
  gone,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Selector,
} from "../api";
import { type ResourceType, storageKey } from "../resources/resource-type";
import type { Entry } from "../store";
import type { RegistryContext } from "./context";

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continue?: string | null;
}

export interface ListResult {
  /** Read-only: for a whole unfiltered list, the table's own cached array. */
  entries: readonly Entry[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

export interface Filter {
  labels: Selector;
  fields: FieldRequirement[];
}

export function parseFilter(type: ResourceType, options: ListOptions): Filter {
  const supported = [
    "metadata.name",
    ...(type.namespaced ? ["metadata.namespace"] : []),
    ...(type.fieldSelectors ?? []),
  ];
  return {
    labels: parseLabelSelector(options.labelSelector),
    fields: parseFieldSelector(options.fieldSelector, supported),
  };
}

export function matchesFilter(filter: Filter, entry: Entry): boolean {
  return (
    matchesLabels(filter.labels, entry.obj.metadata.labels) &&
    matchesFields(filter.fields, entry.obj)
  );
}

interface ContinueToken {
  rv: number;
  ns: string;
  name: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString()) as ContinueToken;
    if (typeof parsed.rv === "number" && typeof parsed.name === "string") return parsed;
  } catch {
    // Falls through to the same error a real server gives for garbage.
  }
  throw badRequest(
    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
  );
}

/** Index of the first entry after (ns, name) in the table's (namespace, name) order. */
function startAfter(entries: Entry[], ns: string, name: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = entries[mid] as Entry;
    const before = e.namespace < ns || (e.namespace === ns && e.name <= name);
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * LIST with selectors and limit/continue. Pages resume after the last key
 * returned; unlike etcd they read the current state, not a snapshot.
 */
export function listObjects(
  ctx: RegistryContext,
  type: ResourceType,
  namespace: string | undefined,
  options: ListOptions = {},
): ListResult {
  const filter = parseFilter(type, options);
  const table = ctx.store.table(storageKey(type));
  const all = table.list(type.namespaced ? namespace : undefined);
  const token = options.continue ? decodeContinue(options.continue) : undefined;
  if (token && token.rv < ctx.store.log.oldestRv()) {
    throw gone(
      "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
    );
  }
  const rv = token?.rv ?? ctx.store.resourceVersion;
  const unfiltered = filter.labels.length === 0 && filter.fields.length === 0;
  // Everything, unpaged: the table's own sorted array (shared, never to be modified).
  if (unfiltered && !token && !(options.limit && options.limit > 0))
    return { entries: all, resourceVersion: rv };
  const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
  const entries: Entry[] = [];
  let i = token ? startAfter(all, token.ns, token.name) : 0;
  for (; i < all.length && entries.length < limit; i++) {
    const entry = all[i] as Entry;
    if (matchesFilter(filter, entry)) entries.push(entry);
  }
  const last = entries.at(-1);
  if (i >= all.length || !last) return { entries, resourceVersion: rv };
  const next: ContinueToken = { rv, ns: last.namespace, name: last.name };
  const remaining =
    filter.labels.length === 0 && filter.fields.length === 0 ? all.length - i : undefined;
  return {
    entries,
    resourceVersion: rv,
    continue: Buffer.from(JSON.stringify(next)).toString("base64url"),
    ...(remaining !== undefined ? { remainingItemCount: remaining } : {}),
  };
}
