export { eventually } from "../../testing/eventually";
export { type BundleServer, startBundleServer } from "./bundle-server";
export {
  createPdb,
  createPod,
  createReadyNode,
  eviction,
  type PodSpecOptions,
  quietRegistry,
} from "./fixtures";
export { type RawReply, type RawRequest, rawRequest } from "./raw-request";
export {
  type KubectlResult,
  runKubectl,
  startTestCluster,
  type TestCluster,
} from "./test-cluster";
