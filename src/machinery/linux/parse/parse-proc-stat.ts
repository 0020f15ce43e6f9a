import { fields } from "./fields";

/** Clock ticks spent in each mode, summed over all CPUs (the "cpu" line). */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface ProcStat {
  /** Seconds since the epoch; undefined if the kernel did not print btime. */
  bootTimeSeconds: number | undefined;
  cpu: CpuTicks | undefined;
}

/**
 * The two facts Keelson needs from /proc/stat. Missing or garbled lines leave
 * the fact undefined so the caller decides whether that is fatal.
 */
export function parseProcStat(text: string): ProcStat {
  let bootTimeSeconds: number | undefined;
  let cpu: CpuTicks | undefined;
  for (const line of text.split("\n")) {
    const [key, ...values] = fields(line);
    if (key === "btime" && /^\d{1,15}$/.test(values[0] ?? "")) bootTimeSeconds = Number(values[0]);
    if (key === "cpu") cpu = cpuTicks(values);
  }
  return { bootTimeSeconds, cpu };
}

function cpuTicks(values: string[]): CpuTicks | undefined {
  // Old kernels print fewer columns; missing ones count as zero.
  const numbers = Array.from({ length: 8 }, (_, i) => values[i] ?? "0");
  if (!numbers.every((v) => /^\d{1,18}$/.test(v))) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = numbers.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}
