export interface CpuInfoCore {
  id: number;
  model: string;
  mhz: number;
}

/** Architectures name the model differently (x86 "model name", arm "Processor", s390 none). */
const modelKeys = ["model name", "Processor", "cpu model", "cpu"];

/**
 * /proc/cpuinfo, one entry per "processor" block. Blocks without a numeric
 * processor id (arm's trailing "Hardware" block) are skipped.
 */
export function parseCpuinfo(text: string): CpuInfoCore[] {
  const cores: CpuInfoCore[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const entries = blockEntries(block);
    const id = entries.get("processor");
    if (id === undefined || !/^\d{1,9}$/.test(id)) continue;
    const model = modelKeys.map((k) => entries.get(k)).find((m) => m !== undefined) ?? "";
    const mhz = Number.parseFloat(entries.get("cpu MHz") ?? "");
    cores.push({ id: Number(id), model, mhz: Number.isFinite(mhz) ? mhz : 0 });
  }
  return cores;
}

function blockEntries(block: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    if (!entries.has(key)) entries.set(key, line.slice(colon + 1).trim());
  }
  return entries;
}
