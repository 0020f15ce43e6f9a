import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Fallback } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";

/** Said on stderr wherever a node reports a fallback from a failed upgrade, until someone acknowledges it. */
export function warnFallback(node: string, f: Fallback | undefined): void {
  if (!f || f.acknowledged) return;
  const when = f.time ? ` at ${timestampDate(f.time).toISOString()}` : "";
  process.stderr.write(
    `${node}: warning: fell back from ${f.fromVersion} to ${f.toVersion}${when}: ${f.why}\n` +
      `${node}:   hint: acknowledge it with keelctl -n ${node} upgrade ack\n`,
  );
}
