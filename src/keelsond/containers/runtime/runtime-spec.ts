import { KeelsonError } from "../../../machinery/errors";
import type { ImageConfig } from "../../../machinery/oci";

export interface ProcessSpec {
  /** Command and arguments; the image's entrypoint + cmd when absent. */
  args?: string[];
  /** In place of the image's cmd, after its entrypoint (as `docker run IMAGE ARGS…`). */
  cmd?: string[];
  /** Host files or folders bound into the container, read-only unless said. */
  mounts?: { source: string; destination: string; writable?: boolean }[];
  /** Added to (and overriding) the image's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Share the host's network namespace (most OS services need it). */
  hostNetwork?: boolean;
}

/** The capabilities Docker and containerd grant by default; nothing that reaches the host. */
const defaultCapabilities = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * A minimal OCI runtime spec (the shape of containerd's own defaults): root
 * from the snapshot mounted at `rootfs` in the bundle, fresh namespaces,
 * /proc /dev /sys mounted, masked kernel paths, no new privileges.
 */
export function runtimeSpec(
  cgroupsPath: string,
  id: string,
  image: ImageConfig,
  process: ProcessSpec,
) {
  const config = image.config ?? {};
  const args = process.args ?? [...(config.Entrypoint ?? []), ...(process.cmd ?? config.Cmd ?? [])];
  const namespaces = ["pid", "ipc", "uts", "mount", ...(process.hostNetwork ? [] : ["network"])];
  return {
    ociVersion: "1.0.2-dev",
    process: {
      terminal: false,
      user: userOf(config.User),
      args,
      env: mergeEnv(config.Env ?? [], process.env ?? {}),
      cwd: process.cwd ?? (config.WorkingDir || "/"),
      capabilities: Object.fromEntries(
        ["bounding", "effective", "permitted"].map((set) => [set, defaultCapabilities]),
      ),
      rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: "rootfs" },
    hostname: process.hostNetwork ? undefined : id,
    mounts: [
      ...defaultMounts(),
      ...(process.mounts ?? []).map((m) => ({
        destination: m.destination,
        type: "bind",
        source: m.source,
        options: ["rbind", "nosuid", "nodev", m.writable ? "rw" : "ro"],
      })),
    ],
    linux: {
      cgroupsPath,
      resources: { devices: [{ allow: false, access: "rwm" }] },
      namespaces: namespaces.map((type) => ({ type })),
      maskedPaths: [
        "/proc/acpi",
        "/proc/asound",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
      ],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}

function defaultMounts() {
  const nosuid = ["nosuid", "noexec", "nodev"];
  return [
    { destination: "/proc", type: "proc", source: "proc", options: nosuid },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    {
      destination: "/dev/shm",
      type: "tmpfs",
      source: "shm",
      options: [...nosuid, "mode=1777", "size=65536k"],
    },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: nosuid },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: [...nosuid, "ro"] },
    {
      destination: "/run",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
  ];
}

function mergeEnv(image: readonly string[], extra: Record<string, string>): string[] {
  const env = new Map<string, string>([["PATH", defaultPath]]);
  for (const item of image) {
    const eq = item.indexOf("=");
    if (eq > 0) env.set(item.slice(0, eq), item.slice(eq + 1));
  }
  for (const [key, value] of Object.entries(extra)) env.set(key, value);
  return [...env].map(([key, value]) => `${key}=${value}`);
}

/** The image's User as runc takes it: "uid[:gid]"; root when the image names none. */
function userOf(user: string | undefined): { uid: number; gid: number } {
  if (!user) return { uid: 0, gid: 0 };
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!match)
    throw new KeelsonError(
      "invalidArgument",
      `image user "${user}" is not numeric: the OS has no user database to look names up in`,
      "build the image with a numeric uid:gid",
    );
  return { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
}
