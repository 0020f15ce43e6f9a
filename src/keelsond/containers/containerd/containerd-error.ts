import { Code, ConnectError } from "@connectrpc/connect";
import { KeelsonError } from "../../../machinery/errors";

/** Socket errors that mean containerd is down or went away mid-call. */
const goneCodes = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ERR_HTTP2_GOAWAY_SESSION",
]);

/**
 * Turns a failed containerd call into a KeelsonError that says which call failed
 * and, when the socket is the problem, that the runtime itself is unreachable —
 * the caller cannot tell a restarting containerd from a broken request otherwise.
 */
export function containerdError(
  reason: unknown,
  what: string,
  socket: string,
  deadlineMs: number,
): KeelsonError {
  if (reason instanceof KeelsonError) return reason;
  if (socketGone(reason)) {
    return new KeelsonError(
      "unavailable",
      `containerd is not reachable at ${socket} (${what})`,
      "the container runtime is not running or is restarting; retry shortly",
      { cause: reason },
    );
  }
  const error = KeelsonError.from(reason);
  // containerd applies the propagated deadline itself and may answer with Unknown.
  if (error.code === "deadlineExceeded" || /context deadline exceeded/.test(error.message)) {
    return new KeelsonError(
      "deadlineExceeded",
      `containerd did not answer ${what} within ${deadlineMs} ms`,
      "the container runtime is hung or overloaded",
      { cause: reason },
    );
  }
  return new KeelsonError(error.code, `${what}: ${error.message}`, undefined, { cause: reason });
}

/** What connect-node says when containerd's end of the HTTP/2 session goes away mid-call. */
const sessionGone = /^(http\/2 stream closed with error code|Session closed with error code)/;

function socketGone(reason: unknown): boolean {
  if (reason instanceof ConnectError && reason.code === Code.Unavailable) return true;
  if (reason instanceof ConnectError && sessionGone.test(reason.rawMessage)) return true;
  for (let at: unknown = reason, depth = 0; at instanceof Error && depth < 8; depth++) {
    if (goneCodes.has(String((at as NodeJS.ErrnoException).code))) return true;
    at = at.cause;
  }
  return false;
}
