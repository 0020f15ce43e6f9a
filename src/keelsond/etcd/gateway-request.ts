import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import { KeelsonError } from "../../machinery/errors";

/** The agent's client credentials for etcd, PEM-encoded. */
export interface EtcdTls {
  ca: string;
  cert: string;
  key: string;
}

export interface CallOptions {
  /** The caller's cancellation (an RPC's signal, a health check's timeout). */
  signal?: AbortSignal;
  /** Deadline of this call; the client's default when omitted. */
  timeoutMs?: number;
}

/**
 * POSTs one JSON request to etcd's v3 gRPC gateway over mTLS and resolves
 * with the response once its headers arrive. Every call carries a deadline,
 * so a member that accepts the connection and then hangs cannot hang the
 * agent; the deadline also covers reading the body through `signal`.
 */
export function postGateway(
  url: URL,
  body: unknown,
  tls: EtcdTls,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      // A fresh connection per call: no idle sockets outlive a member or the agent.
      agent: false,
      signal,
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** Reads a whole (small) response body. */
export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The deadline signal of one call, joined with the caller's. */
export function deadlineFor(
  options: CallOptions,
  defaultMs: number,
): { signal: AbortSignal; deadline: AbortSignal; ms: number } {
  const ms = options.timeoutMs ?? defaultMs;
  const deadline = AbortSignal.timeout(ms);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  return { signal, deadline, ms };
}

/** Turns a transport failure into a KeelsonError naming the member and what went wrong. */
export function transportError(
  endpoint: string,
  error: unknown,
  deadline: AbortSignal,
  ms: number,
): KeelsonError {
  if (error instanceof KeelsonError) return error;
  if (deadline.aborted)
    return new KeelsonError(
      "deadlineExceeded",
      `etcd at ${endpoint} did not answer within ${ms} ms`,
    );
  const reason = KeelsonError.from(error);
  const code = reason.code === "internal" ? "unavailable" : reason.code;
  return new KeelsonError(
    code,
    `etcd at ${endpoint} is unreachable: ${reason.message}`,
    undefined,
    {
      cause: error,
    },
  );
}
