import { isJsonObject } from "../api";
import { apiVersionOf } from "../resources/resource-type";
import { decodeJson, mediaType, readBody } from "./http-io";
import type { Call } from "./server-context";
import { codec, protobufType } from "./wire-format";

/**
 * The request body as the JSON object it stands for: JSON, YAML, or
 * Kubernetes protobuf for kinds that have a message (`expected` names the
 * kind the endpoint takes, for a body whose envelope leaves it out).
 */
export async function readObject(
  call: Call,
  expected = { apiVersion: apiVersionOf(call.type), kind: call.type.kind },
): Promise<unknown> {
  const body = await readBody(call.req);
  const type = mediaType(call.req);
  if (type === protobufType && !call.type.crd) return codec().decodeObject(body, expected);
  return decodeJson(body, type, !call.type.crd);
}

/**
 * DeleteOptions from the body (kubectl sends JSON, typed Go clients
 * protobuf), or an empty object. The API server answers a body it cannot
 * decode with a bare 500.
 */
export async function readDeleteOptions(call: Call): Promise<Record<string, unknown>> {
  const body = await readBody(call.req);
  if (body.length === 0) return {};
  const type = mediaType(call.req);
  const decoded =
    type === protobufType
      ? codec().decodeObject(body, { apiVersion: "v1", kind: "DeleteOptions" })
      : decodeJson(body, type === "application/yaml" ? type : "application/json");
  return isJsonObject(decoded) ? decoded : {};
}
