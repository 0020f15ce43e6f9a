import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";

/**
 * The modules to load for `wanted`, each after the modules it depends on,
 * found under a kernel's lib/modules/VERSION/kernel or among `extra` module
 * files (built for that kernel). A module the kernel builds in (its
 * modules.builtin says so) needs no loading. A module's dependencies
 * are read from its own .modinfo ("depends=a,b"), as modinfo does, so no
 * depmod run and no kmod is needed. Names compare with "-" and "_" alike.
 */
export function moduleClosure(
  modulesDir: string,
  wanted: readonly string[],
  extra: readonly string[] = [],
): string[] {
  const files = new Map(
    [...listModules(modulesDir), ...extra].map((f) => [canonical(basename(f, ".ko")), f]),
  );
  const builtIn = builtInModules(modulesDir);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, neededBy: string) => {
    const key = canonical(name);
    if (builtIn.has(key)) return;
    const file = files.get(key);
    if (!file)
      throw new KeelsonError(
        "notFound",
        `kernel module ${name} (needed by ${neededBy}) is not in ${modulesDir}`,
        "check the module name, or whether this kernel builds it in",
      );
    if (ordered.includes(file) || visiting.has(key)) return;
    visiting.add(key);
    for (const dependency of dependsOf(readFileSync(file))) visit(dependency, name);
    ordered.push(file);
  };
  for (const name of wanted) visit(name, "the image");
  return ordered;
}

/** The depends= field of a module's .modinfo section. */
export function dependsOf(module: Buffer): string[] {
  const at = module.indexOf("\0depends=");
  if (at < 0) return [];
  const start = at + "\0depends=".length;
  const value = module.subarray(start, module.indexOf(0, start)).toString();
  return value ? value.split(",") : [];
}

/** The load list keelson-init reads: one module file name a line, in load order. */
export function moduleList(modules: readonly string[]): string {
  return modules.map((m) => `${basename(m)}\n`).join("");
}

const canonical = (name: string) => name.replaceAll("-", "_");

/** What modules.builtin (beside kernel/) lists, by name; none when there is no such file. */
function builtInModules(modulesDir: string): Set<string> {
  let list = "";
  try {
    list = readFileSync(join(modulesDir, "..", "modules.builtin"), "utf8");
  } catch {
    return new Set();
  }
  return new Set(
    list
      .split("\n")
      .filter(Boolean)
      .map((line) => canonical(basename(line, ".ko"))),
  );
}

function listModules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listModules(path);
    return name.endsWith(".ko") ? [path] : [];
  });
}
