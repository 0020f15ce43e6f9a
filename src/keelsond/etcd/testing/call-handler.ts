import type { HandlerContext } from "@connectrpc/connect";

/** The part of a Connect call context the etcd handlers use. */
export function callContext(timeoutMs = 20_000): HandlerContext {
  return { signal: AbortSignal.timeout(timeoutMs) } as unknown as HandlerContext;
}
