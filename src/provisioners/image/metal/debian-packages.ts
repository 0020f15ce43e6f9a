import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";

/**
 * Debian packages as folders, never installed on the build host: each is
 * fetched with `apt-get download` into `cacheDir` (once per version) and
 * unpacked with `dpkg-deb -x`. Returns package name → unpacked folder.
 */
export function debianPackages(names: readonly string[], cacheDir: string): Map<string, string> {
  mkdirSync(cacheDir, { recursive: true });
  const result = new Map<string, string>();
  for (const name of names) {
    const deb = cachedDeb(name, cacheDir) ?? download(name, cacheDir);
    const dir = join(cacheDir, deb.replace(/\.deb$/, ""));
    if (!existsSync(dir)) {
      // Builds may run at once (test files in parallel): each unpacks on its own, the first rename wins.
      const partial = mkdtempSync(`${dir}.partial-`);
      run("dpkg-deb", ["-x", join(cacheDir, deb), partial]);
      try {
        renameSync(partial, dir);
      } catch {
        rmSync(partial, { recursive: true, force: true });
      }
    }
    result.set(name, dir);
  }
  return result;
}

/** The version apt would fetch now, so a new Debian update is fetched, not the cached one. */
function candidate(name: string): string | undefined {
  const out = execFileSync("apt-cache", ["policy", name], { encoding: "utf8" });
  return /Candidate:\s*(\S+)/.exec(out)?.[1];
}

function cachedDeb(name: string, cacheDir: string): string | undefined {
  const version = candidate(name);
  if (!version || version === "(none)") return undefined;
  const file = `${name}_${version.replace(/^\d+:/, "").replaceAll(":", "%3a")}_`;
  return readdirSync(cacheDir).find((f) => f.startsWith(file) && f.endsWith(".deb"));
}

/** Fetched into a folder of its own, then moved into the cache whole: no build sees half a package. */
function download(name: string, cacheDir: string): string {
  const into = mkdtempSync(join(cacheDir, ".download-"));
  try {
    try {
      run("apt-get", ["download", "-q", name], into);
    } catch (error) {
      if (process.getuid?.() !== 0) throw error;
      // A fresh machine may have no package lists yet.
      run("apt-get", ["update", "-qq"], into);
      run("apt-get", ["download", "-q", name], into);
    }
    const fetched = readdirSync(into).find((f) => f.startsWith(`${name}_`) && f.endsWith(".deb"));
    if (!fetched) throw new KeelsonError("notFound", `apt-get download ${name} fetched nothing`);
    renameSync(join(into, fetched), join(cacheDir, fetched));
    return fetched;
  } finally {
    rmSync(into, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd?: string): void {
  try {
    execFileSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new KeelsonError(
      "unavailable",
      `${command} ${args.join(" ")} failed${stderr ? `: ${stderr}` : ""}`,
      command === "apt-get" ? "check that Debian's package registry is reachable" : undefined,
    );
  }
}

/**
 * The kernel package Debian's linux-image-cloud-amd64 stands for now
 * (linux-image-6.1.0-NN-cloud-amd64): Debian's kernel for virtual machines,
 * LZ4-compressed where the generic flavour is XZ (under emulation the
 * kernel's EFI loader unpacks it about 2.5 s sooner), with fewer drivers to probe.
 */
export function kernelPackage(): string {
  const out = execFileSync("apt-cache", ["depends", "linux-image-cloud-amd64"], {
    encoding: "utf8",
  });
  const name = /Depends:\s*(linux-image-\S+)/.exec(out)?.[1];
  if (!name)
    throw new KeelsonError(
      "notFound",
      "no kernel package behind linux-image-cloud-amd64",
      "run apt-get update, and check that Debian's package registry is reachable",
    );
  return name;
}
