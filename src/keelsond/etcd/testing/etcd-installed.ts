import { missingCommandsReason, requiredCommands } from "../../../../scripts/system-packages.mjs";

/**
 * Makes sure Debian's etcd-server (and etcd-client, for restoring
 * snapshots) are installed; as root it installs them, as the test command
 * does for every system package. Returns why the tests cannot run, if they cannot.
 */
export function ensureEtcdInstalled(): string | undefined {
  const { etcd, etcdctl } = requiredCommands;
  return missingCommandsReason({ etcd, etcdctl });
}
