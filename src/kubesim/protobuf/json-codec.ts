import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { setOwn } from "../api";
import { inlinedFields, jsonForms, jsonNameOf, schemaUnions, wrappedLists } from "./json-forms";

type Json = Record<string, unknown>;

/**
 * Kubernetes objects between their JSON (what kubesim stores) and their
 * protobuf wire form, walking the message descriptors of Kubernetes' own
 * generated.proto files: no intermediate message objects, and each field
 * written the way Go's generated marshallers write it. JSON keys the
 * message does not have are collected in `unknown` (strict decoding).
 */
export function encodeJson(desc: DescMessage, json: Json, unknown: string[] = []): Uint8Array {
  const writer = new BinaryWriter();
  writeMessage(writer, desc, json, "", unknown);
  return writer.finish();
}

export function decodeJson(desc: DescMessage, bytes: Uint8Array): Json {
  const reader = new BinaryReader(bytes);
  return readMessage(reader, desc, bytes.length);
}

/** The JSON keys of a message: its fields, with inlined messages' fields lifted in. */
function jsonFields(desc: DescMessage): Map<string, DescField> {
  const cached = fieldCache.get(desc);
  if (cached) return cached;
  const map = new Map<string, DescField>();
  const inlined = inlinedFields.get(desc.typeName);
  for (const field of desc.fields)
    if (field.name !== inlined) map.set(jsonNameOf(desc.typeName, field.name), field);
  fieldCache.set(desc, map);
  return map;
}
const fieldCache = new WeakMap<DescMessage, Map<string, DescField>>();

function byNumber(desc: DescMessage): Map<number, DescField> {
  let map = numberCache.get(desc);
  if (!map) {
    map = new Map(desc.fields.map((f) => [f.number, f]));
    numberCache.set(desc, map);
  }
  return map;
}
const numberCache = new WeakMap<DescMessage, Map<number, DescField>>();

function writeMessage(
  w: BinaryWriter,
  desc: DescMessage,
  json: Json,
  path: string,
  unknown: string[],
): void {
  const form = jsonForms.get(desc.typeName);
  if (form) {
    form.write(w, json, path);
    return;
  }
  const inlinedName = inlinedFields.get(desc.typeName);
  const fields = jsonFields(desc);
  const inlinedField = inlinedName ? desc.fields.find((f) => f.name === inlinedName) : undefined;
  const inlined: Json = {};
  for (const key of Object.keys(json)) {
    const value = json[key];
    if (value === null || value === undefined) continue;
    const field = fields.get(key);
    if (field) writeField(w, field, value, `${path}.${key}`, unknown);
    else if (inlinedField) inlined[key] = value;
    else if (key !== "apiVersion" && key !== "kind") unknown.push(`${path}.${key}`.slice(1));
  }
  if (inlinedField?.message)
    nested(w, inlinedField.number, () =>
      writeMessage(w, inlinedField.message as DescMessage, inlined, path, unknown),
    );
}

function nested(w: BinaryWriter, no: number, write: () => void): void {
  w.tag(no, WireType.LengthDelimited).fork();
  write();
  w.join();
}

function writeField(
  w: BinaryWriter,
  field: DescField,
  value: unknown,
  path: string,
  unknown: string[],
): void {
  switch (field.fieldKind) {
    case "scalar":
      writeScalar(w, field.number, field.scalar, value, path);
      return;
    case "enum":
      w.tag(field.number, WireType.Varint).int32(Number(value));
      return;
    case "message":
      writeMessageField(w, field.number, field.message, value, path, unknown);
      return;
    case "list": {
      if (!Array.isArray(value)) throw new TypeError(`${path}: expected an array`);
      value.forEach((item, i) => {
        if (field.listKind === "message")
          writeMessageField(w, field.number, field.message, item, `${path}[${i}]`, unknown);
        else if (field.listKind === "scalar")
          writeScalar(w, field.number, field.scalar, item, `${path}[${i}]`);
      });
      return;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value))
        throw new TypeError(`${path}: expected an object`);
      for (const [key, item] of Object.entries(value as Json)) {
        if (item === null || item === undefined) continue;
        nested(w, field.number, () => {
          writeScalar(w, 1, field.mapKey, key, path);
          if (field.mapKind === "message")
            writeMessageField(w, 2, field.message, item, `${path}.${key}`, unknown);
          else if (field.mapKind === "scalar")
            writeScalar(w, 2, field.scalar, item, `${path}.${key}`);
        });
      }
    }
  }
}

function writeMessageField(
  w: BinaryWriter,
  no: number,
  desc: DescMessage,
  value: unknown,
  path: string,
  unknown: string[],
): void {
  const list = wrappedLists.get(desc.typeName);
  const union = schemaUnions.get(desc.typeName);
  nested(w, no, () => {
    if (list)
      return writeField(
        w,
        desc.fields.find((f) => f.name === list) as DescField,
        value,
        path,
        unknown,
      );
    if (union) return writeUnion(w, desc, union, value, path, unknown);
    if (!jsonForms.has(desc.typeName) && (typeof value !== "object" || Array.isArray(value)))
      throw new TypeError(`${path}: expected an object`);
    writeMessage(w, desc, value as Json, path, unknown);
  });
}

/** A JSONSchemaPropsOr…: a schema object goes to `schema`; a bool or an array to the other field. */
function writeUnion(
  w: BinaryWriter,
  desc: DescMessage,
  union: { object: string; other: string },
  value: unknown,
  path: string,
  unknown: string[],
): void {
  const isSchema = typeof value === "object" && value !== null && !Array.isArray(value);
  const field = desc.fields.find(
    (f) => f.name === (isSchema ? union.object : union.other),
  ) as DescField;
  if (isSchema && union.other === "allows") writeScalar(w, 1, ScalarType.BOOL, true, path);
  writeField(w, field, value, path, unknown);
}

function writeScalar(
  w: BinaryWriter,
  no: number,
  type: ScalarType,
  value: unknown,
  path: string,
): void {
  switch (type) {
    case ScalarType.STRING:
      if (typeof value !== "string") throw new TypeError(`${path}: expected a string`);
      return void w.tag(no, WireType.LengthDelimited).string(value);
    case ScalarType.BYTES:
      if (typeof value !== "string") throw new TypeError(`${path}: expected base64 text`);
      return void w.tag(no, WireType.LengthDelimited).bytes(Buffer.from(value, "base64"));
    case ScalarType.BOOL:
      if (typeof value !== "boolean") throw new TypeError(`${path}: expected a boolean`);
      return void w.tag(no, WireType.Varint).bool(value);
    case ScalarType.DOUBLE:
      return void w.tag(no, WireType.Bit64).double(number(value, path));
    case ScalarType.FLOAT:
      return void w.tag(no, WireType.Bit32).float(number(value, path));
    case ScalarType.INT64:
    case ScalarType.UINT64:
      return void w.tag(no, WireType.Varint).int64(integer(value, path));
    default:
      return void w.tag(no, WireType.Varint).int32(integer(value, path));
  }
}

function number(value: unknown, path: string): number {
  if (typeof value !== "number") throw new TypeError(`${path}: expected a number`);
  return value;
}

function integer(value: unknown, path: string): number {
  if (!Number.isInteger(value)) throw new TypeError(`${path}: expected an integer`);
  return value as number;
}

function readMessage(r: BinaryReader, desc: DescMessage, end: number): Json {
  const json: Json = {};
  const inlinedName = inlinedFields.get(desc.typeName);
  while (r.pos < end) {
    const [no, wt] = r.tag();
    const field = byNumber(desc).get(no);
    if (!field) {
      r.skip(wt);
      continue;
    }
    const key = jsonNameOf(desc.typeName, field.name);
    if (field.name === inlinedName && field.fieldKind === "message") {
      Object.assign(json, readNested(r, field.message) as Json);
      continue;
    }
    readField(r, field, wt, json, key);
  }
  return json;
}

function readNested(r: BinaryReader, desc: DescMessage): unknown {
  const length = r.uint32();
  const end = r.pos + length;
  const form = jsonForms.get(desc.typeName);
  const list = wrappedLists.get(desc.typeName);
  const union = schemaUnions.get(desc.typeName);
  const value = form ? form.read(r, end) : readMessage(r, desc, end);
  r.pos = end;
  if (list) return (value as Json)[list] ?? [];
  if (union) return unionValue(value as Json, union);
  return value;
}

function unionValue(json: Json, union: { object: string; other: string }): unknown {
  return json[union.object] ?? json[union.other] ?? (union.other === "allows" ? false : []);
}

function readField(r: BinaryReader, field: DescField, wt: WireType, json: Json, key: string): void {
  switch (field.fieldKind) {
    case "scalar": {
      const value = readScalar(r, field.scalar);
      // Go writes every non-pointer field, zero or not; an empty string is no value.
      if (value !== "") json[key] = value;
      return;
    }
    case "enum":
      json[key] = r.int32();
      return;
    case "message": {
      const value = readNested(r, field.message);
      if (value !== undefined) json[key] = value;
      return;
    }
    case "list": {
      json[key] ??= [];
      const list = json[key] as unknown[];
      if (field.listKind === "message") list.push(readNested(r, field.message));
      else if (
        field.listKind === "scalar" &&
        wt === WireType.LengthDelimited &&
        field.scalar !== ScalarType.STRING &&
        field.scalar !== ScalarType.BYTES
      ) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) list.push(readScalar(r, field.scalar));
      } else if (field.listKind === "scalar") list.push(readScalar(r, field.scalar));
      return;
    }
    case "map": {
      json[key] ??= {};
      const map = json[key] as Json;
      const end = r.uint32() + r.pos;
      let entryKey: unknown = "";
      let entryValue: unknown;
      while (r.pos < end) {
        const [no, entryWt] = r.tag();
        if (no === 1) entryKey = readScalar(r, field.mapKey);
        else if (no === 2 && field.mapKind === "message") entryValue = readNested(r, field.message);
        else if (no === 2 && field.mapKind === "scalar") entryValue = readScalar(r, field.scalar);
        else r.skip(entryWt);
      }
      // A key is data, even "__proto__" (which plain assignment would take for the prototype).
      setOwn(
        map,
        String(entryKey),
        entryValue ?? (field.mapKind === "scalar" ? zeroOf(field.scalar) : {}),
      );
    }
  }
}

function readScalar(r: BinaryReader, type: ScalarType): unknown {
  switch (type) {
    case ScalarType.STRING:
      return r.string();
    case ScalarType.BYTES:
      return Buffer.from(r.bytes()).toString("base64");
    case ScalarType.BOOL:
      return r.bool();
    case ScalarType.DOUBLE:
      return r.double();
    case ScalarType.FLOAT:
      return r.float();
    case ScalarType.INT64:
    case ScalarType.UINT64:
      return Number(r.int64());
    default:
      return r.int32();
  }
}

function zeroOf(type: ScalarType): unknown {
  if (type === ScalarType.STRING || type === ScalarType.BYTES) return "";
  return type === ScalarType.BOOL ? false : 0;
}
