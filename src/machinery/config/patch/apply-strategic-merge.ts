import { isPlainObject, type PlainObject } from "../../json-patch/plain";
import { type ConfigKind, isConfigKind, kindOfSection, knownKinds } from "../schema/kinds";
import { apiVersion } from "../schema/primitives";
import { assertNoErrors, type Problem, problem } from "../validate/problem";
import { directiveOf } from "./directives";
import { mergeValue } from "./strategic-merge";

/**
 * Applies strategic-merge patch documents to a multi-document config. Each
 * patch document finds its config document by `kind`, or, when it has none,
 * by its top-level sections (`machine:` → MachineConfig), so a one-line patch
 * works. A patch for a kind the config lacks creates that document;
 * `$patch: delete` next to `kind` removes one. All or nothing: every problem
 * is reported in one KeelsonError and the input is never modified.
 */
export function applyStrategicMerge(
  configDocs: readonly object[],
  patchDocs: readonly unknown[],
): PlainObject[] {
  const problems: Problem[] = [];
  let docs = configDocs.map((d) => ({ ...(d as PlainObject) }));
  for (const [document, patch] of patchDocs.entries()) {
    for (const part of splitByKind(patch, document, problems)) {
      docs = applyPart(docs, part, document, problems);
    }
  }
  assertNoErrors(problems, "the patch");
  return docs;
}

interface Part {
  kind: ConfigKind;
  patch: PlainObject;
}

function splitByKind(patch: unknown, document: number, problems: Problem[]): Part[] {
  const fail = (path: string[], message: string) =>
    problems.push(problem(path, message, { document }));
  if (!isPlainObject(patch)) {
    fail([], "a strategic-merge patch document must be a map");
    return [];
  }
  const kind = patch.kind;
  if (kind !== undefined) {
    if (isConfigKind(kind)) return [{ kind, patch }];
    fail(
      ["kind"],
      `unknown kind ${JSON.stringify(kind)} (expected one of ${knownKinds.join(", ")})`,
    );
    return [];
  }
  const byKind = new Map<ConfigKind, PlainObject>();
  for (const [section, value] of Object.entries(patch)) {
    if (section === "apiVersion") continue;
    const owner = kindOfSection(section);
    if (!owner) {
      fail(
        [section],
        `unknown section "${section}"; give kind, or patch one of machine, etcd, cluster`,
      );
      continue;
    }
    byKind.set(owner, { ...(byKind.get(owner) ?? {}), [section]: value });
  }
  return [...byKind].map(([owner, part]) => ({ kind: owner, patch: part }));
}

function applyPart(
  docs: PlainObject[],
  part: Part,
  document: number,
  problems: Problem[],
): PlainObject[] {
  const index = docs.findIndex((d) => d.kind === part.kind);
  const target = docs[index];
  const version = part.patch.apiVersion ?? target?.apiVersion ?? apiVersion;
  if (target && target.apiVersion !== version) {
    problems.push(
      problem(
        ["apiVersion"],
        `the patch is for ${String(version)}, the config is ${String(target.apiVersion)}`,
        { document },
      ),
    );
    return docs;
  }
  if (directiveOf(part.patch) === "delete") {
    if (!target)
      problems.push(problem([], `cannot delete: the config has no ${part.kind}`, { document }));
    return docs.filter((_, i) => i !== index);
  }
  // `$patch: replace` next to kind replaces the whole document; mergeValue handles it.
  const patch = { ...part.patch, apiVersion: version, kind: part.kind };
  const merged = mergeValue(target ?? {}, patch, [], { document, problems }) as PlainObject;
  return target ? docs.map((d, i) => (i === index ? merged : d)) : [...docs, merged];
}
