import { parse as parseYaml } from "yaml";
import { badRequest, isJsonObject, type KubeObject, StatusError } from "../api";
import { applyConfiguration, atomicLists, builtinLists } from "../managed-fields";
import { isoNow } from "../registry/context";
import { apiVersionOf } from "../resources/resource-type";
import type { FieldValidation } from "./query-options";
import { respond } from "./respond";
import { served } from "./served-version";
import { type Call, dryRunOf } from "./server-context";

interface ApplyOptions {
  fieldValidation: FieldValidation;
  fieldManager?: string;
  force: boolean;
}

/**
 * PATCH with application/apply-patch+yaml: server-side apply. The object
 * is created when absent; otherwise the configuration is merged in under
 * field ownership (see applyConfiguration), and the response carries the
 * managedFields.
 */
export async function applyServerSide(
  call: Call,
  body: Buffer,
  options: ApplyOptions,
  subresource: "status" | undefined,
): Promise<void> {
  const { registry } = call.ctx;
  const config = await parseConfiguration(call, body);
  const name = call.info.name ?? "";
  const live = registry.tryGet(call.type, call.namespace, name);
  const writer = {
    manager: options.fieldManager ?? "",
    apiVersion: apiVersionOf(call.type),
    time: isoNow(registry),
    ...(subresource ? { subresource } : {}),
  };
  const lists = call.type.crd ? atomicLists : builtinLists;
  const applied = applyConfiguration(live, config, writer, lists, options.force);
  const write = {
    dryRun: dryRunOf(call.info.query),
    managedFieldsSet: true,
    ...(subresource ? { subresource } : {}),
  };
  if (!live) {
    if (subresource)
      throw new StatusError(404, "NotFound", `${call.type.plural} "${name}" not found`);
    const created = registry.create(
      call.type,
      call.namespace,
      { ...applied, metadata: { ...applied.metadata, name } },
      write,
    );
    return respond(call.res, call.format, 201, served(call.type, created));
  }
  // Apply is unconditional unless the configuration names a resourceVersion.
  const metadata = { ...applied.metadata, resourceVersion: config.metadata?.resourceVersion };
  const updated = registry.update(
    call.type,
    call.namespace,
    name,
    { ...applied, metadata },
    { ...write, trusted: true },
  );
  respond(call.res, call.format, 200, served(call.type, updated));
}

/** The applied configuration, checked as the API server checks it before merging. */
async function parseConfiguration(call: Call, body: Buffer): Promise<KubeObject> {
  let config: unknown;
  try {
    config = parseYaml(body.toString("utf8"), { uniqueKeys: true });
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (!isJsonObject(config))
    throw badRequest("error decoding YAML: the apply patch must be an object");
  const expected = apiVersionOf(call.type);
  if (config.apiVersion !== expected)
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(config.apiVersion ?? "")}, expected: ${expected}`,
    );
  if (config.kind !== call.type.kind)
    throw badRequest(
      `Incorrect kind specified in apply patch. Specified patch kind: ${String(config.kind ?? "")}, expected: ${call.type.kind}`,
    );
  const metadata = isJsonObject(config.metadata) ? config.metadata : {};
  if (metadata.managedFields !== undefined) throw badRequest("metadata.managedFields must be nil");
  if (metadata.name !== undefined && metadata.name !== call.info.name)
    throw badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${call.info.name})`,
    );
  await checkSchema(call, config as KubeObject);
  return config as KubeObject;
}

/**
 * A field the kind does not have cannot be applied: the API server fails
 * building the typed patch, whatever fieldValidation says, with a 500 (a
 * long-standing upstream quirk, mirrored so clients see what they will see).
 */
async function checkSchema(call: Call, config: KubeObject): Promise<void> {
  const unknown = call.type.crd
    ? (call.type.unknownFields?.(config) ?? [])
    : (await import("../protobuf")).unknownFields(config);
  if (unknown.length === 0) return;
  const where = `${call.namespace ? `${call.namespace}/` : ""}${call.info.name}`;
  const gvk = `${call.type.group}/${call.type.version}, Kind=${call.type.kind}`;
  throw new StatusError(
    500,
    "",
    `failed to create typed patch object (${where}; ${gvk}): .${unknown[0]}: field not declared in schema`,
  );
}
