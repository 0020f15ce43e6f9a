import { KeelsonError } from "../../errors";
import { applyJsonPatch } from "../../json-patch/apply-json-patch";
import { parsePointer } from "../../json-patch/json-pointer";
import type { PlainObject } from "../../json-patch/plain";
import { type ConfigKind, kindOfSection } from "../schema/kinds";
import type { JsonPatchOperation } from "./json-patch-operation";

/**
 * RFC 6902 on a multi-document config: each operation goes to the document
 * owning its first path segment (`/machine/...` → MachineConfig), so paths
 * read as in a single document. apiVersion and kind are not patchable, and
 * move/copy stay within one document.
 */
export function applyJsonPatchToConfig(
  docs: readonly object[],
  operations: readonly JsonPatchOperation[],
): PlainObject[] {
  const byKind = new Map<ConfigKind, JsonPatchOperation[]>();
  const problems: string[] = [];
  for (const [i, operation] of operations.entries()) {
    const kind = kindOf(operation.path);
    const fromKind = "from" in operation ? kindOf(operation.from) : kind;
    if (!kind)
      problems.push(
        `operation ${i} (${operation.op} ${operation.path}): the path must start with /machine, /etcd or /cluster`,
      );
    else if (fromKind !== kind)
      problems.push(`operation ${i} (${operation.op}): from and path are in different documents`);
    else byKind.set(kind, [...(byKind.get(kind) ?? []), operation]);
  }
  const missing = [...byKind.keys()].filter(
    (kind) => !docs.some((d) => (d as PlainObject).kind === kind),
  );
  for (const kind of missing) problems.push(`the config has no ${kind} document to patch`);
  if (problems.length)
    throw new KeelsonError(
      "invalidArgument",
      `the JSON patch has ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}:\n${problems.join("\n")}`,
    );
  return docs.map((doc) => {
    const operationsForDoc = byKind.get((doc as PlainObject).kind as ConfigKind);
    return (operationsForDoc ? applyJsonPatch(doc, operationsForDoc) : { ...doc }) as PlainObject;
  });
}

function kindOf(pointer: string): ConfigKind | undefined {
  const first = parsePointer(pointer)?.[0];
  return first === undefined ? undefined : kindOfSection(first);
}
