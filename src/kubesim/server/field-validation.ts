import type { ServerResponse } from "node:http";
import { badRequest, isJsonObject, type KubeObject, StatusError } from "../api";
import type { ResourceType } from "../resources/resource-type";
import type { FieldValidation } from "./query-options";

/**
 * fieldValidation, as the API server applies it to a write's body: fields
 * the kind does not have are dropped (Ignore), named in Warning headers
 * (Warn, the default), or refused (Strict: 400 for a create or update, 422
 * for a patch, in the server's words).
 */
export async function checkFields(
  res: ServerResponse,
  type: ResourceType,
  body: unknown,
  validation: FieldValidation,
  operation: "write" | "patch",
): Promise<void> {
  if (validation === "Ignore" || !isJsonObject(body)) return;
  const unknown = await unknownFieldsOf(type, body as KubeObject);
  if (unknown.length === 0) return;
  const problems = unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (validation === "Warn") return addWarnings(res, problems);
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

async function unknownFieldsOf(type: ResourceType, obj: KubeObject): Promise<string[]> {
  if (type.crd) return type.unknownFields?.(obj) ?? [];
  const { unknownFields } = await import("../protobuf");
  return unknownFields({ ...obj, apiVersion: obj.apiVersion ?? "", kind: obj.kind ?? type.kind });
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
