import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { FileSpec, FileTree } from "../../../machinery/image-builder";
import { distPath } from "../../dist-path";
import { programFiles } from "../agent-files";
import { libraryMode, nodeRuntime, sharedLibraries } from "../node-runtime";
import { faultyEntryPoint, realEntryPoint, type TestFault } from "../test-faults";
import { moduleList } from "./kernel-modules";

/** Where the agent, its init and the modules it loads sit in the root. */
export const keelsonDir = "/usr/lib/keelson";

export interface RootInputs {
  /** The compiled keelson-init. */
  init: string;
  /** Kernel modules the root loads at start, in load order (absolute paths on the build host). */
  modules: readonly string[];
  /** Executables taken from Debian's packages: path in the image → unpacked file. */
  programs: Record<string, string>;
  /** A deliberately broken image: the fault's entry point stands where the agent's is. */
  testFault?: TestFault;
}

/**
 * Everything in a node's root filesystem, and nothing more: the Node.js
 * runtime and the bundled agent, keelson-init, containerd with its runc
 * shim and runc, etcd (each with the shared libraries it loads), the
 * modules the node needs, and empty mount points. /etc is made at boot
 * (tmpfs), /var is the EPHEMERAL partition.
 */
export function rootTree(inputs: RootInputs): FileTree {
  const agent = distPath("keelsond.mjs");
  const runtime = nodeRuntime(process.execPath);
  const files = programFiles(agent);
  const tree: FileTree = {
    ...runtime,
    [`${keelsonDir}/keelson-init`]: { type: "file", source: inputs.init, mode: 0o755 },
    [`${keelsonDir}/modules`]: {
      type: "file",
      content: moduleList(inputs.modules),
    },
    // What keelson-init reads ahead while it sets the node up: Node and its libraries, then the agent's files.
    [`${keelsonDir}/prefetch`]: {
      type: "file",
      content: [...Object.keys(runtime), ...files.map((file) => `${keelsonDir}/${file}`)]
        .map((path) => `${path}\n`)
        .join(""),
    },
  };
  for (const file of files)
    tree[`${keelsonDir}/${file}`] = {
      type: "file",
      source: join(dirname(agent), file),
      mode: 0o644,
    };
  if (inputs.testFault) {
    tree[`${keelsonDir}/${realEntryPoint}`] = tree[`${keelsonDir}/keelsond.mjs`] as FileSpec;
    tree[`${keelsonDir}/keelsond.mjs`] = {
      type: "file",
      content: faultyEntryPoint(inputs.testFault),
      mode: 0o644,
    };
  }
  for (const module of inputs.modules)
    tree[`${keelsonDir}/modules.d/${basename(module)}`] = { type: "file", source: module };
  for (const [path, source] of Object.entries(inputs.programs)) {
    tree[path] = { type: "file", source, mode: 0o755 };
    for (const library of sharedLibraries(source))
      tree[library] ??= { type: "file", source: library, mode: libraryMode(library) };
  }
  for (const dir of ["dev", "proc", "sys", "run", "var", "etc", "mnt/state", "mnt/boot"])
    tree[dir] = { type: "dir" };
  tree.tmp = { type: "dir", mode: 0o1777 };
  return tree;
}

/** Writes a tree into an empty folder, for mksquashfs (which takes owners from -all-root). */
export function writeTree(tree: FileTree, dir: string): void {
  for (const [raw, spec] of Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(dir, raw);
    if (spec.type === "dir") {
      mkdirSync(path, { recursive: true });
      chmodSync(path, spec.mode ?? 0o755);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    if (spec.type === "symlink") throw new Error(`${raw}: the root holds no symlinks`);
    if ("source" in spec) copyFileSync(spec.source, path);
    else writeFileSync(path, spec.content);
    chmodSync(path, spec.mode ?? 0o644);
  }
}
