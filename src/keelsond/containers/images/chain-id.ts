import { createHash } from "node:crypto";

/**
 * The chain IDs of a layer stack (OCI image spec, "Layer ChainID"): the first
 * is the first diff ID, each next is sha256 of "<parent chain ID> <diff ID>".
 * A chain ID names the snapshot holding those layers applied in order.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const parent = chain.at(-1);
    chain.push(
      parent
        ? `sha256:${createHash("sha256").update(`${parent} ${diffId}`).digest("hex")}`
        : diffId,
    );
  }
  return chain;
}
