/** Types of system-packages.mjs, for the test helpers that import it. */
export declare const requiredCommands: {
  ip: string;
  kubectl: string;
  containerd: string;
  runc: string;
  busybox: string;
  etcd: string;
  etcdctl: string;
};
export declare function missingCommandsReason(
  commands?: Record<string, string>,
  stdio?: "ignore" | "inherit",
): string | undefined;
export declare function installSystemPackages(commands?: Record<string, string>): void;
