import { join } from "node:path";

/**
 * Where a node keeps what survives a reboot. On the OS image this is the
 * writable state partition; in a local process node, a folder of its own.
 */
export function statePaths(root: string) {
  return {
    root,
    identity: join(root, "node.json"),
    ca: join(root, "pki", "ca.crt"),
    serverCert: join(root, "pki", "server.crt"),
    serverKey: join(root, "pki", "server.key"),
    /** Only on control planes: lets the node issue client certificates. */
    caKey: join(root, "pki", "ca.key"),
    logs: join(root, "logs"),
    events: join(root, "events.jsonl"),
    image: join(root, "image.json"),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;
