import { readFile } from "node:fs/promises";
import { parse, stringify } from "yaml";

/** What a client needs to reach kubesim: the URL, the CA and a client certificate. */
export interface ClusterCredentials {
  server: string;
  ca: string;
  cert: string;
  key: string;
}

const b64 = (pem: string) => Buffer.from(pem).toString("base64");
const unb64 = (data: unknown) => Buffer.from(String(data ?? ""), "base64").toString("utf8");

/** A kubeconfig with embedded data, so it works from any directory and with any client. */
export function renderKubeconfig(creds: ClusterCredentials, name = "kubesim"): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name, cluster: { server: creds.server, "certificate-authority-data": b64(creds.ca) } },
    ],
    users: [
      {
        name: `${name}-admin`,
        user: { "client-certificate-data": b64(creds.cert), "client-key-data": b64(creds.key) },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  });
}

interface Named<T> {
  name: string;
  [key: string]: T | string;
}

/** Reads the current context's credentials back (only embedded data, as kubesim writes them). */
export async function readKubeconfig(path: string): Promise<ClusterCredentials> {
  const doc = parse(await readFile(path, "utf8")) as Record<string, unknown>;
  const contexts = (doc.contexts ?? []) as Named<{ cluster: string; user: string }>[];
  const current = contexts.find((c) => c.name === doc["current-context"]) ?? contexts[0];
  const ctx = current?.context as { cluster: string; user: string } | undefined;
  const cluster = ((doc.clusters ?? []) as Named<Record<string, string>>[]).find(
    (c) => c.name === ctx?.cluster,
  )?.cluster as Record<string, string> | undefined;
  const user = ((doc.users ?? []) as Named<Record<string, string>>[]).find(
    (u) => u.name === ctx?.user,
  )?.user as Record<string, string> | undefined;
  if (!cluster || !user) throw new Error(`kubeconfig ${path} has no usable current context`);
  return {
    server: cluster.server ?? "",
    ca: unb64(cluster["certificate-authority-data"]),
    cert: unb64(user["client-certificate-data"]),
    key: unb64(user["client-key-data"]),
  };
}
