import { ConnectError, type Interceptor } from "@connectrpc/connect";
import type { LogLevel } from "../config/node-settings";
import type { LogWriter } from "../supervisor";
import { peerIdentityKey } from "./peer-identity";

/**
 * One line per call in the apid log: who called what, the outcome, and how
 * long it took. At level warn or error only failed calls are logged. It runs
 * on every call, so it allocates nothing beyond the line it writes.
 */
export function accessLog(log: LogWriter, level: () => LogLevel): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    try {
      const res = await next(req);
      const current = level();
      if (current === "debug" || current === "info") {
        log.line(lineFor(req, res.stream ? "stream opened" : "ok", started));
      }
      return res;
    } catch (error) {
      log.line(lineFor(req, outcomeOf(error), started));
      throw error;
    }
  };
}

type Request = Parameters<Parameters<Interceptor>[0]>[0];

function lineFor(req: Request, outcome: string, started: number): string {
  const who = req.contextValues.get(peerIdentityKey)?.commonName ?? "-";
  const ms = (performance.now() - started).toFixed(1);
  return `${req.method.name} by ${who}: ${outcome} in ${ms} ms`;
}

function outcomeOf(error: unknown): string {
  return error instanceof ConnectError ? `${error.code} ${error.rawMessage}` : String(error);
}
