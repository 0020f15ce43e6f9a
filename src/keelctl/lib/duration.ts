import { InvalidArgumentError } from "commander";

const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** "90s", "2m", "1h30m" or plain seconds → seconds. */
export function parseDuration(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  let total = 0;
  const rest = value.replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n: string, unit: string) => {
    total += Number(n) * (units[unit] ?? 0);
    return "";
  });
  if (rest !== "" || total <= 0)
    throw new InvalidArgumentError(`"${value}" is not a duration like 90s, 2m or 1h30m`);
  return total;
}
