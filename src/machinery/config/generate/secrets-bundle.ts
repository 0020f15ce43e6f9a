import * as z from "zod/mini";
import {
  apiVersion,
  pattern,
  pemCertificate,
  pemPrivateKey,
  secret,
  strictObject,
  token,
} from "../schema/primitives";

const keyPair = () => strictObject({ crt: pemCertificate(), key: pemPrivateKey() });

/**
 * Everything secret a cluster is made from, in one file kept out of version
 * control: configs can be regenerated from it and patches, exactly.
 */
export const secretsBundleSchema = strictObject({
  apiVersion: z.literal(apiVersion, { error: `expected ${apiVersion}` }),
  kind: z.literal("SecretsBundle"),
  secrets: strictObject({
    /** Machines present it to control planes to join and receive certificates. */
    machineToken: token(),
    /** kubelet TLS bootstrap. */
    bootstrapToken: token(),
    secretboxEncryptionSecret: secret(pattern(/^[A-Za-z0-9+/]{43}=$/, "32 bytes of base64")),
  }),
  certs: strictObject({ os: keyPair(), etcd: keyPair(), k8s: keyPair() }),
});

export type SecretsBundle = z.infer<typeof secretsBundleSchema>;
