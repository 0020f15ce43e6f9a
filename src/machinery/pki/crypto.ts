import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// @peculiar/x509 needs a WebCrypto provider; Node's is the real one.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export const subtle = webcrypto.subtle;

/** ECDSA P-256 with SHA-256: small keys, fast handshakes, accepted everywhere TLS 1.3 is. */
export const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export type CryptoKey = webcrypto.CryptoKey;
