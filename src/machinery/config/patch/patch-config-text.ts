import { parseAllDocuments } from "yaml";
import { KeelsonError } from "../../errors";
import { stringifyConfig } from "../yaml/stringify-config";
import { applyPatches } from "./apply-patches";
import type { ConfigPatch } from "./config-patch";

/** Applies patches to config text; the node validates the result before it applies anything. */
export function patchConfigText(text: string, patches: readonly ConfigPatch[]): string {
  if (patches.length === 0) return text;
  const documents = parseAllDocuments(text);
  const broken = documents.flatMap((d) => d.errors);
  if (broken.length)
    throw new KeelsonError(
      "invalidArgument",
      `the configuration is not valid YAML: ${broken[0]?.message}`,
    );
  return stringifyConfig(
    applyPatches(
      documents.map((d) => d.toJS() as object),
      patches,
    ),
  );
}
