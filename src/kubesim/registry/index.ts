export { admitNamespace } from "./admission";
export { bindPod } from "./binding";
export type { DeleteOptions, RegistryContext, WriteOptions } from "./context";
export { generateName } from "./create";
export type { DeleteResult } from "./delete";
export { type Filter, type ListOptions, type ListResult, matchesFilter, parseFilter } from "./list";
export { Registry } from "./registry";
