import type { KubeObject } from "../api";
import { applyPatch } from "../patch";
import { Catalog } from "../resources/catalog";
import type { ResourceType } from "../resources/resource-type";
import { ObjectStore } from "../store";
import type { DeleteOptions, RegistryContext, WriteOptions } from "./context";
import { createObject } from "./create";
import { type DeleteResult, deleteObject } from "./delete";
import { type ListOptions, type ListResult, listObjects } from "./list";
import { checkResourceVersion, currentEntry, updateObject } from "./update";
import { writableCopy } from "./writable-copy";

/**
 * The API semantics in one place. The HTTP handlers and the in-process
 * controllers both go through it, so a write from the scheduler follows the
 * same rules (versions, validation, finalizers) as one from kubectl.
 */
export class Registry implements RegistryContext {
  readonly store: ObjectStore;
  readonly catalog: Catalog;

  constructor(store = new ObjectStore(), catalog = new Catalog()) {
    this.store = store;
    this.catalog = catalog;
  }

  now(): number {
    return Date.now();
  }

  type(key: string): ResourceType {
    const type = this.catalog.byKey(key);
    if (!type) throw new Error(`kubesim: no resource ${key}`);
    return type;
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    return currentEntry(this, type, namespace, name).obj;
  }

  tryGet(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(`${type.group}/${type.plural}`, type.namespaced ? namespace : "", name)
      ?.obj;
  }

  list(type: ResourceType, namespace?: string, options?: ListOptions): ListResult {
    return listObjects(this, type, namespace, options);
  }

  create(type: ResourceType, namespace: string, body: unknown, options?: WriteOptions): KubeObject {
    return createObject(this, type, namespace, body, options);
  }

  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    options?: WriteOptions,
  ): KubeObject {
    return updateObject(this, type, namespace, name, body, options).obj;
  }

  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patch: unknown,
    contentType: string,
    options: WriteOptions = {},
  ): KubeObject {
    const current = currentEntry(this, type, namespace, name);
    const patched = applyPatch(current.obj, patch, contentType, !type.crd) as KubeObject;
    const requested = (patched?.metadata as KubeObject["metadata"] | undefined)?.resourceVersion;
    checkResourceVersion(type, name, requested, current.rv);
    return updateObject(this, type, namespace, name, patched, options).obj;
  }

  /**
   * Read-modify-write for in-process callers; returns undefined when the object
   * is gone. `change` gets a writableCopy: it may set fields of the object and of
   * its top-level parts, and must replace anything deeper instead of editing it.
   */
  mutate(
    type: ResourceType,
    namespace: string,
    name: string,
    change: (obj: KubeObject) => void,
    options?: WriteOptions,
  ): KubeObject | undefined {
    const current = this.tryGet(type, namespace, name);
    if (!current) return undefined;
    const next = writableCopy(current);
    change(next);
    return this.update(type, namespace, name, next, { ...options, trusted: true });
  }

  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    options?: DeleteOptions,
  ): DeleteResult {
    return deleteObject(this, type, namespace, name, options);
  }
}
