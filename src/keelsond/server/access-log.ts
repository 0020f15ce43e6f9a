import { ConnectError, type Interceptor } from "@connectrpc/connect";
import type { LogLevel } from "../config/node-settings";
import type { LogWriter } from "../supervisor";
import { peerIdentityKey } from "./peer-identity";

/**
 * One line per call in the apid log: who called what, the outcome, and how
 * long it took. At level warn or error only failed calls are logged.
 */
export function accessLog(log: LogWriter, level: () => LogLevel): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const who = req.contextValues.get(peerIdentityKey)?.commonName ?? "-";
    const line = (outcome: string) =>
      log.line(
        `${req.method.name} by ${who}: ${outcome} in ${(performance.now() - started).toFixed(1)} ms`,
      );
    try {
      const res = await next(req);
      if (level() === "debug" || level() === "info") line(res.stream ? "stream opened" : "ok");
      return res;
    } catch (error) {
      line(
        error instanceof ConnectError
          ? `${ConnectError.from(error).code} ${error.rawMessage}`
          : String(error),
      );
      throw error;
    }
  };
}
