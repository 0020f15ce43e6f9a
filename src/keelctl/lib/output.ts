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

/**
 * A plain table like kubectl's: capitalised header, no borders, columns
 * aligned with three spaces between. Widths count code points, which is
 * exact for what nodes report (ASCII) and cheap for fan-outs to many nodes.
 */
export function renderTable(
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const text = [columns.map((c) => c.toUpperCase()), ...rows.map((row) => row.map(cellText))];
  const widths = columns.map((_, i) => Math.max(...text.map((r) => [...(r[i] ?? "")].length)));
  return text
    .map((r) =>
      r
        .map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - [...cell].length))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
}

function cellText(cell: Cell): string {
  return cell === undefined ? "" : String(cell).replace(/\s*\n\s*/g, " ");
}

let yamlStringify: ((data: unknown) => string) | undefined;

/**
 * Loads what a format needs before a command prints: the YAML library only
 * for -o yaml, so the usual table output does not pay its start cost.
 */
export async function prepareOutput(format: OutputFormat): Promise<void> {
  if (format === "yaml") yamlStringify ??= (await import("../../machinery/yaml-library")).stringify;
}

/** Structured output: JSON arrays/objects, or YAML, of already-plain data. */
export function renderData(format: "json" | "yaml", data: unknown): string {
  if (format === "json") return JSON.stringify(data, bigintReplacer, 2);
  if (!yamlStringify) {
    throw new KeelsonError("internal", 'YAML output used before prepareOutput("yaml")');
  }
  return yamlStringify(data).trimEnd();
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
