import { Agent, request } from "node:https";
import { KeelsonError } from "../errors";
import type { ClusterCredentials } from "./kubeconfig";

export interface Response {
  status: number;
  body: unknown;
}

/** Maps a Kubernetes Status to Keelson's error codes, keeping the server's message. */
export function errorFromStatus(status: number, body: unknown): KeelsonError {
  const info = (body ?? {}) as { message?: string; reason?: string };
  const message = info.message ?? `HTTP ${status}`;
  const code =
    status === 404
      ? "notFound"
      : status === 409
        ? info.reason === "AlreadyExists"
          ? "alreadyExists"
          : "failedPrecondition"
        : status === 400 || status === 422
          ? "invalidArgument"
          : status === 401
            ? "unauthenticated"
            : status === 403
              ? "permissionDenied"
              : status === 429
                ? "resourceExhausted"
                : status >= 500
                  ? "unavailable"
                  : "internal";
  return new KeelsonError(code, message, undefined, { cause: body });
}

/**
 * A deliberately small Kubernetes REST client on node:https: it lives inside
 * the node agent, whose memory budget has no room for a full client library,
 * and serves the simulated kubelet and the tools alike.
 */
export class KubeClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(
    readonly credentials: ClusterCredentials,
    private readonly userAgent = "keelson",
  ) {
    this.base = new URL(credentials.server);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 4,
      ca: credentials.ca,
      cert: credentials.cert,
      key: credentials.key,
    });
  }

  /** One request; non-2xx answers become KeelsonErrors. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<unknown> {
    const res = await this.send(method, path, body, contentType);
    if (res.status >= 300) throw errorFromStatus(res.status, res.body);
    return res.body;
  }

  send(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        this.url(path),
        { method, agent: this.agent, headers: this.headers(payload, contentType) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, body: text ? safeJson(text) : undefined });
          });
          res.on("error", reject);
        },
      );
      req.on("error", (e) => reject(KeelsonError.from(e)));
      req.end(payload);
    });
  }

  /** Streams a watch; `onLine` gets each event; resolves when the server or `signal` ends it. */
  stream(path: string, onLine: (event: unknown) => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        this.url(path),
        { method: "GET", agent: this.agent, signal, headers: { Accept: "application/json" } },
        (res) => {
          if ((res.statusCode ?? 0) >= 300) {
            res.resume();
            reject(errorFromStatus(res.statusCode ?? 0, undefined));
            return;
          }
          let buffer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buffer += chunk;
            let nl = buffer.indexOf("\n");
            while (nl >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (line.trim()) onLine(safeJson(line));
              nl = buffer.indexOf("\n");
            }
          });
          res.on("end", () => resolve());
          res.on("error", () => resolve());
          res.on("close", () => resolve());
        },
      );
      req.on("error", (e) => (signal.aborted ? resolve() : reject(KeelsonError.from(e))));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  private headers(
    payload: string | undefined,
    contentType: string,
  ): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      Accept: "application/json",
      "User-Agent": this.userAgent,
    };
    if (payload !== undefined) {
      headers["Content-Type"] = contentType;
      headers["Content-Length"] = Buffer.byteLength(payload);
    }
    return headers;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
