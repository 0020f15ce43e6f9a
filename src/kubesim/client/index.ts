export { errorFromStatus, KubeClient, type Response } from "./kube-client";
