// Installs the Debian packages the tests and the demo use, when running as
// root and they are missing. Never assumes they are there already. The one
// installer: test helpers that need a package call missingCommandsReason.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** command on PATH (or an absolute path: a file that must exist) → Debian package that provides it. */
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
  // The metal image's build (no root, no loop devices) and the QEMU machines that boot it.
  gcc: "gcc",
  // The watchdog driver Debian's cloud kernel leaves out is built for it, from Debian's source.
  make: "make",
  xz: "xz-utils",
  "/usr/include/linux/dm-ioctl.h": "linux-libc-dev",
  "/usr/lib/x86_64-linux-gnu/libc.a": "libc6-dev",
  mksquashfs: "squashfs-tools",
  cpio: "cpio",
  veritysetup: "cryptsetup-bin",
  "mkfs.fat": "dosfstools",
  mcopy: "mtools",
  sfdisk: "fdisk",
  mke2fs: "e2fsprogs",
  "dpkg-deb": "dpkg",
  "qemu-system-x86_64": "qemu-system-x86",
  "/usr/share/OVMF/OVMF_CODE_4M.fd": "ovmf",
};

/**
 * Installs the packages of the commands missing from PATH (as root), and
 * returns why they are still missing, or undefined when all are there.
 */
export function missingCommandsReason(commands = requiredCommands, stdio = "ignore") {
  const missing = Object.entries(commands).filter(([command]) => !onPath(command));
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  const reason = `missing commands ${missing.map(([c]) => c).join(", ")}: install ${packages.join(" ")}`;
  if (process.getuid?.() !== 0) return `${reason} (needs root)`;
  if (stdio === "inherit") console.log(`installing ${packages.join(" ")} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio, env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
    stdio,
    env,
  });
  return undefined;
}

/** Installs everything the tests and the demo use; warns when it cannot. */
export function installSystemPackages(commands = requiredCommands) {
  const reason = missingCommandsReason(commands, "inherit");
  if (reason) console.warn(reason);
}

function onPath(command) {
  if (command.startsWith("/")) return existsSync(command);
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
