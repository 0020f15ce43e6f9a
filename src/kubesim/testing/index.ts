export {
  createPdb,
  createPod,
  createReadyNode,
  eviction,
  type PodSpecOptions,
  quietRegistry,
} from "./fixtures";
export {
  eventually,
  type KubectlResult,
  runKubectl,
  startTestCluster,
  type TestCluster,
} from "./test-cluster";
