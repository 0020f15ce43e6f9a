export { errorFromStatus, KubeClient, type Response } from "./kube-client";
export { type ClusterCredentials, readKubeconfig, renderKubeconfig } from "./kubeconfig";
