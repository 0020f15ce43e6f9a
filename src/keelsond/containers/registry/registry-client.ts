import { KeelsonError } from "../../../machinery/errors";
import { type HttpResponse, httpGet } from "./http-get";
import { authorize, type Credentials, parseChallenge } from "./registry-auth";

export interface RegistryOptions {
  /** PEM CA certificates to trust for this registry (beyond the system's). */
  ca?: string;
  credentials?: Credentials;
  /** Deadline of every request. */
  timeoutMs?: number;
  /** Plain HTTP (only sensible for a registry on loopback). */
  plainHttp?: boolean;
}

const maxBlobBytes = 2 * 1024 * 1024 * 1024;

/**
 * A minimal OCI distribution client: GET manifests and blobs of one
 * repository, answering auth challenges once and reusing the token.
 */
export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly registry: string,
    private readonly repository: string,
    private readonly options: RegistryOptions = {},
  ) {}

  async get(
    kind: "manifests" | "blobs",
    reference: string,
    accept?: string,
  ): Promise<HttpResponse> {
    const scheme = this.options.plainHttp ? "http" : "https";
    const url = new URL(`${scheme}://${this.registry}/v2/${this.repository}/${kind}/${reference}`);
    let response = await this.fetch(url, accept);
    if (response.status === 401 && !this.authorization) {
      const challenge = parseChallenge(header(response, "www-authenticate"));
      if (!challenge)
        throw new KeelsonError(
          "unauthenticated",
          `${this.registry} refused access without a challenge`,
        );
      this.authorization = await authorize(
        challenge,
        `repository:${this.repository}:pull`,
        this.options.credentials,
        this.http(),
      );
      response = await this.fetch(url, accept);
    }
    if (response.status === 200) return response;
    throw failure(response, `${this.registry}/${this.repository} ${kind} ${reference}`);
  }

  private fetch(url: URL, accept: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    if (this.authorization) headers.authorization = this.authorization;
    return httpGet(url, { ...this.http(), headers });
  }

  private http() {
    return {
      ca: this.options.ca,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      maxBytes: maxBlobBytes,
    };
  }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function failure(response: HttpResponse, what: string): KeelsonError {
  const detail = response.body.toString("utf8").slice(0, 200);
  switch (response.status) {
    case 401:
    case 403:
      return new KeelsonError(
        "permissionDenied",
        `registry denied ${what} (HTTP ${response.status})`,
      );
    case 404:
      return new KeelsonError("notFound", `registry has no ${what}`);
    case 429:
      return new KeelsonError("resourceExhausted", `registry rate-limited ${what}`);
    default:
      return new KeelsonError(
        "unavailable",
        `registry failed ${what}: HTTP ${response.status} ${detail}`,
      );
  }
}
