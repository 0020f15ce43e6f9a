import { randomUUID } from "node:crypto";
import { alreadyExists, badRequest, type KubeObject } from "../api";
import { type ResourceType, storageKey } from "../resources/resource-type";
import { admitNamespace, decodeBody, defaultAndValidate } from "./admission";
import { hasStatus, isoNow, type RegistryContext, type WriteOptions } from "./context";
import { trackManagedFields } from "./track-managed-fields";

const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** names.SimpleNameGenerator: five random characters without vowels. */
export function generateName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++)
    suffix += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
  return `${prefix.slice(0, 58)}${suffix}`;
}

export function createObject(
  ctx: RegistryContext,
  type: ResourceType,
  namespace: string,
  body: unknown,
  options: WriteOptions = {},
): KubeObject {
  const obj = decodeBody(type, body);
  const meta = obj.metadata;
  if (type.namespaced) {
    if (meta.namespace && meta.namespace !== namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    meta.namespace = namespace;
  } else delete meta.namespace;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  admitNamespace(ctx, type, namespace, meta.name ?? "");
  if (hasStatus(type) && type.plural !== "namespaces") delete obj.status;
  defaultAndValidate(type, obj);
  const name = meta.name ?? "";
  if (ctx.store.get(storageKey(type), type.namespaced ? namespace : "", name)) {
    throw alreadyExists(type.plural, type.group, name);
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = isoNow(ctx);
  meta.generation = 1;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  trackManagedFields(ctx, type, undefined, obj, options);
  if (options.dryRun) return obj;
  return ctx.store.put(storageKey(type), obj).obj;
}
