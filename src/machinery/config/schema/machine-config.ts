import * as z from "zod/mini";
import {
  absolutePath,
  apiVersion,
  certificateAuthority,
  cidr,
  flag,
  hostname,
  hostOrIp,
  imageRef,
  intRange,
  ipAddress,
  list,
  pattern,
  strictObject,
  stringMap,
  text,
  token,
} from "./primitives";

const route = strictObject({
  network: cidr(),
  gateway: z.optional(ipAddress()),
  metric: z.optional(intRange(0, 4_294_967_295)),
});

const networkInterface = strictObject({
  name: pattern(/^[a-zA-Z0-9_.:-]{1,15}$/, "a link name of at most 15 characters, e.g. eth0"),
  addresses: z.optional(list(cidr())),
  routes: z.optional(list(route)),
  mtu: z.optional(intRange(576, 9216)),
  dhcp: z.optional(flag()),
});

const labelKey = pattern(
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  "a Kubernetes label key, e.g. example.com/zone",
);

const kubelet = strictObject({
  image: imageRef(),
  extraArgs: z.optional(
    stringMap(pattern(/^[a-z0-9-]+$/, "a kubelet flag name without --"), text()),
  ),
  nodeLabels: z.optional(
    stringMap(
      labelKey,
      pattern(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, "a label value"),
    ),
  ),
  /** `key: value:Effect`, as Talos writes taints, so lists of taints merge by key. */
  nodeTaints: z.optional(
    stringMap(
      labelKey,
      pattern(
        /^[^:]*:(NoSchedule|PreferNoSchedule|NoExecute)$/,
        "value:Effect, e.g. gpu:NoSchedule",
      ),
    ),
  ),
});

export const machineSchema = strictObject({
  type: z.enum(["controlplane", "worker"], { error: "expected controlplane or worker" }),
  hostname: z.optional(hostname()),
  /** Proves to control planes that this machine may join and receive certificates. */
  token: token(),
  /** The OS API CA; its key only on control planes, which sign node and client certificates. */
  ca: certificateAuthority(),
  install: z.optional(
    strictObject({ disk: absolutePath(), image: imageRef(), wipe: z.optional(flag()) }),
  ),
  network: z.optional(
    strictObject({
      interfaces: z.optional(list(networkInterface)),
      nameservers: z.optional(list(ipAddress())),
    }),
  ),
  kubelet: z.optional(kubelet),
  time: z.optional(
    strictObject({ servers: z.optional(list(hostOrIp())), disabled: z.optional(flag()) }),
  ),
  logging: z.optional(
    strictObject({
      level: z.enum(["debug", "info", "warn", "error"], {
        error: "expected debug, info, warn or error",
      }),
    }),
  ),
  api: z.optional(strictObject({ allowedReadPaths: z.optional(list(absolutePath())) })),
  /** How this machine takes OS upgrades. */
  upgrade: z.optional(
    strictObject({
      /** Public keys (PEM, ed25519) trusted to sign bundles, besides those the image carries. */
      trustedKeys: z.optional(
        list(
          pattern(
            /^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/,
            "a PEM public key",
          ),
        ),
      ),
      /** How long a freshly upgraded boot has to become healthy before it is given up (default 300). */
      healthTimeoutSeconds: z.optional(intRange(10, 86_400)),
    }),
  ),
  sysctls: z.optional(
    stringMap(pattern(/^[a-z0-9_./-]+$/, "a sysctl name, e.g. net.ipv4.ip_forward"), text()),
  ),
});

/** Control planes only: the etcd member this machine runs. */
export const etcdSchema = strictObject({
  ca: certificateAuthority(),
  image: z.optional(imageRef()),
  extraArgs: z.optional(stringMap(pattern(/^[a-z0-9-]+$/, "an etcd flag name without --"), text())),
  advertisedSubnets: z.optional(list(cidr())),
});

export const machineConfigSchema = strictObject({
  apiVersion: z.literal(apiVersion, { error: `expected ${apiVersion}` }),
  kind: z.literal("MachineConfig"),
  machine: machineSchema,
  etcd: z.optional(etcdSchema),
});

export type MachineConfig = z.infer<typeof machineConfigSchema>;
export type MachineType = MachineConfig["machine"]["type"];
