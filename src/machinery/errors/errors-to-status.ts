import type { Interceptor } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";
import { KeelsonError } from "./keelson-error";

/**
 * Turns whatever a handler throws into a gRPC status with a clear message, so
 * a Node system error or a KeelsonError never reaches the wire as "internal".
 */
export const errorsToStatus: Interceptor = (next) => async (req) => {
  try {
    const res = await next(req);
    if (!res.stream) return res;
    return { ...res, message: mapStream(res.message) };
  } catch (reason) {
    throw toStatus(reason);
  }
};

async function* mapStream<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* source;
  } catch (reason) {
    throw toStatus(reason);
  }
}

function toStatus(reason: unknown): ConnectError {
  if (reason instanceof ConnectError) return reason;
  return KeelsonError.from(reason).toConnectError();
}
