import { malformed } from "./malformed";

/** /proc/net/route prints IPv4 addresses as the in-memory u32, so little-endian on x86 and arm. */
export function ipv4FromHexLe(hex: string): string {
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw malformed("IPv4 hex address", JSON.stringify(hex));
  const bytes = [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return bytes.join(".");
}

/** Counts the bits of a netmask; byte order does not change the count. */
export function prefixFromHexMask(hex: string): number {
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw malformed("IPv4 hex netmask", JSON.stringify(hex));
  let bits = 0;
  for (const digit of hex) bits += popcount(Number.parseInt(digit, 16));
  return bits;
}

function popcount(nibble: number): number {
  return (nibble & 1) + ((nibble >> 1) & 1) + ((nibble >> 2) & 1) + ((nibble >> 3) & 1);
}

/** Formats 32 hex digits as RFC 5952 text, the form `ip` prints. */
export function ipv6FromHex(hex: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw malformed("IPv6 hex address", JSON.stringify(hex));
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number.parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16),
  );
  const run = longestZeroRun(groups);
  if (run.length < 2) return groups.join(":");
  const head = groups.slice(0, run.start).join(":");
  const tail = groups.slice(run.start + run.length).join(":");
  return `${head}::${tail}`;
}

function longestZeroRun(groups: string[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  groups.forEach((group, i) => {
    if (group !== "0") {
      start = -1;
      return;
    }
    if (start < 0) start = i;
    const length = i - start + 1;
    if (length > best.length) best = { start, length };
  });
  return best;
}

export function hexByte(hex: string | undefined, source: string): number {
  if (hex === undefined || !/^[0-9a-fA-F]{2}$/.test(hex)) {
    throw malformed(source, `expected two hex digits, got ${JSON.stringify(hex)}`);
  }
  return Number.parseInt(hex, 16);
}

export function hexWord(hex: string | undefined, source: string): number {
  if (hex === undefined || !/^[0-9a-fA-F]{1,8}$/.test(hex)) {
    throw malformed(source, `expected up to eight hex digits, got ${JSON.stringify(hex)}`);
  }
  return Number.parseInt(hex, 16);
}
