import { KeelsonError } from "../errors";

/** An image reference split the way registries and containerd need it. */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** The canonical full name, e.g. `docker.io/library/busybox:latest`. */
  name: string;
}

const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Parses `[registry/]repository[:tag][@digest]` with Docker's defaults
 * (docker.io, library/, latest) so `busybox` and `docker.io/library/busybox:latest`
 * name the same image in containerd.
 */
export function parseReference(text: string): ImageReference {
  const [rest = "", digest] = text.split("@", 2);
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  const registry = hasRegistry ? first : "docker.io";
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  const colon = path.lastIndexOf(":");
  const tag = colon > path.lastIndexOf("/") ? path.slice(colon + 1) : undefined;
  if (tag !== undefined) path = path.slice(0, colon);
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  const valid =
    path.split("/").every((part) => component.test(part)) &&
    (tag === undefined || /^[\w][\w.-]{0,127}$/.test(tag)) &&
    (digest === undefined || /^sha256:[0-9a-f]{64}$/.test(digest));
  if (!valid) throw new KeelsonError("invalidArgument", `"${text}" is not a valid image reference`);
  const finalTag = tag ?? (digest ? undefined : "latest");
  const name = `${registry}/${path}${finalTag ? `:${finalTag}` : ""}${digest ? `@${digest}` : ""}`;
  return { registry, repository: path, tag: finalTag, digest, name };
}
