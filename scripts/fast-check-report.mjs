// Loaded into every spec process: a failed property prints the assertion that
// failed in its report (node:test does not print an error's cause, and that
// message is what a CI log must show).
import fc from "fast-check";

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true });
