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
  bumpedFileName,
  compareEntries,
  entryId,
  matchesPattern,
  selectEntry,
} from "./select-entry";
export { compareVersions } from "./version-compare";
