export {
  BootControl,
  type BootState,
  defaultPattern,
  type KernelFiles,
  other,
  type SlotEntry,
  type SlotName,
  slotNames,
  slotOf,
} from "./boot-control";
export { BootJournal, type BootRecord } from "./boot-journal";
export { LoaderDirectory } from "./loader-directory";
export {
  entryFileName,
  formatEntryText,
  type LoaderEntry,
  parseEntryFileName,
  parseEntryText,
} from "./loader-entry";
export { FileVariables, type LoaderVariables } from "./loader-variables";
export {
  kernelOptions,
  metalLayout,
  parseVerityParameter,
  rootLabel,
  slotKernelFiles,
  type VerityRoot,
  verityParameter,
} from "./metal-layout";
export { agentEntryPoint, nodeBootLayout } from "./node-boot-layout";
export {
  bumpedFileName,
  compareEntries,
  entryId,
  matchesPattern,
  selectEntry,
} from "./select-entry";
export { compareVersions } from "./version-compare";
