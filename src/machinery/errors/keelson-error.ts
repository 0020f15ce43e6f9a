import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorHintSchema } from "../api/gen/keelson/machine/v1/error_hint_pb";

/**
 * The closed set of ways a Keelson operation can fail. Each maps to one gRPC
 * status code so errors keep their meaning across the wire.
 */
export const errorCodes = {
  invalidArgument: Code.InvalidArgument,
  notFound: Code.NotFound,
  alreadyExists: Code.AlreadyExists,
  permissionDenied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  failedPrecondition: Code.FailedPrecondition,
  resourceExhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  /** The caller gave up (an aborted stream, a closed connection): not a failure of the node. */
  canceled: Code.Canceled,
  deadlineExceeded: Code.DeadlineExceeded,
  aborted: Code.Aborted,
  unimplemented: Code.Unimplemented,
  internal: Code.Internal,
} as const;

export type ErrorCode = keyof typeof errorCodes;

const codeByGrpc = new Map<Code, ErrorCode>(
  Object.entries(errorCodes).map(([name, grpc]) => [grpc, name as ErrorCode]),
);

/**
 * The one error type of Keelson. `hint` tells the user how to fix it; the CLI
 * prints it under the message, and over gRPC it travels as an ErrorHint
 * detail of the status.
 */
export class KeelsonError extends Error {
  override name = "KeelsonError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Normalises anything thrown (ConnectError, Node system errors, strings) into a KeelsonError. */
  static from(reason: unknown): KeelsonError {
    if (reason instanceof KeelsonError) return reason;
    // A stream the server refused was never processed: the node's API was closing.
    if (isRefusedStream(reason))
      return new KeelsonError(
        "unavailable",
        "the node refused the call: its API was closing (a reboot or shutdown)",
        "call again once it is back (keelctl health --wait)",
        { cause: reason },
      );
    if (reason instanceof ConnectError) {
      const code = codeByGrpc.get(reason.code) ?? "internal";
      const hint = reason.findDetails(ErrorHintSchema)[0]?.hint || undefined;
      return new KeelsonError(code, reason.rawMessage, hint, { cause: reason });
    }
    if (
      reason instanceof Error &&
      (reason.name === "AbortError" || reason.name === "TimeoutError")
    ) {
      const code = reason.name === "AbortError" ? "canceled" : "deadlineExceeded";
      return new KeelsonError(code, reason.message || code, undefined, { cause: reason });
    }
    if (reason instanceof Error) {
      const sys = systemErrorCode((reason as NodeJS.ErrnoException).code);
      return new KeelsonError(sys, reason.message, undefined, { cause: reason });
    }
    return new KeelsonError("internal", String(reason));
  }

  /** The form sent over the wire: gRPC status with the message, the hint as an ErrorHint detail. */
  toConnectError(): ConnectError {
    const details = this.hint ? [{ desc: ErrorHintSchema, value: { hint: this.hint } }] : [];
    return new ConnectError(this.message, errorCodes[this.code], undefined, details, this);
  }
}

function systemErrorCode(errno: string | undefined): ErrorCode {
  switch (errno) {
    case "ENOENT":
      return "notFound";
    case "EACCES":
    case "EPERM":
      return "permissionDenied";
    case "EEXIST":
      return "alreadyExists";
    case "ECONNREFUSED":
    case "ECONNRESET":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EPIPE":
      return "unavailable";
    case "ETIMEDOUT":
      return "deadlineExceeded";
    default:
      return "internal";
  }
}

/** An HTTP/2 stream the server refused (RST_STREAM REFUSED_STREAM): never processed, safe to send again. */
export function isRefusedStream(reason: unknown): boolean {
  return reason instanceof Error && /REFUSED_STREAM/.test(reason.message);
}
