import { fields, parseDecimal } from "./fields";

/** /proc/uptime: "388.14 702.64" (seconds up, seconds idle summed over CPUs). */
export function parseUptime(text: string): { uptimeSeconds: number; idleSeconds: number } {
  const [up, idle] = fields(text.trim());
  return {
    uptimeSeconds: parseDecimal(up, "/proc/uptime"),
    idleSeconds: parseDecimal(idle, "/proc/uptime"),
  };
}
