import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";

/**
 * The modules to load for `wanted`, each after the modules it depends on,
 * found under a kernel's lib/modules/VERSION/kernel. A module's dependencies
 * are read from its own .modinfo ("depends=a,b"), as modinfo does, so no
 * depmod run and no kmod is needed. Names compare with "-" and "_" alike.
 */
export function moduleClosure(modulesDir: string, wanted: readonly string[]): string[] {
  const files = new Map(listModules(modulesDir).map((f) => [canonical(basename(f, ".ko")), f]));
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, neededBy: string) => {
    const key = canonical(name);
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

function listModules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listModules(path);
    return name.endsWith(".ko") ? [path] : [];
  });
}
