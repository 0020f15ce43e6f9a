import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";
import { debianPackages } from "./debian-packages";

/**
 * The driver of QEMU's i6300esb watchdog for Debian's cloud kernel, which
 * leaves it out: built out of tree, as DKMS builds modules, from Debian's
 * source of that very kernel against its own headers (matching symbol
 * versions), with the compiler Debian built it with. Nothing is installed
 * and no root is needed. Paths are mapped and debug info stripped, so the
 * same inputs give the same module.
 */
export function buildWatchdogModule(
  kernelVersion: string,
  cacheDir: string,
  scratch: string,
): string {
  const abi = kernelVersion.replace(/-cloud-amd64$/, "");
  const series = abi.split(".").slice(0, 2).join(".");
  const headers = `linux-headers-${kernelVersion}`;
  const common = `linux-headers-${abi}-common`;
  const kbuild = `linux-kbuild-${series}`;
  const source = `linux-source-${series}`;
  const packages = debianPackages([headers, common, kbuild, source], cacheDir);
  const at = (name: string) => packages.get(name) ?? "";
  // The three packages as one tree: the headers reach kbuild's tools by relative links.
  const tree = join(scratch, "kbuild");
  for (const name of [headers, common, kbuild])
    cpSync(at(name), tree, { recursive: true, verbatimSymlinks: true });
  const headersDir = join(tree, "usr/src", headers);
  // It includes the common headers by their installed path.
  writeFileSync(
    join(headersDir, "Makefile"),
    `include ${join(tree, "usr/src", common, "Makefile")}\n`,
  );
  const dir = join(scratch, "i6300esb");
  mkdirSync(dir);
  const driver = `${source}/drivers/watchdog/i6300esb.c`;
  run("tar", [
    "-xJf",
    join(at(source), "usr/src", `${source}.tar.xz`),
    "-C",
    dir,
    "--strip-components=3",
    driver,
  ]);
  writeFileSync(join(dir, "Kbuild"), "obj-m := i6300esb.o\n");
  run("make", [
    "-s",
    "-C",
    headersDir,
    `M=${dir}`,
    `KCFLAGS=-ffile-prefix-map=${scratch}=/build`,
    "modules",
  ]);
  const module = join(dir, "i6300esb.ko");
  run("strip", ["--strip-debug", module]);
  return module;
}

function run(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new KeelsonError(
      "internal",
      `building the i6300esb watchdog module: ${command} failed${stderr ? `: ${stderr}` : ""}`,
    );
  }
}
