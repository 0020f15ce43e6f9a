/**
 * YAML's parse and stringify, for code that loads them with a dynamic import
 * only when it needs them (keelctl's start-up is a benchmark target). Through
 * this module the bundle keeps the named exports: a dynamic import of the
 * CommonJS package itself yields only a default export.
 */
export { parse, stringify } from "yaml";
