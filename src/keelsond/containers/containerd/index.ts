export {
  type CallContext,
  Containerd,
  type ContainerdOptions,
  defaultDeadlineMs,
} from "./containerd";
export { withLease } from "./lease";
export {
  kubernetesNamespace,
  listNamespaces,
  requireNamespace,
  systemNamespace,
} from "./namespaces";
