import { readdir } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { NetworkLinkSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { linkKind } from "./link-kind";
import { mapLimited } from "./map-limited";
import { readAttribute, readCounterAttribute, readNumberAttribute } from "./read-proc";

type Link = MessageInitShape<typeof NetworkLinkSchema>;

export async function readLinks(): Promise<Link[]> {
  const names = await readdir("/sys/class/net");
  const links = await mapLimited(names, 16, readLink);
  return links.filter((link) => link !== undefined).sort((a, b) => a.index! - b.index!);
}

/** Undefined when the link was deleted while we read it (pod veths come and go). */
async function readLink(name: string): Promise<Link | undefined> {
  const dir = `/sys/class/net/${name}`;
  const index = await readNumberAttribute(`${dir}/ifindex`);
  if (index === undefined) return undefined;
  const counter = (stat: string) => readCounterAttribute(`${dir}/statistics/${stat}`);
  return {
    name,
    index,
    hardwareAddress: (await readAttribute(`${dir}/address`)) ?? "",
    mtu: (await readNumberAttribute(`${dir}/mtu`)) ?? 0,
    state: (await readAttribute(`${dir}/operstate`)) ?? "unknown",
    kind: linkKind(await readAttribute(`${dir}/uevent`), await readNumberAttribute(`${dir}/type`)),
    rxBytes: await counter("rx_bytes"),
    txBytes: await counter("tx_bytes"),
    rxPackets: await counter("rx_packets"),
    txPackets: await counter("tx_packets"),
    rxErrors: await counter("rx_errors"),
    txErrors: await counter("tx_errors"),
  };
}
