import { join } from "node:path";
import { nodeBootLayout } from "../../machinery/boot/node-boot-layout";
import { volatileDir } from "../../machinery/platform/volatile-dir";

/**
 * Where a node keeps what survives a reboot. On the OS image this is the
 * writable state partition; in a local process node, a folder of its own.
 */
export function statePaths(root: string) {
  const boot = nodeBootLayout(root);
  return {
    root,
    /** Written by the platform (provisioner): address, port, default hostname. */
    platform: join(root, "platform.json"),
    /** A first configuration handed over by the platform, like cloud user data. */
    userData: join(root, "user-data.yaml"),
    config: join(root, "config"),
    serverCert: join(root, "pki", "server.crt"),
    serverKey: join(root, "pki", "server.key"),
    /** Maintenance mode's self-signed certificate, kept so its fingerprint stays. */
    maintenanceCert: join(root, "pki", "maintenance.crt"),
    maintenanceKey: join(root, "pki", "maintenance.key"),
    logs: join(root, "logs"),
    events: join(root, "events.jsonl"),
    boot: boot.esp,
    efivars: boot.efivars,
    slots: boot.slots,
    bootJournal: boot.journal,
    /** The last fallback from an upgrade, until acknowledged. */
    fallback: join(root, "upgrade", "fallback.json"),
    /** Cleared by every reboot, like /run. */
    run: volatileDir(root),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;
