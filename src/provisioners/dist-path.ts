import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KeelsonError } from "../machinery/errors";

/**
 * The path of a bundled program (keelsond.mjs, keelson-machine.mjs). Works
 * from the bundle in dist/ and from sources run by tsx: both sit below the
 * folder that holds package.json and dist/.
 */
export function distPath(file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "dist", file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  throw new KeelsonError(
    "failedPrecondition",
    `cannot find the bundled ${file}`,
    "build it with npm run build",
  );
}
