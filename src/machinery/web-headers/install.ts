import { LightHeaders } from "./light-headers";

/**
 * Makes `LightHeaders` the global `Headers` of this process. Call it first
 * thing in a program's entry point, before anything builds a header map: Node
 * defines the global lazily, and defining it here means undici is never loaded
 * unless something really fetches.
 */
export function installLightHeaders(): void {
  Object.defineProperty(globalThis, "Headers", {
    value: LightHeaders,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
