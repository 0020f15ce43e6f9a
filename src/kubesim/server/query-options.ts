import { badRequest, StatusError } from "../api";

/**
 * Go's strconv.ParseBool, which the API server's query parameter decoding
 * uses: "1", "t", "T", "TRUE", "true", "True" and their false forms.
 */
export function parseGoBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

/** A boolean query parameter; absent or empty is `fallback`, anything unparseable a 400. */
export function boolParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const value = parseGoBool(text);
  if (value === undefined)
    throw badRequest(`${name}: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
  return value;
}

/** An integer query parameter (timeoutSeconds, limit, gracePeriodSeconds); a 400 when it is not one. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return undefined;
  if (!/^-?\d+$/.test(text))
    throw badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(text);
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

type OptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions";

interface Invalid {
  field: string;
  reason: "FieldValueNotSupported" | "FieldValueRequired" | "FieldValueForbidden";
  message: string;
}

/**
 * What a write asks of field handling: fieldValidation (Warn when absent,
 * as the API server defaults it), and for patches fieldManager and force.
 * Invalid combinations are the 422 the API server sends, every problem in
 * one Status, e.g. an apply without fieldManager.
 */
export function writeOptions(
  query: URLSearchParams,
  kind: OptionsKind,
  apply = false,
): { fieldValidation: FieldValidation; fieldManager?: string; force: boolean } {
  const problems: Invalid[] = [];
  const validation = query.get("fieldValidation") ?? "";
  if (!["", "Ignore", "Strict", "Warn"].includes(validation))
    problems.push({
      field: "fieldValidation",
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(validation)}: supported values: "", "Ignore", "Strict", "Warn"`,
    });
  const fieldManager = query.get("fieldManager") ?? undefined;
  const forceText = query.get("force");
  if (apply && !fieldManager)
    problems.push({
      field: "fieldManager",
      reason: "FieldValueRequired",
      message: "Required value: is required for apply patch",
    });
  if (!apply && kind === "PatchOptions" && forceText !== null)
    problems.push({
      field: "force",
      reason: "FieldValueForbidden",
      message: "Forbidden: may not be specified for non-apply patch",
    });
  if (problems.length > 0) throw invalidOptions(kind, problems);
  return {
    fieldValidation: (validation || "Warn") as FieldValidation,
    ...(fieldManager ? { fieldManager } : {}),
    force: boolParam(query, "force"),
  };
}

function invalidOptions(kind: OptionsKind, problems: Invalid[]): StatusError {
  const texts = problems.map((p) => `${p.field}: ${p.message}`);
  const list = texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
  return new StatusError(422, "Invalid", `${kind}.meta.k8s.io "" is invalid: ${list}`, {
    group: "meta.k8s.io",
    kind,
    causes: problems.map((p) => ({ reason: p.reason, message: p.message, field: p.field })),
  });
}
