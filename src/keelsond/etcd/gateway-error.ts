import { type ErrorCode, KeelsonError } from "../../machinery/errors";

/** gRPC status numbers as the gateway reports them → Keelson's error codes. */
const byGrpcCode: Record<number, ErrorCode> = {
  3: "invalidArgument",
  4: "deadlineExceeded",
  5: "notFound",
  6: "alreadyExists",
  7: "permissionDenied",
  8: "resourceExhausted",
  9: "failedPrecondition",
  12: "unimplemented",
  14: "unavailable",
  16: "unauthenticated",
};

/**
 * The gateway answers a failed call with HTTP ≠ 200 and a body like
 * `{"error": "...", "code": 5, "message": "..."}`; keep etcd's own words.
 */
export function gatewayError(endpoint: string, status: number, body: string): KeelsonError {
  let parsed: { message?: string; error?: string; code?: number } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not JSON (a proxy, a half-written body): report the raw text below.
  }
  const message = parsed.message ?? parsed.error ?? (body.trim() || `HTTP ${status}`);
  const code = byGrpcCode[parsed.code ?? -1] ?? "internal";
  return new KeelsonError(code, `etcd at ${endpoint}: ${message}`);
}
