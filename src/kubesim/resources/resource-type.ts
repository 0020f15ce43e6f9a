import type { KubeObject, StatusCause } from "../api";

export interface Column {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: string;
  description?: string;
  /** 0 shows always; 1 only with -o wide. */
  priority: number;
  cell(obj: KubeObject, now: number): string | number | boolean | null;
}

export type Subresource = "status" | "eviction" | "log" | "binding" | "scale";

/**
 * Everything the server needs to know to serve one resource: identity for
 * discovery, how to validate and default it, how to print it as a Table.
 */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories?: readonly string[];
  subresources: readonly Subresource[];
  /** Field selector paths besides metadata.name and metadata.namespace. */
  fieldSelectors?: readonly string[];
  columns: readonly Column[];
  /** Rejects, with a 400, what Go's strict JSON decoding of the kind would reject. */
  decode?(obj: KubeObject): void;
  /** Fills defaults before validation, on create and update. */
  defaults?(obj: KubeObject): void;
  validate?(obj: KubeObject, old: KubeObject | undefined): StatusCause[];
  /** Seconds a DELETE waits for by default (pods); undefined deletes at once. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
  /** Finalizers kept outside metadata (a namespace's spec.finalizers) that also hold a deletion. */
  specFinalizers?(obj: KubeObject): readonly string[];
  /** Marks an object whose deletion has started (a namespace's phase becomes Terminating). */
  onTerminating?(obj: KubeObject): void;
  /** Refuses a DELETE before anything happens (system namespaces). */
  admitDelete?(obj: KubeObject): void;
  /** The paths of fields the kind does not have (custom resources; built-ins use their messages). */
  unknownFields?(obj: KubeObject): string[];
  /** DELETE answers with the deleted object rather than a Status (pods, namespaces, service accounts). */
  returnsDeletedObject?: boolean;
  /**
   * The apiVersion objects are stored in when another version of the same
   * resource is the storage one (policy/v1beta1 PodDisruptionBudgets are
   * stored as policy/v1); responses are converted to this version.
   */
  storedAs?: string;
  /** Custom resources: the version's openAPIV3Schema, for OpenAPI documents. */
  schema?: Record<string, unknown>;
  /** Set for custom resources: the CRD's name. */
  crd?: string;
}

export function storageKey(type: Pick<ResourceType, "group" | "plural">): string {
  return `${type.group}/${type.plural}`;
}

export function apiVersionOf(type: Pick<ResourceType, "group" | "version">): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
