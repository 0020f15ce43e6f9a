import type { ClusterConfig } from "../schema/cluster-config";
import type { ConfigDocument } from "../schema/kinds";
import type { MachineConfig } from "../schema/machine-config";

/** A located document: its index in the YAML stream, so rules can report where. */
export interface Located<T> {
  document: number;
  config: T;
}

/** The documents of one config by kind, for rules that look across them. */
export interface ConfigSet {
  machine?: Located<MachineConfig>;
  cluster?: Located<ClusterConfig>;
}

export function configSet(documents: readonly Located<ConfigDocument>[]): ConfigSet {
  const set: ConfigSet = {};
  for (const { document, config } of documents) {
    if (config.kind === "MachineConfig") set.machine ??= { document, config };
    else set.cluster ??= { document, config };
  }
  return set;
}

/** Every field optional at every depth: what a document that failed its schema may look like. */
export type Loose<T> = T extends object ? { [K in keyof T]?: Loose<T[K]> | null } : T;

/**
 * The documents by kind before schema checks, for rules that only test
 * presence or equality (role, cluster): they are reported even when other
 * fields are invalid. Every access must use `?.`.
 */
export interface LooseSet {
  machine?: Located<Loose<MachineConfig>>;
  cluster?: Located<Loose<ClusterConfig>>;
}

export function looseSet(values: readonly { index: number; value: unknown }[]): LooseSet {
  const set: LooseSet = {};
  for (const { index, value } of values) {
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind === "MachineConfig")
      set.machine ??= { document: index, config: value as Loose<MachineConfig> };
    if (kind === "ClusterConfig")
      set.cluster ??= { document: index, config: value as Loose<ClusterConfig> };
  }
  return set;
}
