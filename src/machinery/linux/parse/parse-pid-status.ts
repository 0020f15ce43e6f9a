/**
 * The resident set size from /proc/<pid>/status. It is read from here rather
 * than from stat's rss so no page-size assumption is needed (arm64 kernels
 * may use 16 or 64 KiB pages). Kernel threads have no VmRSS: zero.
 */
export function parseResidentBytes(text: string): bigint {
  const match = /^VmRSS:\s+(\d{1,18})\s+kB\s*$/m.exec(text);
  return match ? BigInt(match[1]!) * 1024n : 0n;
}
