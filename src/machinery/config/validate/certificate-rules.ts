import { createPrivateKey, X509Certificate } from "node:crypto";
import type { PathSegment } from "../schema/config-path";
import type { ConfigSet } from "./config-set";
import { type Problem, problem } from "./problem";

const day = 24 * 60 * 60 * 1000;
/** Warn this long before a CA expires: rotating a CA takes a maintenance window. */
const expiryWarning = 30 * day;

type Ca = { crt: string; key?: string | undefined };

/** Every CA must parse, be a CA, be within its validity, and match its key. */
export function certificateProblems({ machine, cluster }: ConfigSet, now: Date): Problem[] {
  const cas: { document: number; path: PathSegment[]; ca: Ca | undefined }[] = [];
  if (machine) {
    cas.push({
      document: machine.document,
      path: ["machine", "ca"],
      ca: machine.config.machine.ca,
    });
    cas.push({ document: machine.document, path: ["etcd", "ca"], ca: machine.config.etcd?.ca });
  }
  if (cluster)
    cas.push({
      document: cluster.document,
      path: ["cluster", "ca"],
      ca: cluster.config.cluster.ca,
    });
  return cas.flatMap(({ document, path, ca }) => (ca ? caProblems(ca, path, document, now) : []));
}

function caProblems(ca: Ca, path: PathSegment[], document: number, now: Date): Problem[] {
  const at = (field: string, message: string, severity: "error" | "warning" = "error") =>
    problem([...path, field], message, { document, severity });
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(ca.crt);
  } catch (error) {
    return [at("crt", `not a valid certificate: ${(error as Error).message}`)];
  }
  const problems: Problem[] = [];
  if (!cert.ca) problems.push(at("crt", "not a CA certificate"));
  const validTo = new Date(cert.validTo);
  if (validTo < now) problems.push(at("crt", `expired on ${validTo.toISOString()}`));
  else if (validTo.getTime() - now.getTime() < expiryWarning)
    problems.push(at("crt", `expires on ${validTo.toISOString()}; rotate it`, "warning"));
  if (ca.key) problems.push(...keyProblems(cert, ca.key, at));
  return problems;
}

function keyProblems(
  cert: X509Certificate,
  pem: string,
  at: (field: string, message: string) => Problem,
): Problem[] {
  try {
    return cert.checkPrivateKey(createPrivateKey(pem)) ? [] : [at("key", "does not match crt")];
  } catch (error) {
    return [at("key", `not a valid private key: ${(error as Error).message}`)];
  }
}
