/**
 * /proc/meminfo as a map from field name to bytes. Fields printed in kB are
 * converted; unitless counters (HugePages_Total) are kept as they are.
 * Lines that do not look like "Name: value [kB]" are skipped, not fatal,
 * because new kernels add fields in forms we cannot predict.
 */
export function parseMeminfo(text: string): Map<string, bigint> {
  const values = new Map<string, bigint>();
  for (const line of text.split("\n")) {
    const match = /^([^:\s]+):\s+(\d{1,20})(\s+kB)?\s*$/.exec(line);
    if (!match) continue;
    const value = BigInt(match[2]!);
    values.set(match[1]!, match[3] ? value * 1024n : value);
  }
  return values;
}
