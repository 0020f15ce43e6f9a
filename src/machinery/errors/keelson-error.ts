import { Code, ConnectError } from "@connectrpc/connect";

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
  deadlineExceeded: Code.DeadlineExceeded,
  unimplemented: Code.Unimplemented,
  internal: Code.Internal,
} as const;

export type ErrorCode = keyof typeof errorCodes;

const codeByGrpc = new Map<Code, ErrorCode>(
  Object.entries(errorCodes).map(([name, grpc]) => [grpc, name as ErrorCode]),
);

/**
 * The one error type of Keelson. `hint` tells the user how to fix it; the CLI
 * prints it under the message.
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
    if (reason instanceof ConnectError) {
      const code = codeByGrpc.get(reason.code) ?? "internal";
      return new KeelsonError(code, reason.rawMessage, undefined, { cause: reason });
    }
    if (reason instanceof Error) {
      const sys = systemErrorCode((reason as NodeJS.ErrnoException).code);
      return new KeelsonError(sys, reason.message, undefined, { cause: reason });
    }
    return new KeelsonError("internal", String(reason));
  }

  /** The form sent over the wire: gRPC status with the message (and hint appended). */
  toConnectError(): ConnectError {
    const text = this.hint ? `${this.message} (${this.hint})` : this.message;
    return new ConnectError(text, errorCodes[this.code], undefined, undefined, this);
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
