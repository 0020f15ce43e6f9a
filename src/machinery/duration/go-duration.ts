const unitNanos: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration ("1h2m3.5s", "-300ms") → nanoseconds. */
export function parseGoDuration(text: string, path: string): number {
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!match && text !== "0") throw new TypeError(`${path}: "${text}" is not a duration`);
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    total += Number(n) * (unitNanos[unit ?? "s"] ?? 0);
  return Math.round(text.startsWith("-") ? -total : total);
}

/** Go's Duration.String(): "1h2m3.5s", "300ms", "0s". */
export function formatGoDuration(nanos: number): string {
  if (nanos === 0) return "0s";
  const sign = nanos < 0 ? "-" : "";
  let rest = Math.abs(nanos);
  if (rest < 1e3) return `${sign}${rest}ns`;
  if (rest < 1e6) return `${sign}${trim(rest / 1e3)}µs`;
  if (rest < 1e9) return `${sign}${trim(rest / 1e6)}ms`;
  let out = "";
  const hours = Math.floor(rest / 3600e9);
  rest -= hours * 3600e9;
  const minutes = Math.floor(rest / 60e9);
  rest -= minutes * 60e9;
  if (hours) out += `${hours}h`;
  if (hours || minutes) out += `${minutes}m`;
  return `${sign}${out}${trim(rest / 1e9)}s`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(9)));
}
