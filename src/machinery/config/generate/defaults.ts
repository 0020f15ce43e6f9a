import { keelsonVersion } from "../../version";
import { kubeletImage } from "../kubelet/kubelet-image";

/** What `gen config` writes unless told otherwise; pinned so generated configs are reproducible. */
export const defaults = {
  kubernetesVersion: "1.31.4",
  installDisk: "/dev/sda",
  installImage: `ghcr.io/keelson/installer:v${keelsonVersion}`,
  kubeletImage: (version: string) => kubeletImage(version),
  etcdImage: "gcr.io/etcd-development/etcd:v3.5.17",
  timeServers: ["time.cloudflare.com"],
  podSubnets: ["10.244.0.0/16"],
  serviceSubnets: ["10.96.0.0/12"],
  dnsDomain: "cluster.local",
} as const;
