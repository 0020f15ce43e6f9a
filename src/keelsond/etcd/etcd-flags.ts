import type { EtcdPaths } from "./etcd-paths";
import type { Launch } from "./start-plan";

export interface FlagInput {
  name: string;
  clientUrl: string;
  peerUrl: string;
  paths: EtcdPaths;
  plan: Launch;
  clusterToken: string;
  extraArgs: Readonly<Record<string, string>>;
}

/**
 * etcd's command line. The flags Keelson manages (identity, URLs, TLS, data)
 * win over `etcd.extraArgs`; the rest of extraArgs are passed through. Both
 * client and peer traffic require certificates from the etcd CA.
 */
export function etcdFlags(input: FlagInput): { args: string[]; ignored: string[] } {
  const managed = managedFlags(input);
  const ignored = Object.keys(input.extraArgs).filter((flag) => flag in managed);
  const extra = Object.entries(input.extraArgs).filter(([flag]) => !(flag in managed));
  const args = [...Object.entries(managed), ...extra].map(([flag, value]) => `--${flag}=${value}`);
  return { args, ignored };
}

function managedFlags(input: FlagInput): Record<string, string> {
  const { paths, plan } = input;
  const flags: Record<string, string> = {
    name: input.name,
    "data-dir": paths.data,
    "listen-client-urls": input.clientUrl,
    "advertise-client-urls": input.clientUrl,
    "listen-peer-urls": input.peerUrl,
    "initial-advertise-peer-urls": input.peerUrl,
    "client-cert-auth": "true",
    "trusted-ca-file": paths.ca,
    "cert-file": paths.serverCert,
    "key-file": paths.serverKey,
    "peer-client-cert-auth": "true",
    "peer-trusted-ca-file": paths.ca,
    "peer-cert-file": paths.peerCert,
    "peer-key-file": paths.peerKey,
    logger: "zap",
    "log-outputs": "stderr",
  };
  // With data of its own etcd ignores the initial-cluster flags; give them only when they matter.
  if (plan.kind === "new") {
    flags["initial-cluster"] = `${input.name}=${input.peerUrl}`;
    flags["initial-cluster-state"] = "new";
    flags["initial-cluster-token"] = input.clusterToken;
  } else if (plan.kind === "join") {
    flags["initial-cluster"] = plan.initialCluster;
    flags["initial-cluster-state"] = "existing";
  }
  return flags;
}
