import { fields, parseDecimal, parseUnsigned } from "./fields";
import { malformed } from "./malformed";

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
  running: number;
  total: number;
}

/** /proc/loadavg: "0.16 0.20 0.10 1/83 3770". */
export function parseLoadavg(text: string): LoadAverage {
  const source = "/proc/loadavg";
  const [one, five, fifteen, tasks] = fields(text.trim());
  const [running, total, extra] = (tasks ?? "").split("/");
  if (extra !== undefined) throw malformed(source, `bad task counts ${JSON.stringify(tasks)}`);
  return {
    load1: parseDecimal(one, source),
    load5: parseDecimal(five, source),
    load15: parseDecimal(fifteen, source),
    running: parseUnsigned(running, source),
    total: parseUnsigned(total, source),
  };
}
