import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CpuResponseSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { parseCpuinfo } from "../../../machinery/linux/parse/parse-cpuinfo";
import { parseLoadavg } from "../../../machinery/linux/parse/parse-loadavg";
import { type CpuTicks, parseProcStat } from "../../../machinery/linux/parse/parse-proc-stat";
import { USER_HZ } from "./clock-ticks";
import { readText } from "./read-proc";

type Cpu = MessageInitShape<typeof CpuResponseSchema>;

export async function readCpu(): Promise<Cpu> {
  const [cpuinfo, loadavg, stat] = await Promise.all(
    ["/proc/cpuinfo", "/proc/loadavg", "/proc/stat"].map(readText),
  );
  const load = parseLoadavg(loadavg!);
  return {
    cores: parseCpuinfo(cpuinfo!),
    load1: load.load1,
    load5: load.load5,
    load15: load.load15,
    runningProcesses: load.running,
    totalProcesses: load.total,
    ...modeSeconds(parseProcStat(stat!).cpu),
  };
}

/**
 * Folds the kernel's eight modes into the four the API has: nice time is user
 * time, and interrupt handling is system time, as top's summary does.
 */
function modeSeconds(ticks: CpuTicks | undefined) {
  if (!ticks) return {};
  return {
    userSeconds: (ticks.user + ticks.nice) / USER_HZ,
    systemSeconds: (ticks.system + ticks.irq + ticks.softirq) / USER_HZ,
    idleSeconds: ticks.idle / USER_HZ,
    iowaitSeconds: ticks.iowait / USER_HZ,
  };
}
