import { KeelsonError } from "../../machinery/errors";

/**
 * Member IDs are uint64: they travel as decimal strings in the gateway's JSON
 * and are shown in hex (as etcdctl prints them); bigint holds them exactly.
 */
export function parseWireId(value: string | undefined): bigint {
  return BigInt(value ?? "0");
}

export function toHex(id: bigint): string {
  return id.toString(16);
}

export function parseHexId(hex: string): bigint {
  const trimmed = hex.trim().replace(/^0x/i, "");
  if (!/^[0-9a-f]{1,16}$/i.test(trimmed))
    throw new KeelsonError(
      "invalidArgument",
      `"${hex}" is not an etcd member id`,
      "give the hexadecimal id that keelctl etcd members prints",
    );
  return BigInt(`0x${trimmed}`);
}
