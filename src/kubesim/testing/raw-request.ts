import type { IncomingHttpHeaders } from "node:http";
import { request } from "node:https";
import type { ClusterCredentials } from "../../machinery/kube/kubeconfig";

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON (undefined when it is not). */
  json: Record<string, unknown> | undefined;
}

export interface RawRequest {
  method?: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Resolve after this many body bytes, leaving the rest (a watch) unread. */
  untilBytes?: number;
}

/** One HTTPS request as any client would make it, for cases the client libraries never send. */
export function rawRequest(c: ClusterCredentials, options: RawRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(options.path, c.server),
      {
        method: options.method ?? "GET",
        ca: c.ca,
        cert: c.cert,
        key: c.key,
        headers: options.headers,
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const body = Buffer.concat(chunks);
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(body.toString("utf8"));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (options.untilBytes !== undefined && size >= options.untilBytes) {
            finish();
            req.destroy();
          }
        });
        res.on("end", finish);
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`${options.method ?? "GET"} ${options.path} hung`)),
    );
    req.on("error", (error) =>
      req.destroyed && error.message.includes("socket hang up") ? undefined : reject(error),
    );
    req.end(options.body);
  });
}
