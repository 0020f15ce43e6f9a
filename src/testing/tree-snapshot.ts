import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir` with its digest: "nothing written" means this is unchanged. */
export function treeSnapshot(dir: string): string {
  if (!existsSync(dir)) return "(none)";
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .sort()
    .map((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return `${name}/`;
      return `${name} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    })
    .join("\n");
}
