import { checkSchema } from "../validate/check-schema";
import { assertNoErrors, type Problem } from "../validate/problem";
import { locateProblems } from "../yaml/locate-problems";
import { parseYaml } from "../yaml/parse-yaml";
import type { ConfigPatch } from "./config-patch";
import { type JsonPatchOperation, jsonPatchOperationSchema } from "./json-patch-operation";

/**
 * Reads a patch (YAML or JSON): a list of `{op, path}` maps is RFC 6902,
 * anything else strategic-merge documents. Malformed operations are all
 * reported at once, with lines, before anything is applied.
 */
export function parsePatch(text: string, file?: string): ConfigPatch {
  const what = file ?? "the patch";
  const yaml = parseYaml(text);
  assertNoErrors(yaml.problems, what, file);
  const [first, ...rest] = yaml.documents;
  if (!first || rest.length > 0 || !Array.isArray(first.value)) {
    return { type: "strategic", documents: yaml.documents.map((d) => d.value) };
  }
  const problems: Problem[] = [];
  const operations: JsonPatchOperation[] = [];
  for (const [i, value] of first.value.entries()) {
    const checked = checkSchema(jsonPatchOperationSchema, value, first.index, [i]);
    if (checked.data) operations.push(checked.data);
    problems.push(...checked.problems);
  }
  assertNoErrors(locateProblems(problems, yaml), what, file);
  return { type: "json", operations };
}
