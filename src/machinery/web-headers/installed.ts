// Imported first by each program's entry point, for its side effect: ESM
// evaluates imports in order, so the global is in place before any module
// below it runs.
import { installLightHeaders } from "./install";

installLightHeaders();
