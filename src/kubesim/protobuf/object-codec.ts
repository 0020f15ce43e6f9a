import { badRequest, type KubeObject } from "../api";
import { EnvelopeError, summarize, unwrap, wrap } from "./envelope";
import { decodeJson, encodeJson } from "./json-codec";
import { messageOf } from "./kinds";

/** An object's own message, without envelope (a list's items); undefined for custom resources. */
export function encodeMessage(obj: KubeObject): Uint8Array | undefined {
  const desc = messageOf(obj.apiVersion, obj.kind);
  return desc && encodeJson(desc, obj);
}

/** An object as a whole protobuf body: magic, envelope, message. */
export function encodeObject(obj: KubeObject): Buffer | undefined {
  const raw = encodeMessage(obj);
  return raw && wrap(obj.apiVersion, obj.kind, raw);
}

/**
 * A protobuf request body as the JSON object it stands for, or the 400 the
 * API server answers (naming the kind the endpoint expected, and showing
 * the start of what it got).
 */
export function decodeObject(
  body: Uint8Array,
  expected: { apiVersion: string; kind: string },
): KubeObject {
  let apiVersion = expected.apiVersion;
  let kind = expected.kind;
  try {
    const envelope = unwrap(body);
    apiVersion = envelope.apiVersion || apiVersion;
    kind = envelope.kind || kind;
    const desc = messageOf(apiVersion, kind);
    if (!desc)
      throw new EnvelopeError(`no kind "${kind}" is registered for version "${apiVersion}"`);
    return { ...decodeJson(desc, envelope.raw), apiVersion, kind } as KubeObject;
  } catch (error) {
    const reason = (error as Error).message;
    if (error instanceof EnvelopeError)
      throw badRequest(
        `the object provided is unrecognized (must be of type ${expected.kind}): ${reason} (${summarize(body)})`,
      );
    throw badRequest(
      `${kind} in version "${apiVersion}" cannot be handled as a ${expected.kind}: ${reason}`,
    );
  }
}

/**
 * The fields of a JSON object its kind's message does not have, as the
 * API server's strict decoding names them ("spec.containers[0].bogus").
 * A value of the wrong type is left to validation.
 */
export function unknownFields(obj: KubeObject): string[] {
  const desc = messageOf(obj.apiVersion, obj.kind);
  if (!desc) return [];
  const unknown: string[] = [];
  try {
    encodeJson(desc, obj, unknown);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return unknown;
}
