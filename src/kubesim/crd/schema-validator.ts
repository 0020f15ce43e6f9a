import type { JsonObject, StatusCause } from "../api";
import { getOwn, isJsonObject, setOwn } from "../api";

/** The subset of a structural OpenAPI v3 schema that CRDs use. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  format?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
}

/**
 * Validates `value` against `schema` the way the apiextensions server does,
 * pruning unknown fields as it goes (structural pruning). Paths in causes
 * read like the server's: `spec.replicas`.
 */
export function validateSchema(
  value: unknown,
  schema: Schema,
  path: string,
  out: StatusCause[],
  pruned?: string[],
): unknown {
  if (value === null) {
    if (!schema.nullable && schema.type) out.push(typeError(path, value, schema.type));
    return value;
  }
  if (schema["x-kubernetes-int-or-string"]) {
    if (typeof value !== "string" && !Number.isInteger(value))
      out.push(typeError(path, value, "integer or string"));
    return value;
  }
  if (schema.type && !hasType(value, schema.type)) {
    out.push(typeError(path, value, schema.type));
    return value;
  }
  checkScalar(value, schema, path, out);
  if (Array.isArray(value)) return validateArray(value, schema, path, out, pruned);
  if (isJsonObject(value)) return validateObject(value, schema, path, out, pruned);
  return value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isJsonObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    default:
      return true;
  }
}

function typeError(path: string, value: unknown, type: string): StatusCause {
  const shown = JSON.stringify(
    typeof value === "object" && value !== null
      ? Array.isArray(value)
        ? "array"
        : "object"
      : value,
  );
  return {
    reason: "FieldValueTypeInvalid",
    message: `Invalid value: ${shown}: ${path} in body must be of type ${type}: ${shown}`,
    field: path,
  };
}

function invalid(path: string, value: unknown, why: string): StatusCause {
  return {
    reason: "FieldValueInvalid",
    message: `Invalid value: ${JSON.stringify(value)}: ${path} in body ${why}`,
    field: path,
  };
}

function checkScalar(value: unknown, schema: Schema, path: string, out: StatusCause[]): void {
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    const allowed = schema.enum.map((e) => JSON.stringify(e)).join(", ");
    out.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed}`,
      field: path,
    });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      out.push(invalid(path, value, `should be greater than or equal to ${schema.minimum}`));
    if (schema.maximum !== undefined && value > schema.maximum)
      out.push(invalid(path, value, `should be less than or equal to ${schema.maximum}`));
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      out.push(invalid(path, value, `should be at least ${schema.minLength} chars long`));
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      out.push({
        reason: "FieldValueTooLong",
        message: `Too long: may not be more than ${schema.maxLength} bytes`,
        field: path,
      });
    if (schema.pattern !== undefined && !safePattern(schema.pattern).test(value))
      out.push(invalid(path, value, `should match '${schema.pattern}'`));
  }
}

function safePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return /.*/;
  }
}

function validateArray(
  value: unknown[],
  schema: Schema,
  path: string,
  out: StatusCause[],
  pruned: string[] | undefined,
): unknown[] {
  if (schema.minItems !== undefined && value.length < schema.minItems)
    out.push(invalid(path, value.length, `should have at least ${schema.minItems} items`));
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    out.push({
      reason: "FieldValueTooMany",
      message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
      field: path,
    });
  const items = schema.items;
  return items
    ? value.map((item, i) => validateSchema(item, items, `${path}[${i}]`, out, pruned))
    : value;
}

function validateObject(
  value: JsonObject,
  schema: Schema,
  path: string,
  out: StatusCause[],
  pruned: string[] | undefined,
): JsonObject {
  for (const key of schema.required ?? []) {
    if (getOwn(value, key) === undefined)
      out.push({ reason: "FieldValueRequired", message: "Required value", field: join(path, key) });
  }
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    // Keys are data: "constructor" or "__proto__" never reach the prototype.
    const sub = (schema.properties && getOwn(schema.properties, key)) ?? additional(schema);
    if (sub)
      setOwn(result, key, validateSchema(child, sub as Schema, join(path, key), out, pruned));
    else if (preserve || (!schema.properties && !schema.type)) setOwn(result, key, child);
    // Anything else is an unknown field: pruned, as the apiextensions server does.
    else pruned?.push(join(path, key));
  }
  return result;
}

function additional(schema: Schema): Schema | undefined {
  if (schema.additionalProperties === true) return {};
  if (isJsonObject(schema.additionalProperties)) return schema.additionalProperties as Schema;
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
