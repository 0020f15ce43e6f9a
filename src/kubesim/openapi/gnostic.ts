import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  DocumentSchema,
  type SchemaSchema,
} from "../protobuf/gen/github.com/google/gnostic-models/openapiv2/OpenAPIv2_pb";

type JsonSchema = Record<string, unknown>;
type SchemaInit = MessageInitShape<typeof SchemaSchema>;

/**
 * An OpenAPI v2 document as gnostic's protobuf (openapi.v2.Document),
 * which is all kubectl up to 1.2x accepts from /openapi/v2. Only what
 * kubectl reads is carried: definitions with their types, references,
 * items, properties, required fields, descriptions and vendor extensions
 * (as YAML text, as gnostic stores them).
 */
export function gnosticDocument(doc: {
  swagger: string;
  info: { title: string; version: string };
  definitions: Record<string, JsonSchema>;
}): Uint8Array {
  const message = create(DocumentSchema, {
    swagger: doc.swagger,
    info: { title: doc.info.title, version: doc.info.version },
    paths: {},
    definitions: {
      additionalProperties: Object.entries(doc.definitions).map(([name, schema]) => ({
        name,
        value: toSchema(schema),
      })),
    },
  });
  return toBinary(DocumentSchema, message);
}

function toSchema(json: JsonSchema): SchemaInit {
  const schema: SchemaInit = {};
  const text = (key: string) => (typeof json[key] === "string" ? (json[key] as string) : undefined);
  if (text("$ref")) schema.Ref = text("$ref");
  if (text("format")) schema.format = text("format");
  if (text("title")) schema.title = text("title");
  if (text("description")) schema.description = text("description");
  if (typeof json.type === "string") schema.type = { value: [json.type] };
  if (Array.isArray(json.required)) schema.required = json.required.map(String);
  if (isSchema(json.items)) schema.items = { schema: [toSchema(json.items)] };
  if (Array.isArray(json.allOf)) schema.allOf = json.allOf.filter(isSchema).map(toSchema);
  if (isSchema(json.properties))
    schema.properties = {
      additionalProperties: Object.entries(json.properties)
        .filter(([, v]) => isSchema(v))
        .map(([name, value]) => ({ name, value: toSchema(value as JsonSchema) })),
    };
  if (typeof json.additionalProperties === "boolean")
    schema.additionalProperties = { oneof: { case: "boolean", value: json.additionalProperties } };
  else if (isSchema(json.additionalProperties))
    schema.additionalProperties = {
      oneof: { case: "schema", value: toSchema(json.additionalProperties) },
    };
  if (Array.isArray(json.enum))
    schema.enum = json.enum.map((value) => ({ yaml: JSON.stringify(value) }));
  schema.vendorExtension = Object.entries(json)
    .filter(([key]) => key.startsWith("x-"))
    .map(([name, value]) => ({ name, value: { yaml: JSON.stringify(value) } }));
  return schema;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
