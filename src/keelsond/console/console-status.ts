import { networkInterfaces } from "node:os";
import type { FallbackRecord } from "../upgrade/fallback";

/** What a person at a node's console, with no shell, needs to know about it. */
export interface ConsoleStatus {
  node: string;
  /** "maintenance: …" or the role it runs as. */
  state: string;
  version: string;
  slot: string;
  /** False while the boot is on trial, until the health gate commits it. */
  committed: boolean;
  addresses: string[];
  port: number;
  lastFallback: FallbackRecord | undefined;
}

/** The status as the console shows it: a few lines, the same every time for the same status. */
export function statusLines(s: ConsoleStatus): string[] {
  const lines = [
    `keelson: ${s.node}: ${s.state}`,
    `  image ${s.version || "unknown"}, slot ${s.slot || "?"}, ${s.committed ? "committed" : "on trial until the health gate passes"}`,
    `  API ${s.addresses.length ? s.addresses.map((a) => `${bracketed(a)}:${s.port}`).join(", ") : `port ${s.port} (no address yet)`}`,
  ];
  const f = s.lastFallback;
  lines.push(
    f && !f.acknowledged
      ? `  fell back from ${f.fromVersion} to ${f.toVersion} at ${f.time}: ${f.why} (keelctl upgrade ack)`
      : "  no fallback to report",
  );
  return lines;
}

/** The node's own addresses: every non-loopback interface's. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && !a.address.startsWith("fe80:"))
    .map((a) => a?.address ?? "");
}

/**
 * Shows the status on the console now, and again whenever it changes
 * (asked every `intervalMs`): a status that stays the same is not repeated.
 */
export function showStatus(
  sample: () => ConsoleStatus,
  write: (text: string) => void,
  intervalMs = 5000,
): () => void {
  let shown = "";
  const show = () => {
    let text: string;
    try {
      text = `${statusLines(sample()).join("\n")}\n`;
    } catch (error) {
      text = `keelson: the status cannot be read: ${(error as Error).message}\n`;
    }
    if (text !== shown) write(text);
    shown = text;
  };
  show();
  const timer = setInterval(show, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const bracketed = (address: string) => (address.includes(":") ? `[${address}]` : address);
