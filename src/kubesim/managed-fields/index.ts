export { applyConfiguration } from "./apply";
export { type FieldSet, formatPath, fromFieldsV1, toFieldsV1 } from "./field-set";
export { type ManagerEntry, readEntries, recordUpdate, type Writer } from "./managed-fields";
export { atomicLists, builtinLists, fieldsOf, type ListRules } from "./object-fields";
