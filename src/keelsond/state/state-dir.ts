import { join } from "node:path";
import { volatileDir } from "../../machinery/platform/volatile-dir";

/**
 * Where a node keeps what survives a reboot. On the OS image this is the
 * writable state partition; in a local process node, a folder of its own.
 */
export function statePaths(root: string) {
  return {
    root,
    /** Written by the platform (provisioner): address, port, default hostname. */
    platform: join(root, "platform.json"),
    /** A first configuration handed over by the platform, like cloud user data. */
    userData: join(root, "user-data.yaml"),
    config: join(root, "config"),
    serverCert: join(root, "pki", "server.crt"),
    serverKey: join(root, "pki", "server.key"),
    logs: join(root, "logs"),
    events: join(root, "events.jsonl"),
    /** The boot partition: loader.conf and one entry per slot, as systemd-boot reads them. */
    boot: join(root, "boot"),
    /** The firmware's variables (efivarfs on metal): which entry booted, which counter it spent. */
    efivars: join(root, "efivars"),
    /** The two images, A and B. */
    slots: join(root, "slots"),
    /** Why armed boots ended (firmware side and agent), and the last fallback. */
    bootJournal: join(root, "upgrade", "boots.jsonl"),
    fallback: join(root, "upgrade", "fallback.json"),
    /** Cleared by every reboot, like /run. */
    run: volatileDir(root),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;
