import type { IncomingHttpHeaders } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { KeelsonError } from "../../../machinery/errors";

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Where the response came from after redirects. */
  url: URL;
}

export interface HttpOptions {
  headers?: Record<string, string>;
  /** Extra CA certificates (PEM) to trust, e.g. a private registry's. */
  ca?: string;
  timeoutMs: number;
  /** Refuses bodies larger than this; registries are not trusted to be small. */
  maxBytes: number;
}

/**
 * A GET that follows redirects (blob downloads usually redirect to storage)
 * and has a deadline. Credentials are not sent to a redirect on another host.
 */
export async function httpGet(url: URL, options: HttpOptions): Promise<HttpResponse> {
  let current = url;
  let headers = options.headers ?? {};
  for (let hop = 0; hop < 5; hop++) {
    const response = await once(current, { ...options, headers });
    const location = response.headers.location;
    if (response.status < 300 || response.status >= 400 || !location) return response;
    const next = new URL(location, current);
    if (next.host !== current.host) headers = withoutAuth(headers);
    current = next;
  }
  throw new KeelsonError("unavailable", `too many redirects fetching ${url.href}`);
}

function once(url: URL, options: HttpOptions): Promise<HttpResponse> {
  const request = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { headers: options.headers, ca: options.ca, timeout: options.timeoutMs },
      (res) => {
        const parts: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            req.destroy(
              new KeelsonError(
                "resourceExhausted",
                `${url.href} is larger than ${options.maxBytes} bytes`,
              ),
            );
          } else parts.push(chunk);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
            url,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(
        new KeelsonError(
          "deadlineExceeded",
          `${url.host} did not answer within ${options.timeoutMs} ms`,
        ),
      ),
    );
    req.on("error", (error) => reject(unreachable(error, url)));
    req.end();
  });
}

function unreachable(error: unknown, url: URL): KeelsonError {
  if (error instanceof KeelsonError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new KeelsonError(
    "unavailable",
    `registry ${url.host} is unreachable: ${reason}`,
    undefined,
    {
      cause: error,
    },
  );
}

function withoutAuth(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([key]) => key.toLowerCase() !== "authorization"),
  );
}
