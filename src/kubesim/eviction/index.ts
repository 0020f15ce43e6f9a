export { type EvictionResult, evictPod } from "./evict";
export {
  maxDisruptedPods,
  type PdbStatus,
  setDisruptionAllowedCondition,
  statusOf,
} from "./pdb-budget";
export { pdbSelector, pdbsForPod } from "./pdb-selection";
