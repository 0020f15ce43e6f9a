export { applyJsonPatch } from "../json-patch/apply-json-patch";
export { type ChangeEffect, changeEffects } from "./change/change-effects";
export { type ConfigChange, classifyChange, needsReboot } from "./change/classify-change";
export { type DiffConfigsOptions, diffConfigs } from "./change/diff-configs";
export {
  type GeneratedConfigs,
  type GenerateOptions,
  generateConfigs,
} from "./generate/generate-configs";
export { generateSecrets, parseSecrets, stringifySecrets } from "./generate/generate-secrets";
export { type SecretsBundle, secretsBundleSchema } from "./generate/secrets-bundle";
export { generateToken } from "./generate/token";
export { type OutputFile, writeNewFiles } from "./generate/write-new-files";
export {
  kubeletImage,
  kubeletVersionOf,
  kubernetesVersion,
} from "./kubelet/kubelet-image";
export { applyJsonPatchToConfig } from "./patch/apply-json-patch-to-config";
export { applyPatches } from "./patch/apply-patches";
export { applyStrategicMerge } from "./patch/apply-strategic-merge";
export type { ConfigPatch } from "./patch/config-patch";
export { createConfigPatch } from "./patch/create-config-patch";
export { createJsonPatch } from "./patch/create-json-patch";
export { createStrategicPatch } from "./patch/create-strategic-patch";
export type { JsonPatchOperation } from "./patch/json-patch-operation";
export { parsePatch } from "./patch/parse-patch";
export { patchConfigText } from "./patch/patch-config-text";
export { type ClusterConfig, clusterConfigSchema } from "./schema/cluster-config";
export { formatPath, type PathSegment } from "./schema/config-path";
export { jsonSchemas } from "./schema/json-schemas";
export { type ConfigDocument, type ConfigKind, configKinds, knownKinds } from "./schema/kinds";
export { type MachineConfig, type MachineType, machineConfigSchema } from "./schema/machine-config";
export { mergeKeys } from "./schema/merge-keys";
export { apiVersion } from "./schema/primitives";
export { redacted, redactSecrets, redactValue } from "./schema/redact-secrets";
export {
  assertNoErrors,
  errorsOf,
  formatProblems,
  type Problem,
  type Severity,
} from "./validate/problem";
export {
  type ConfigResult,
  loadConfig,
  parseConfig,
  validateConfig,
} from "./validate/validate-config";
export { type ValidateOptions, validateDocuments } from "./validate/validate-documents";
export { stringifyConfig } from "./yaml/stringify-config";
