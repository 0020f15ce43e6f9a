import type { NodeResult } from "../../machinery/client";
import type { KeelsonError } from "../../machinery/errors";
import { type Cell, type OutputFormat, renderData, renderTable } from "./output";

/** How one command shows its per-node result: as table rows, and as plain data. */
export interface View<R> {
  columns: readonly string[];
  rows(result: R): Cell[][];
  data(result: R): unknown;
}

/**
 * Prints one result per node: a table with a NODE column (errors as their own
 * rows), or a JSON/YAML array whose items carry `node` and `result` or `error`.
 * Returns whether every node succeeded, for the exit code.
 */
export function printResults<R>(
  results: NodeResult<R>[],
  view: View<R>,
  format: OutputFormat,
): boolean {
  const failed = results.filter((r) => "error" in r);
  if (format !== "table") {
    const items = results.map((r) =>
      "error" in r
        ? { node: r.node, error: errorData(r.error) }
        : { node: r.node, result: view.data(r.result) },
    );
    process.stdout.write(`${renderData(format, items)}\n`);
    return failed.length === 0;
  }
  const rows: Cell[][] = [];
  for (const r of results)
    if (!("error" in r)) for (const row of view.rows(r.result)) rows.push([r.node, ...row]);
  if (rows.length) process.stdout.write(`${renderTable(["node", ...view.columns], rows)}\n`);
  for (const r of failed) if ("error" in r) printNodeError(r.node, r.error);
  return failed.length === 0;
}

export function errorData(error: KeelsonError) {
  return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

export function printNodeError(node: string, error: KeelsonError): void {
  process.stderr.write(`${node}: error: ${error.message} [${error.code}]\n`);
  if (error.hint) process.stderr.write(`${node}:   hint: ${error.hint}\n`);
}
