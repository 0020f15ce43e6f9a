import { stat } from "node:fs/promises";
import { KeelsonError } from "../../../machinery/errors";
import { followFile, readTail } from "../../supervisor";
import { containerLogPath } from "./task-io";

export interface LogRequest {
  logsDir: string;
  namespace: string;
  id: string;
  /** Last N lines first (0: the whole log). */
  tail: number;
  /** Keep streaming what is appended until the signal aborts. */
  follow: boolean;
  signal: AbortSignal;
}

/**
 * A container's output as the shim wrote it (stdout and stderr interleaved):
 * the tail, then, when following, whatever is appended.
 */
export async function* containerLogs(request: LogRequest): AsyncIterable<Buffer> {
  const path = containerLogPath(request.logsDir, request.namespace, request.id);
  await stat(path).catch(() => {
    throw new KeelsonError(
      "notFound",
      `no log for container "${request.id}" in namespace "${request.namespace}"`,
    );
  });
  const { data, end } = await readTail(path, request.tail);
  if (data.length > 0) yield data;
  if (request.follow) yield* followFile(path, end, request.signal);
}
