import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Makes sure Debian's etcd-server (and etcd-client, for restoring
 * snapshots) are installed; as root it installs them, as CI does for the
 * other system packages. Returns why the tests cannot run, if they cannot.
 */
export function ensureEtcdInstalled(): string | undefined {
  const missing = [
    ["/usr/bin/etcd", "etcd-server"],
    ["/usr/bin/etcdctl", "etcd-client"],
  ].filter(([path]) => !existsSync(path ?? ""));
  if (missing.length === 0) return undefined;
  const packages = missing.map(([, pkg]) => pkg ?? "");
  if (process.getuid?.() !== 0) return `install ${packages.join(" ")} (needs root)`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
    stdio: "ignore",
    env,
  });
  return undefined;
}
