import { KeelsonError } from "../../../machinery/errors";
import { type HttpOptions, httpGet } from "./http-get";

export interface Credentials {
  username: string;
  password: string;
}

/** A parsed `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or `Basic`. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    params[match[1]!.toLowerCase()] = match[2]!;
  }
  return { scheme, params };
}

/**
 * The Authorization header that answers a registry's challenge (distribution
 * spec token auth): Basic sends the credentials; Bearer trades them (or
 * nothing, for public images) for a token at the realm.
 */
export async function authorize(
  challenge: Challenge,
  scope: string,
  credentials: Credentials | undefined,
  http: Omit<HttpOptions, "headers">,
): Promise<string> {
  const basic = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`
    : undefined;
  if (challenge.scheme === "basic") {
    if (!basic)
      throw new KeelsonError("unauthenticated", "the registry wants a username and password");
    return basic;
  }
  const realm = challenge.params.realm;
  if (challenge.scheme !== "bearer" || !realm) {
    throw new KeelsonError(
      "unimplemented",
      `unsupported registry auth scheme "${challenge.scheme}"`,
    );
  }
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  url.searchParams.set("scope", challenge.params.scope ?? scope);
  const response = await httpGet(url, { ...http, headers: basic ? { authorization: basic } : {} });
  if (response.status !== 200) {
    throw new KeelsonError(
      "unauthenticated",
      `the registry's token service refused access (HTTP ${response.status})`,
    );
  }
  const body = JSON.parse(response.body.toString()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token)
    throw new KeelsonError("unauthenticated", "the registry's token service returned no token");
  return `Bearer ${token}`;
}
