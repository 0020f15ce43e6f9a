import type { ClusterConfig } from "../schema/cluster-config";
import type { MachineConfig, MachineType } from "../schema/machine-config";
import { apiVersion } from "../schema/primitives";
import { defaults } from "./defaults";
import type { SecretsBundle } from "./secrets-bundle";

export interface TemplateOptions {
  clusterName: string;
  endpoint: string;
  secrets: SecretsBundle;
  kubernetesVersion?: string;
  installDisk?: string;
  installImage?: string;
}

/** The MachineConfig of a role; CA keys only where they sign (control planes). */
export function machineTemplate(type: MachineType, options: TemplateOptions): MachineConfig {
  const { certs, secrets } = options.secrets;
  const controlplane = type === "controlplane";
  const version = options.kubernetesVersion ?? defaults.kubernetesVersion;
  return {
    apiVersion,
    kind: "MachineConfig",
    machine: {
      type,
      token: secrets.machineToken,
      ca: controlplane ? { ...certs.os } : { crt: certs.os.crt },
      install: {
        disk: options.installDisk ?? defaults.installDisk,
        image: options.installImage ?? defaults.installImage,
      },
      kubelet: { image: defaults.kubeletImage(version) },
      time: { servers: [...defaults.timeServers] },
      logging: { level: "info" },
    },
    ...(controlplane ? { etcd: { ca: { ...certs.etcd }, image: defaults.etcdImage } } : {}),
  };
}

export function clusterTemplate(type: MachineType, options: TemplateOptions): ClusterConfig {
  const { certs, secrets } = options.secrets;
  const controlplane = type === "controlplane";
  return {
    apiVersion,
    kind: "ClusterConfig",
    cluster: {
      name: options.clusterName,
      endpoint: options.endpoint,
      kubernetesVersion: (options.kubernetesVersion ?? defaults.kubernetesVersion).replace(
        /^v/,
        "",
      ),
      ca: controlplane ? { ...certs.k8s } : { crt: certs.k8s.crt },
      token: secrets.bootstrapToken,
      ...(controlplane ? { secretboxEncryptionSecret: secrets.secretboxEncryptionSecret } : {}),
      network: {
        podSubnets: [...defaults.podSubnets],
        serviceSubnets: [...defaults.serviceSubnets],
        dnsDomain: defaults.dnsDomain,
      },
    },
  };
}
