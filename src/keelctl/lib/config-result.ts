import { toJson } from "@bufbuild/protobuf";
import {
  type ConfigChangeResult,
  ConfigChangeResultSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { NodeResult } from "../../machinery/client";
import { time } from "./format-values";
import type { GlobalOptions } from "./global-options";
import { printResults } from "./print-results";

/** Prints apply/rollback results: a summary row per node, then each node's diff. */
export function printChangeResults(
  results: NodeResult<ConfigChangeResult | undefined>[],
  global: GlobalOptions,
): boolean {
  const ok = printResults(
    results,
    {
      columns: ["mode", "revision", "applied live", "staged", "reboot", "message"],
      rows: (r) => [
        [
          `${r?.mode ?? ""}${r?.dryRun ? " (dry run)" : ""}`,
          r?.revision || "-",
          r?.applied.map((c) => c.path).join(", ") || "-",
          r?.staged.map((c) => c.path).join(", ") || "-",
          r?.rebootRequired ? "required" : "no",
          `${r?.message ?? ""}${r?.tryDeadline ? ` (until ${time(r.tryDeadline)})` : ""}`,
        ],
      ],
      data: (r) => (r ? toJson(ConfigChangeResultSchema, r, { alwaysEmitImplicit: true }) : null),
    },
    global.output,
  );
  if (global.output === "table") {
    for (const r of results) {
      if ("result" in r && r.result?.diff)
        process.stdout.write(`\n--- ${r.node}\n${r.result.diff}`);
    }
  }
  return ok;
}
