import * as z from "zod/mini";
import { secretsBundleSchema } from "../generate/secrets-bundle";
import { clusterConfigSchema } from "./cluster-config";
import { machineConfigSchema } from "./machine-config";

const schemaBase = "https://keelson.dev/schemas/v1alpha1";

/**
 * The JSON Schemas checked in under schemas/, for editors. `config.json`
 * accepts either document, for a multi-document file with one modeline.
 */
export function jsonSchemas(): Record<string, object> {
  const render = (file: string, schema: z.ZodMiniType, title: string) => ({
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
    $id: `${schemaBase}/${file}`,
    title,
  });
  return {
    "machine-config.json": render(
      "machine-config.json",
      machineConfigSchema,
      "Keelson MachineConfig",
    ),
    "cluster-config.json": render(
      "cluster-config.json",
      clusterConfigSchema,
      "Keelson ClusterConfig",
    ),
    "config.json": render(
      "config.json",
      z.union([machineConfigSchema, clusterConfigSchema]),
      "Keelson config document",
    ),
    "secrets-bundle.json": render(
      "secrets-bundle.json",
      secretsBundleSchema,
      "Keelson secrets bundle",
    ),
  };
}
