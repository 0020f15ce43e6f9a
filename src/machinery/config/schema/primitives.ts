import { isIP } from "node:net";
import * as z from "zod/mini";
import { secretRegistry } from "./secret-registry";

/**
 * Field types shared by every document. Each carries a message that says what
 * is expected, because zod/mini ships no messages of its own.
 */

export const apiVersion = "keelson.dev/v1alpha1";

export function text(what = "a non-empty string") {
  return z.string({ error: `expected ${what}` }).check(z.minLength(1, `expected ${what}`));
}

export function pattern(regex: RegExp, what: string) {
  return z.string({ error: `expected ${what}` }).check(z.regex(regex, `expected ${what}`));
}

export function intRange(min: number, max: number) {
  const message = `expected a whole number from ${min} to ${max}`;
  return z
    .number({ error: message })
    .check(z.int({ error: message }), z.minimum(min, message), z.maximum(max, message));
}

export function flag() {
  return z.boolean({ error: "expected true or false" });
}

export function list<T extends z.ZodMiniType>(item: T) {
  return z.array(item, { error: "expected a list" });
}

export function stringMap<K extends z.core.$ZodRecordKey, V extends z.ZodMiniType>(
  key: K,
  value: V,
) {
  return z.record(key, value, { error: "expected a map" });
}

export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: "expected a map" });
}

/** Marks a field secret once, here: redaction and the docs derive from the mark. */
export function secret<T extends z.ZodMiniType>(schema: T): T {
  secretRegistry.add(schema, { secret: true });
  return schema;
}

const dnsLabel = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

export const hostname = () =>
  pattern(
    new RegExp(`^(?=.{1,253}$)${dnsLabel}(\\.${dnsLabel})*$`),
    "a hostname (lowercase letters, digits, '-' and '.')",
  );

export const ipAddress = () =>
  text("an IP address").check(z.refine((v) => isIP(v) !== 0, "expected an IP address"));

export const hostOrIp = () =>
  text("a hostname or IP address").check(
    z.refine(
      (v) => isIP(v) !== 0 || new RegExp(`^${dnsLabel}(\\.${dnsLabel})*$`).test(v),
      "expected a hostname or IP address",
    ),
  );

export function isCidr(value: string): boolean {
  const [address, prefix, extra] = value.split("/");
  if (extra !== undefined || !address || !prefix || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

export const cidr = () =>
  text("an address with prefix length, e.g. 10.0.0.2/24").check(
    z.refine(isCidr, "expected an address with prefix length, e.g. 10.0.0.2/24"),
  );

export const pemCertificate = () =>
  pattern(
    /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/,
    "a PEM certificate",
  );

export const pemPrivateKey = () =>
  secret(
    pattern(
      /^-----BEGIN [A-Z ]*PRIVATE KEY-----\n[\s\S]+\n-----END [A-Z ]*PRIVATE KEY-----\n?$/,
      "a PEM private key",
    ),
  );

/** The kubeadm bootstrap token shape, reused for the machine join token. */
export const tokenPattern = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

export const token = () => secret(pattern(tokenPattern, "a token like abcdef.0123456789abcdef"));

export const imageRef = () =>
  pattern(/^[a-z0-9][a-z0-9._\-/:@]*$/, "a container image reference, e.g. ghcr.io/org/image:v1");

export const absolutePath = () => pattern(/^\/[^\0]*$/, "an absolute path");

/** A CA as a node carries it: always the certificate, the key only where it signs. */
export const certificateAuthority = () =>
  strictObject({ crt: pemCertificate(), key: z.optional(pemPrivateKey()) });
