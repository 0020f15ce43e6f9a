import { type CryptoKey, subtle } from "./crypto";

/** A certificate and its private key, both PEM-encoded. */
export interface PemPair {
  cert: string;
  key: string;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey("pkcs8", key));
  return wrapPem("PRIVATE KEY", der);
}

export async function privateKeyFromPem(pem: string): Promise<CryptoKey> {
  const der = unwrapPem(pem);
  return subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
}

function wrapPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function unwrapPem(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END)[^-]+-----/g, "").replace(/\s+/g, "");
  return Buffer.from(body, "base64");
}
