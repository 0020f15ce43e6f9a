import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

export const protobufMediaType = "application/vnd.kubernetes.protobuf";

/** Every Kubernetes protobuf body starts with these four bytes: "k8s\0". */
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The object's own message, without type information. */
  raw: Uint8Array;
}

/** Why a body is not Kubernetes protobuf, in the API server's words. */
export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

/** The runtime.Unknown envelope, after the magic, around an object's message. */
export function wrap(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).fork();
  writer.tag(1, WireType.LengthDelimited).string(apiVersion);
  writer.tag(2, WireType.LengthDelimited).string(kind);
  writer.join();
  writer.tag(2, WireType.LengthDelimited).bytes(raw);
  writer.tag(3, WireType.LengthDelimited).string("");
  writer.tag(4, WireType.LengthDelimited).string("");
  return Buffer.concat([magic, writer.finish()]);
}

/** The head of an envelope whose raw message is written after it, `rawLength` bytes long (lists). */
export function wrapHead(apiVersion: string, kind: string, rawLength: number): Buffer {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).fork();
  writer.tag(1, WireType.LengthDelimited).string(apiVersion);
  writer.tag(2, WireType.LengthDelimited).string(kind);
  writer.join();
  writer.tag(2, WireType.LengthDelimited).uint32(rawLength);
  return Buffer.concat([magic, writer.finish()]);
}

/** What follows the raw message in an envelope written with wrapHead. */
export const wrapTail = Buffer.from([0x1a, 0x00, 0x22, 0x00]);

export function unwrap(body: Uint8Array): Envelope {
  if (body.length === 0) throw new EnvelopeError("empty data");
  if (body.length < 4 || !magic.equals(Buffer.from(body.subarray(0, 4))))
    throw new EnvelopeError(
      "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    );
  if (body.length === 4) throw new EnvelopeError("empty body");
  const reader = new BinaryReader(body.subarray(4));
  const envelope: Envelope = { apiVersion: "", kind: "", raw: new Uint8Array() };
  try {
    while (reader.pos < reader.len) {
      const [no, wt] = reader.tag();
      if (no === 1) readTypeMeta(reader, envelope);
      else if (no === 2) envelope.raw = reader.bytes();
      else reader.skip(wt);
    }
  } catch (error) {
    throw new EnvelopeError(`proto: ${(error as Error).message}`);
  }
  return envelope;
}

function readTypeMeta(reader: BinaryReader, envelope: Envelope): void {
  const end = reader.uint32() + reader.pos;
  while (reader.pos < end) {
    const [no, wt] = reader.tag();
    if (no === 1) envelope.apiVersion = reader.string();
    else if (no === 2) envelope.kind = reader.string();
    else reader.skip(wt);
  }
}

/** The API server's short rendering of a body it could not read: text if JSON-like, else hex. */
export function summarize(body: Uint8Array): string {
  const head = Buffer.from(body.subarray(0, 30));
  const text = head[0] === 0x7b ? head.toString("utf8") : head.toString("hex");
  return body.length > 30 ? `${text} ...` : text;
}
