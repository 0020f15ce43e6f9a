import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";

/**
 * The architecture's seams, enforced: a change that crosses one fails the
 * test command. Keys are top-level folders of src/; each lists the folders
 * its production code must never import (test files and test support may).
 */
const forbidden: Record<string, readonly string[]> = {
  // Imported by everything, importing none of the programs.
  machinery: ["keelsond", "keelctl", "kubesim", "provisioners", "testing", "controller"],
  // The agent never knows whether a simulator or a provisioner is around it.
  keelsond: ["keelctl", "kubesim", "provisioners", "testing", "controller"],
  keelctl: ["keelsond", "kubesim", "testing"],
  kubesim: ["keelsond", "keelctl", "provisioners", "testing", "controller"],
  // The upgrade engine talks to Kubernetes and to nodes' APIs, never to what runs them;
  // keelctl runs it from a workstation.
  controller: ["keelsond", "keelctl", "kubesim", "provisioners", "testing"],
  // Provisioners play the hardware and the platform: they reach the agent only through
  // its state directory and its API, never its internals.
  provisioners: ["keelsond", "keelctl", "testing", "controller"],
};

const src = import.meta.dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "gen" ? [] : sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Test files and test support (folders named testing) may reach anywhere. */
function isProduction(file: string): boolean {
  return !file.endsWith(".spec.ts") && !relative(src, file).split("/").includes("testing");
}

/** Every module a file imports: static, side-effect and dynamic imports, and re-exports. */
export function importsOf(text: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? "");
}

function topFolder(path: string): string {
  return relative(src, path).split("/")[0] ?? "";
}

describe("architecture boundaries", () => {
  it("finds static, dynamic and re-exported imports", () => {
    const text = `import a from "./a";\nimport "./b";\nexport { c } from "../c";\nawait import("../../d");\nimport type { E } from './e';`;
    assert.deepEqual(importsOf(text), ["./a", "./b", "../c", "../../d", "./e"]);
  });

  it("production code never crosses a seam", () => {
    const crossings: string[] = [];
    for (const file of sourceFiles(src).filter(isProduction)) {
      const from = topFolder(file);
      const banned = forbidden[from] ?? [];
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        if (!spec.startsWith(".")) continue;
        const to = topFolder(resolve(dirname(file), spec));
        if (banned.includes(to))
          crossings.push(`${relative(src, file)} imports ${spec} (${from} → ${to})`);
      }
    }
    assert.deepEqual(crossings, []);
  });
});
