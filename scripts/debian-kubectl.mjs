// Debian 12's own kubectl (kubernetes-client, 1.20), fetched without
// installing it: `apt-get download` + `dpkg-deb -x` into a cache folder, so
// the kubectl end-to-end tests run against both generations while whatever
// kubectl the machine has stays as it is.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const cacheDir = join(
  process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
  "keelson",
  "debian-kubectl",
);

/** The path of Debian's kubectl, downloading it when it is not cached yet; undefined with why when it cannot. */
export function debianKubectl() {
  const binary = join(cacheDir, "root", "usr", "bin", "kubectl");
  if (existsSync(binary)) return { path: binary };
  try {
    mkdirSync(cacheDir, { recursive: true });
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const download = () =>
      execFileSync("apt-get", ["download", "-qq", "kubernetes-client"], {
        cwd: cacheDir,
        env,
        stdio: "pipe",
      });
    try {
      download();
    } catch {
      // The package lists may be missing or stale on a fresh machine.
      execFileSync("apt-get", ["update", "-qq"], { env, stdio: "pipe" });
      download();
    }
    const deb = readdirSync(cacheDir).find(
      (f) => f.startsWith("kubernetes-client_") && f.endsWith(".deb"),
    );
    if (!deb) return { reason: "apt-get download kubernetes-client left no .deb" };
    rmSync(join(cacheDir, "root"), { recursive: true, force: true });
    execFileSync("dpkg-deb", ["-x", join(cacheDir, deb), join(cacheDir, "root")], {
      stdio: "pipe",
    });
    return existsSync(binary) ? { path: binary } : { reason: `${deb} holds no usr/bin/kubectl` };
  } catch (error) {
    return {
      reason: `cannot fetch Debian's kubectl: ${String(error.stderr ?? error.message).trim()}`,
    };
  }
}
