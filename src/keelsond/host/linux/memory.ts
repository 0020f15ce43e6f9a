import type { MessageInitShape } from "@bufbuild/protobuf";
import type { MemoryResponseSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { parseMeminfo } from "../../../machinery/linux/parse/parse-meminfo";
import { readText } from "./read-proc";

/** cachedBytes is meminfo's Cached, the page cache; `free` adds SReclaimable to it, the API does not. */
export async function readMemory(): Promise<MessageInitShape<typeof MemoryResponseSchema>> {
  const info = parseMeminfo(await readText("/proc/meminfo"));
  const bytes = (field: string) => info.get(field) ?? 0n;
  return {
    totalBytes: bytes("MemTotal"),
    freeBytes: bytes("MemFree"),
    // MemAvailable exists since Linux 3.14; older kernels fall back to free.
    availableBytes: info.get("MemAvailable") ?? bytes("MemFree"),
    buffersBytes: bytes("Buffers"),
    cachedBytes: bytes("Cached"),
    swapTotalBytes: bytes("SwapTotal"),
    swapFreeBytes: bytes("SwapFree"),
  };
}
