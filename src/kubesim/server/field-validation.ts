import type { ServerResponse } from "node:http";
import { badRequest, isJsonObject, type KubeObject, StatusError } from "../api";
import { apiVersionOf, type ResourceType } from "../resources/resource-type";
import type { FieldValidation } from "./query-options";

/**
 * fieldValidation, as the API server applies it to a write's body: fields
 * the kind does not have are dropped (Ignore), dropped and named in Warning
 * headers (Warn, the default), or refused (Strict: 400 for a create or
 * update, 422 for a patch, in the server's words). Returns the body as it
 * is to be stored.
 */
export async function checkFields<T>(
  res: ServerResponse,
  type: ResourceType,
  body: T,
  validation: FieldValidation,
  operation: "write" | "patch",
): Promise<T> {
  return (await fieldChecker(type))(res, body, validation, operation);
}

type Checker = <T>(
  res: ServerResponse,
  body: T,
  validation: FieldValidation,
  operation: "write" | "patch",
) => T;

/**
 * checkFields, loaded ahead (a built-in kind needs the protobuf messages)
 * so that a read-modify-write can check synchronously, with no other
 * request's write in between.
 */
export async function fieldChecker(type: ResourceType): Promise<Checker> {
  const find = type.crd
    ? (obj: KubeObject) => type.unknownFields?.(obj) ?? []
    : await import("../protobuf").then(
        ({ unknownFields }) =>
          (obj: KubeObject) =>
            unknownFields({ ...obj, apiVersion: apiVersionOf(type), kind: type.kind }),
      );
  return (res, body, validation, operation) => check(res, type, body, validation, operation, find);
}

function check<T>(
  res: ServerResponse,
  type: ResourceType,
  body: T,
  validation: FieldValidation,
  operation: "write" | "patch",
  find: (obj: KubeObject) => string[],
): T {
  if (!isJsonObject(body)) return body;
  const unknown = find(body as unknown as KubeObject);
  if (unknown.length === 0) return body;
  const problems = unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (validation !== "Strict") {
    if (validation === "Warn") addWarnings(res, problems);
    return withoutFields(body, unknown);
  }
  const reason = `strict decoding error: ${problems.join(", ")}`;
  if (operation === "write")
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${reason}`,
    );
  const message = `Invalid value: ${JSON.stringify(JSON.stringify(body))}: ${reason}`;
  throw new StatusError(422, "Invalid", ` "" is invalid: patch: ${message}`, {
    causes: [{ reason: "FieldValueInvalid", message, field: "patch" }],
  });
}

/** A copy without the fields at `paths` ("spec.containers[0].bogus"): what Go's decoding keeps. */
function withoutFields<T>(body: T, paths: readonly string[]): T {
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const path of paths) {
    const steps = path
      .split(/\.|(?=\[)/)
      .map((s) => (s.startsWith("[") ? Number(s.slice(1, -1)) : s));
    const last = steps.pop();
    let node: unknown = copy;
    for (const step of steps) node = (node as Record<string | number, unknown> | undefined)?.[step];
    if (node && typeof node === "object" && last !== undefined)
      delete (node as Record<string | number, unknown>)[last];
  }
  return copy as T;
}

/** RFC 7234 warnings as the API server writes them: `299 - "text"`, one header each. */
export function addWarnings(res: ServerResponse, texts: readonly string[]): void {
  if (res.headersSent || texts.length === 0) return;
  const quoted = texts.map((t) => `299 - "${t.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`);
  const existing = res.getHeader("Warning");
  res.setHeader("Warning", [
    ...(Array.isArray(existing) ? existing : existing ? [String(existing)] : []),
    ...quoted,
  ]);
}
