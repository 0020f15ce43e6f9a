import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import type {
  CpuResponseSchema,
  DisksResponseSchema,
  DmesgResponseSchema,
  FileInfoSchema,
  MemoryResponseSchema,
  MountsResponseSchema,
  NetworkAddressesResponseSchema,
  NetworkLinksResponseSchema,
  NetworkRoutesResponseSchema,
  ProcessesResponseSchema,
  TimeResponseSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";

type Shape<T extends DescMessage> = MessageInitShape<T>;

export interface KernelInfo {
  release: string;
  arch: string;
  bootTime: Date;
}

/**
 * The host the agent inspects. It is the narrow seam between the API and the
 * machine: the Linux implementation reads /proc, /sys and /dev/kmsg, so the
 * same agent code runs in a local process node and on the real image.
 */
export interface Host {
  hostname(): Promise<string>;
  kernel(): Promise<KernelInfo>;
  uptimeSeconds(): number;
  processes(): Promise<Shape<typeof ProcessesResponseSchema>>;
  memory(): Promise<Shape<typeof MemoryResponseSchema>>;
  cpu(): Promise<Shape<typeof CpuResponseSchema>>;
  mounts(): Promise<Shape<typeof MountsResponseSchema>>;
  disks(): Promise<Shape<typeof DisksResponseSchema>>;
  links(): Promise<Shape<typeof NetworkLinksResponseSchema>>;
  addresses(): Promise<Shape<typeof NetworkAddressesResponseSchema>>;
  routes(): Promise<Shape<typeof NetworkRoutesResponseSchema>>;
  time(): Promise<Shape<typeof TimeResponseSchema>>;
  /** Kernel messages; with follow it yields new ones until the signal aborts. */
  dmesg(options: {
    follow: boolean;
    tail: number;
    signal: AbortSignal;
  }): AsyncIterable<Shape<typeof DmesgResponseSchema>>;
}

/** Files the admin may read, confined to an allow-list of roots. */
export interface HostFiles {
  read(path: string, signal: AbortSignal): AsyncIterable<Uint8Array>;
  list(
    path: string,
    depth: number,
    signal: AbortSignal,
  ): AsyncIterable<Shape<typeof FileInfoSchema>>;
}
