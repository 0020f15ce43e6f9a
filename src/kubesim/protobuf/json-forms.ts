import type { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { WireType } from "@bufbuild/protobuf/wire";
import { formatGoDuration, parseGoDuration } from "../../machinery/duration";

/**
 * Kubernetes' types whose JSON is not their protobuf message's fields: how
 * each one reads from and writes to the wire as the JSON value it stands for.
 * Names are protobuf type names.
 */
export interface JsonForm {
  write(writer: BinaryWriter, json: unknown, path: string): void;
  read(reader: BinaryReader, end: number): unknown;
}

const meta = "k8s.io.apimachinery.pkg.apis.meta.v1";
const apiextensions = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads each field of a small message into a map of field number → value. */
function fields(reader: BinaryReader, end: number, read: (no: number, wt: WireType) => void): void {
  while (reader.pos < end) {
    const [no, wt] = reader.tag();
    read(no, wt);
  }
}

/** A metav1.Time: whole seconds, written as RFC 3339 (no fraction) in JSON. */
const time: JsonForm = {
  write(writer, json, path) {
    const ms = Date.parse(String(json));
    if (typeof json !== "string" || Number.isNaN(ms))
      throw new TypeError(`${path}: not an RFC 3339 time`);
    writer.tag(1, WireType.Varint).int64(Math.floor(ms / 1000));
    writer.tag(2, WireType.Varint).int32(0);
  },
  read(reader, end) {
    let seconds = 0;
    fields(reader, end, (no, wt) => {
      if (no === 1) seconds = Number(reader.int64());
      else reader.skip(wt);
    });
    return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
  },
};

/** A metav1.MicroTime: microseconds, six fractional digits in JSON. */
const microTime: JsonForm = {
  write(writer, json, path) {
    const text = String(json);
    const ms = Date.parse(text);
    if (typeof json !== "string" || Number.isNaN(ms))
      throw new TypeError(`${path}: not an RFC 3339 time`);
    const micros = Number((/\.(\d{1,6})/.exec(text)?.[1] ?? "0").padEnd(6, "0"));
    writer.tag(1, WireType.Varint).int64(Math.floor(ms / 1000));
    writer.tag(2, WireType.Varint).int32(micros * 1000);
  },
  read(reader, end) {
    let seconds = 0;
    let nanos = 0;
    fields(reader, end, (no, wt) => {
      if (no === 1) seconds = Number(reader.int64());
      else if (no === 2) nanos = reader.int32();
      else reader.skip(wt);
    });
    if (seconds === 0 && nanos === 0) return undefined;
    const micros = String(Math.floor(nanos / 1000)).padStart(6, "0");
    return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`);
  },
};

/** One field holding the value itself: Quantity's string, Duration's nanoseconds, JSON's raw bytes. */
function single(
  no: number,
  wire: WireType,
  write: (writer: BinaryWriter, json: unknown, path: string) => void,
  read: (reader: BinaryReader) => unknown,
): JsonForm {
  return {
    write(writer, json, path) {
      writer.tag(no, wire);
      write(writer, json, path);
    },
    read(reader, end) {
      let value: unknown;
      fields(reader, end, (n, wt) => {
        if (n === no) value = read(reader);
        else reader.skip(wt);
      });
      return value;
    },
  };
}

/** Embedded JSON carried as bytes (RawExtension, FieldsV1, apiextensions JSON). */
const rawJson = (no: number) =>
  single(
    no,
    WireType.LengthDelimited,
    (w, json) => w.bytes(encoder.encode(JSON.stringify(json))),
    (r) => {
      const text = decoder.decode(r.bytes());
      return text ? JSON.parse(text) : undefined;
    },
  );

/** intstr.IntOrString: a number or a string in JSON. */
const intOrString: JsonForm = {
  write(writer, json, path) {
    if (typeof json === "number") {
      writer.tag(1, WireType.Varint).int64(0);
      writer.tag(2, WireType.Varint).int32(json);
    } else if (typeof json === "string") {
      writer.tag(1, WireType.Varint).int64(1);
      writer.tag(3, WireType.LengthDelimited).string(json);
    } else throw new TypeError(`${path}: expected an integer or a string`);
  },
  read(reader, end) {
    let type = 0;
    let int = 0;
    let str = "";
    fields(reader, end, (no, wt) => {
      if (no === 1) type = Number(reader.int64());
      else if (no === 2) int = reader.int32();
      else if (no === 3) str = reader.string();
      else reader.skip(wt);
    });
    return type === 1 ? str : int;
  },
};

export const jsonForms: ReadonlyMap<string, JsonForm> = new Map<string, JsonForm>([
  [`${meta}.Time`, time],
  [`${meta}.MicroTime`, microTime],
  [
    `${meta}.Duration`,
    single(
      1,
      WireType.Varint,
      (w, json, path) => w.int64(parseGoDuration(String(json), path)),
      (r) => formatGoDuration(Number(r.int64())),
    ),
  ],
  [
    "k8s.io.apimachinery.pkg.api.resource.Quantity",
    single(
      1,
      WireType.LengthDelimited,
      (w, json) => w.string(String(json)),
      (r) => r.string(),
    ),
  ],
  ["k8s.io.apimachinery.pkg.util.intstr.IntOrString", intOrString],
  [`${meta}.FieldsV1`, rawJson(1)],
  ["k8s.io.apimachinery.pkg.runtime.RawExtension", rawJson(1)],
  [`${apiextensions}.JSON`, rawJson(1)],
]);

/**
 * Fields whose message Go's JSON inlines into the parent (`json:",inline"`):
 * a Volume's source, a Probe's handler, a key selector's object reference.
 */
export const inlinedFields: ReadonlyMap<string, string> = new Map([
  ["k8s.io.api.core.v1.Volume", "volumeSource"],
  ["k8s.io.api.core.v1.PersistentVolumeSpec", "persistentVolumeSource"],
  ["k8s.io.api.core.v1.Probe", "handler"],
  ["k8s.io.api.core.v1.EphemeralContainer", "ephemeralContainerCommon"],
  ...[
    "ConfigMapEnvSource",
    "ConfigMapKeySelector",
    "ConfigMapProjection",
    "ConfigMapVolumeSource",
    "SecretEnvSource",
    "SecretKeySelector",
    "SecretProjection",
  ].map((m): [string, string] => [`k8s.io.api.core.v1.${m}`, "localObjectReference"]),
]);

/** A field's JSON name where it is not the protobuf one. */
export function jsonNameOf(message: string, field: string): string {
  if (message !== `${apiextensions}.JSONSchemaProps`) return field;
  if (field === "ref" || field === "schema") return `$${field}`;
  if (field.startsWith("xKubernetes"))
    return `x${field.slice(1).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return field;
}

/** The JSONSchemaPropsOr… unions: which field a JSON value of each shape goes to. */
export const schemaUnions: ReadonlyMap<string, { object: string; other: string }> = new Map([
  [`${apiextensions}.JSONSchemaPropsOrArray`, { object: "schema", other: "jSONSchemas" }],
  [`${apiextensions}.JSONSchemaPropsOrBool`, { object: "schema", other: "allows" }],
  [`${apiextensions}.JSONSchemaPropsOrStringArray`, { object: "schema", other: "property" }],
]);

/** metav1.Verbs: a JSON array of strings, a message with one repeated field in protobuf. */
export const wrappedLists: ReadonlyMap<string, string> = new Map([[`${meta}.Verbs`, "items"]]);
