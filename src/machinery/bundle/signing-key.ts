import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { KeelsonError } from "../errors";

export interface SigningKeyPair {
  /** PKCS#8 PEM: keep it secret, it makes bundles nodes will install. */
  privateKey: string;
  /** SPKI PEM: what nodes trust. */
  publicKey: string;
}

/** A new ed25519 key pair for signing upgrade bundles. */
export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** A key's fingerprint: the first 16 hex digits of the sha256 of its public key (DER). */
export function fingerprint(publicKey: string | KeyObject): string {
  const key = typeof publicKey === "string" ? publicKeyOf(publicKey) : publicKey;
  const der = key.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function publicKeyOf(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new KeelsonError(
      "invalidArgument",
      `not an ed25519 public key: ${(error as Error).message}`,
      "make one with keelctl gen signing-key",
    );
  }
}

export function privateKeyOf(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new KeelsonError(
      "invalidArgument",
      `not an ed25519 private key: ${(error as Error).message}`,
      "make one with keelctl gen signing-key",
    );
  }
}

export function signBytes(data: Uint8Array, privateKey: KeyObject): Buffer {
  return sign(null, data, privateKey);
}

export function verifyBytes(
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  return verify(null, data, publicKey, signature);
}
