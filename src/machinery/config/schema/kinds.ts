import type * as z from "zod/mini";
import { type ClusterConfig, clusterConfigSchema } from "./cluster-config";
import { type MachineConfig, machineConfigSchema } from "./machine-config";
import { apiVersion } from "./primitives";

/**
 * The one table of document kinds: their schema and the top-level sections
 * they own. Sections are unique across kinds, which lets a patch without
 * `kind` (or a JSON patch path) find its document.
 */
export const configKinds = {
  MachineConfig: { schema: machineConfigSchema, sections: ["machine", "etcd"] },
  ClusterConfig: { schema: clusterConfigSchema, sections: ["cluster"] },
} as const satisfies Record<string, { schema: z.ZodMiniType; sections: readonly string[] }>;

export type ConfigKind = keyof typeof configKinds;
export type ConfigDocument = MachineConfig | ClusterConfig;
export const knownKinds = Object.keys(configKinds) as ConfigKind[];
export const supportedApiVersions: readonly string[] = [apiVersion];

export function isConfigKind(kind: unknown): kind is ConfigKind {
  return typeof kind === "string" && Object.hasOwn(configKinds, kind);
}

/** The kind owning a top-level section ("machine" → MachineConfig), if any. */
export function kindOfSection(section: string): ConfigKind | undefined {
  return knownKinds.find((kind) =>
    (configKinds[kind].sections as readonly string[]).includes(section),
  );
}
