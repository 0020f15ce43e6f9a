import { isIP } from "node:net";
import { algorithm, type CryptoKey, subtle, x509 } from "./crypto";
import { type PemPair, privateKeyFromPem, privateKeyToPem } from "./pem";

export type CertUsage = "ca" | "server" | "client" | "peer";

export interface CertRequest {
  commonName: string;
  /** Subject Organization values; for client certificates these are the roles. */
  organizations?: readonly string[];
  /** DNS names and IP addresses the certificate is valid for. */
  hosts?: readonly string[];
  usage: CertUsage;
  /** Validity; defaults to 10 years for a CA and 1 year otherwise. */
  notBefore?: Date;
  notAfter?: Date;
}

const day = 24 * 60 * 60 * 1000;

/** Creates a self-signed certificate authority. */
export async function createCa(commonName: string, validDays = 3650): Promise<PemPair> {
  return issue({ commonName, usage: "ca", notAfter: new Date(Date.now() + validDays * day) });
}

/** Issues a certificate signed by `ca` (or self-signed when `ca` is omitted and usage is "ca"). */
export async function issue(request: CertRequest, ca?: PemPair): Promise<PemPair> {
  const keys = await subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const notBefore = request.notBefore ?? new Date(Date.now() - 60_000);
  const defaultDays = request.usage === "ca" ? 3650 : 365;
  const notAfter = request.notAfter ?? new Date(Date.now() + defaultDays * day);
  const name = subjectName(request);
  const extensions = await extensionsFor(request, keys.publicKey, ca);
  const cert = ca
    ? await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject: name,
        issuer: new x509.X509Certificate(ca.cert).subjectName,
        notBefore,
        notAfter,
        signingAlgorithm: algorithm,
        publicKey: keys.publicKey,
        signingKey: await privateKeyFromPem(ca.key),
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serialNumber(),
        name,
        notBefore,
        notAfter,
        signingAlgorithm: algorithm,
        keys,
        extensions,
      });
  return { cert: cert.toString("pem"), key: await privateKeyToPem(keys.privateKey) };
}

function subjectName(request: CertRequest): x509.JsonName {
  const name: x509.JsonName = [{ CN: [request.commonName] }];
  for (const org of request.organizations ?? []) name.push({ O: [org] });
  return name;
}

async function extensionsFor(
  request: CertRequest,
  publicKey: CryptoKey,
  ca: PemPair | undefined,
): Promise<x509.Extension[]> {
  const ku = x509.KeyUsageFlags;
  const list: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(publicKey)];
  if (ca)
    list.push(await x509.AuthorityKeyIdentifierExtension.create(new x509.X509Certificate(ca.cert)));
  if (request.usage === "ca") {
    list.push(new x509.BasicConstraintsExtension(true, undefined, true));
    list.push(new x509.KeyUsagesExtension(ku.keyCertSign | ku.cRLSign | ku.digitalSignature, true));
    return list;
  }
  list.push(new x509.BasicConstraintsExtension(false, undefined, true));
  list.push(new x509.KeyUsagesExtension(ku.digitalSignature | ku.keyEncipherment, true));
  list.push(new x509.ExtendedKeyUsageExtension(extendedUsages(request.usage), false));
  if (request.hosts?.length) {
    list.push(new x509.SubjectAlternativeNameExtension(request.hosts.map(generalName), false));
  }
  return list;
}

function extendedUsages(usage: CertUsage): x509.ExtendedKeyUsage[] {
  const eku = x509.ExtendedKeyUsage;
  if (usage === "server") return [eku.serverAuth];
  if (usage === "client") return [eku.clientAuth];
  return [eku.serverAuth, eku.clientAuth];
}

function generalName(host: string): x509.JsonGeneralName {
  return isIP(host) ? { type: "ip", value: host } : { type: "dns", value: host };
}

function serialNumber(): string {
  // Positive 128-bit serial: clear the top bit so DER does not read it as negative.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
