// Installs the Debian packages the tests and the demo use, when running as
// root and they are missing. Never assumes they are there already.
import { execFileSync } from "node:child_process";

/** command on PATH → Debian package that provides it. */
export const requiredCommands = {
  ip: "iproute2",
  // These machines ship kubectl 1.32; where it is missing, Debian's client stands in.
  kubectl: "kubernetes-client",
  containerd: "containerd",
  runc: "runc",
  // A static busybox is the payload of the container images the tests build.
  busybox: "busybox-static",
  etcd: "etcd-server",
  etcdctl: "etcd-client",
};

export function installSystemPackages(commands = requiredCommands) {
  const missing = Object.entries(commands).filter(([command]) => !onPath(command));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  if (process.getuid?.() !== 0) {
    console.warn(
      `missing commands ${missing.map(([c]) => c).join(", ")}: install ${packages.join(" ")} (needs root)`,
    );
    return;
  }
  console.log(`installing ${packages.join(" ")} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
    stdio: "inherit",
    env,
  });
}

function onPath(command) {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
