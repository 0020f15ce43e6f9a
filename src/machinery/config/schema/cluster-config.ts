import * as z from "zod/mini";
import {
  apiVersion,
  certificateAuthority,
  cidr,
  hostname,
  list,
  pattern,
  secret,
  strictObject,
  text,
  token,
} from "./primitives";

const httpsUrl = () =>
  text("an https URL, e.g. https://10.0.0.10:6443").check(
    z.refine(isHttpsUrl, "expected an https URL, e.g. https://10.0.0.10:6443"),
  );

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "" && url.pathname === "/";
  } catch {
    return false;
  }
}

export const clusterSchema = strictObject({
  name: hostname(),
  /** The Kubernetes API endpoint every node talks to: a load balancer or VIP for HA. */
  endpoint: httpsUrl(),
  kubernetesVersion: z.optional(
    pattern(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "a Kubernetes version, e.g. 1.31.2"),
  ),
  /** The Kubernetes CA; its key only on control planes. Inline, or through secretsRef. */
  ca: z.optional(certificateAuthority()),
  /** kubelet TLS bootstrap token. */
  token: z.optional(token()),
  /** Encrypts Secrets at rest in etcd (32 bytes, base64); control planes only. */
  secretboxEncryptionSecret: z.optional(
    secret(pattern(/^[A-Za-z0-9+/]{43}=$/, "32 bytes of base64")),
  ),
  /** Keeps secrets out of the config (GitOps): the bundle is resolved on the node instead. */
  secretsRef: z.optional(strictObject({ name: hostname() })),
  network: z.optional(
    strictObject({
      podSubnets: z.optional(list(cidr())),
      serviceSubnets: z.optional(list(cidr())),
      dnsDomain: z.optional(hostname()),
    }),
  ),
});

export const clusterConfigSchema = strictObject({
  apiVersion: z.literal(apiVersion, { error: `expected ${apiVersion}` }),
  kind: z.literal("ClusterConfig"),
  cluster: clusterSchema,
});

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;
