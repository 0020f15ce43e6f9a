import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KeelsonError } from "../errors";
import { keelsonHome } from "../platform/keelson-home";
import { problemsOf } from "../validation";
import { type ClientConfig, type ClientContext, clientConfigSchema } from "./client-config";

/** `$KEELCONFIG`, else `config` in the Keelson home (`$KEELSON_HOME`, default `~/.keelson`). */
export function defaultConfigPath(): string {
  return process.env.KEELCONFIG || join(keelsonHome(), "config");
}

/** Reads a client config; a missing file is an empty config, a broken one a clear error. */
export async function readClientConfig(path: string): Promise<ClientConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { contexts: {} };
    throw KeelsonError.from(error);
  }
  return parseClientConfig(text, path);
}

/**
 * The file is YAML. keelctl writes it as JSON, which is YAML too, so reading
 * its own files needs no YAML parser: on a cold start the parser costs more
 * than the rest of a fan-out's client work. A hand-written YAML file still
 * works; only then is the parser loaded.
 */
export async function parseClientConfig(text: string, path: string): Promise<ClientConfig> {
  let raw: unknown;
  try {
    raw = jsonOf(text) ?? (await import("../yaml-library")).parse(text) ?? {};
  } catch (error) {
    throw new KeelsonError(
      "invalidArgument",
      `client config ${path} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const parsed = clientConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = problemsOf(parsed.error);
    throw new KeelsonError(
      "invalidArgument",
      `client config ${path} is invalid: ${problems.join("; ")}`,
      "regenerate it with keelctl config new, or fix the fields named",
    );
  }
  return parsed.data;
}

/** The parsed text when it is JSON; undefined sends it to the YAML parser. */
function jsonOf(text: string): unknown {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a YAML flow mapping, or broken: YAML says which
  }
}

/** The file's text: indented JSON, which any YAML reader also accepts. */
export function stringifyClientConfig(config: ClientConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes atomically with owner-only permissions: the file holds a private key. */
export async function writeClientConfig(path: string, config: ClientConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, stringifyClientConfig(config), { mode: 0o600 });
  await rename(tmp, path);
}

/** Adds or replaces a context and makes it current. */
export async function upsertContext(
  path: string,
  name: string,
  context: ClientContext,
): Promise<void> {
  const config = await readClientConfig(path);
  config.contexts[name] = context;
  config.context = name;
  await writeClientConfig(path, config);
}

/** Removes a context; the current one moves to another context, if any. */
export async function removeContext(path: string, name: string): Promise<void> {
  const config = await readClientConfig(path);
  if (!(name in config.contexts)) return;
  delete config.contexts[name];
  if (config.context === name) config.context = Object.keys(config.contexts)[0];
  await writeClientConfig(path, config);
}

/** The context named, or the current one; errors say which contexts exist. */
export function selectContext(
  config: ClientConfig,
  name: string | undefined,
  path: string,
): ClientContext {
  const chosen = name ?? config.context;
  const known = Object.keys(config.contexts);
  if (!chosen) {
    throw new KeelsonError(
      "failedPrecondition",
      `no context selected in ${path}`,
      known.length
        ? `pick one with --context (${known.join(", ")})`
        : "create a cluster with keelctl cluster create, or pass --config",
    );
  }
  const context = config.contexts[chosen];
  if (!context) {
    throw new KeelsonError(
      "notFound",
      `context "${chosen}" not found in ${path}`,
      `known contexts: ${known.join(", ") || "none"}`,
    );
  }
  return context;
}
