import Table from "cli-table3";
import { stringify } from "yaml";
import { KeelsonError } from "../../machinery/errors";

export const outputFormats = ["table", "json", "yaml"] as const;
export type OutputFormat = (typeof outputFormats)[number];

export function parseOutputFormat(value: string): OutputFormat {
  if ((outputFormats as readonly string[]).includes(value)) return value as OutputFormat;
  throw new KeelsonError(
    "invalidArgument",
    `unknown output format "${value}"`,
    `use one of ${outputFormats.join(", ")}`,
  );
}

export type Cell = string | number | boolean | bigint | undefined;

/** A plain table: header row in capitals, no borders, aligned columns (like kubectl). */
export function renderTable(
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const table = new Table({
    head: columns.map((c) => c.toUpperCase()),
    chars: borderless,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 3 },
  });
  for (const row of rows) table.push(row.map((cell) => (cell === undefined ? "" : String(cell))));
  return table.toString().replace(/[ \t]+$/gm, "");
}

/** Structured output: JSON arrays/objects, or YAML, of already-plain data. */
export function renderData(format: "json" | "yaml", data: unknown): string {
  return format === "json" ? JSON.stringify(data, bigintReplacer, 2) : stringify(data).trimEnd();
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

const borderless = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "",
};
