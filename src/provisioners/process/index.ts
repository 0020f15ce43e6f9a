export { type ClusterRecord, readClusterRecord } from "./cluster-record";
export { type CreateOptions, createCluster, startMachine } from "./create-cluster";
export { destroyCluster } from "./destroy-cluster";
export { listClusters } from "./list-clusters";
