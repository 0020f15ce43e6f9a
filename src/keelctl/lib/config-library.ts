/**
 * The machine-config library (schemas, YAML, patches) for the commands that
 * use it. Loaded on demand: every other keelctl call would pay its start cost.
 */
export const configLibrary = () => import("../../machinery/config");
