export * from "./field-selector";
export * from "./json-equal";
export * from "./label-selector";
export * from "./object";
export * from "./status-error";
