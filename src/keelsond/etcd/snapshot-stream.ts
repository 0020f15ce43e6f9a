import { KeelsonError } from "../../machinery/errors";
import { gatewayError } from "./gateway-error";
import { type EtcdTls, postGateway, readBody, transportError } from "./gateway-request";

interface SnapshotLine {
  result?: { blob?: string };
  error?: { message?: string; grpc_code?: number };
}

/**
 * Streams `/v3/maintenance/snapshot`: the gateway writes one JSON message per
 * line, each with a base64 `blob` chunk of the backend. The deadline restarts
 * with every chunk, so only a stalled stream times out.
 */
export async function* snapshotChunks(
  endpoint: string,
  tls: EtcdTls,
  signal: AbortSignal | undefined,
  idleMs: number,
): AsyncGenerator<Buffer> {
  const idle = new AbortController();
  const timer = setTimeout(() => idle.abort(), idleMs);
  const combined = signal ? AbortSignal.any([idle.signal, signal]) : idle.signal;
  try {
    const url = new URL("/v3/maintenance/snapshot", endpoint);
    const res = await postGateway(url, {}, tls, combined);
    if (res.statusCode !== 200)
      throw gatewayError(endpoint, res.statusCode ?? 0, await readBody(res));
    let pending = "";
    for await (const data of res) {
      timer.refresh();
      const lines = (pending + (data as Buffer).toString("latin1")).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) yield* chunkOf(endpoint, line);
    }
    yield* chunkOf(endpoint, pending);
  } catch (error) {
    throw transportError(endpoint, error, idle.signal, idleMs);
  } finally {
    clearTimeout(timer);
  }
}

function* chunkOf(endpoint: string, line: string): Generator<Buffer> {
  if (!line.trim()) return;
  const message = JSON.parse(line) as SnapshotLine;
  if (message.error)
    throw new KeelsonError(
      "unavailable",
      `etcd at ${endpoint}: snapshot failed: ${message.error.message ?? "unknown error"}`,
    );
  const blob = message.result?.blob;
  if (blob) yield Buffer.from(blob, "base64");
}
