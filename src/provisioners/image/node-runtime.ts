import { execFileSync } from "node:child_process";
import type { FileTree } from "../../machinery/image-builder";

/** Where the Node.js runtime sits in every image the project builds. */
export const nodeBinary = "/usr/bin/node";

/** A Node.js binary and, at the same paths, every shared library the loader maps for it. */
export function nodeRuntime(binary: string): FileTree {
  const tree: FileTree = { [nodeBinary]: { type: "file", source: binary, mode: 0o755 } };
  for (const library of sharedLibraries(binary))
    tree[library] = { type: "file", source: library, mode: libraryMode(library) };
  return tree;
}

/**
 * Libraries are mapped, not run: only the dynamic loader, which the kernel
 * opens as a program's interpreter, needs to be executable. (So libc.so.6,
 * which could be run, is not counted as an executable of the image.)
 */
export function libraryMode(path: string): number {
  return /\/ld-linux[^/]*$/.test(path) ? 0o755 : 0o644;
}

/** What ldd lists for a binary, by absolute path (the vDSO has none). */
export function sharedLibraries(binary: string): string[] {
  const out = execFileSync("ldd", [binary], { encoding: "utf8" });
  return [...out.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((m) => m[1] as string).sort();
}
