import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { apiVersion } from "../schema/primitives";
import { checkSchema } from "../validate/check-schema";
import { assertNoErrors, type Problem, problem } from "../validate/problem";
import { locateProblems } from "../yaml/locate-problems";
import { parseYaml } from "../yaml/parse-yaml";
import { type SecretsBundle, secretsBundleSchema } from "./secrets-bundle";
import { generateToken } from "./token";

/** Fresh CAs (ECDSA P-256) and tokens from the system's cryptographic randomness. */
export async function generateSecrets(): Promise<SecretsBundle> {
  // Loaded on use: X.509 issuance is heavy, and validating a config never needs it.
  const { createCa } = await import("../../pki");
  const [os, etcd, k8s] = await Promise.all([
    createCa("keelson-os"),
    createCa("etcd-ca"),
    createCa("kubernetes"),
  ]);
  return {
    apiVersion,
    kind: "SecretsBundle",
    secrets: {
      machineToken: generateToken(),
      bootstrapToken: generateToken(),
      secretboxEncryptionSecret: randomBytes(32).toString("base64"),
    },
    certs: { os: pair(os), etcd: pair(etcd), k8s: pair(k8s) },
  };
}

function pair(ca: { cert: string; key: string }) {
  return { crt: ca.cert, key: ca.key };
}

export function stringifySecrets(bundle: SecretsBundle): string {
  return stringify(bundle, { lineWidth: 0, blockQuote: "literal" });
}

/** Reads a secrets bundle; every problem is reported at once, as for configs. */
export function parseSecrets(text: string, file?: string): SecretsBundle {
  const yaml = parseYaml(text);
  const [first, ...rest] = yaml.documents;
  const problems: Problem[] = [...yaml.problems];
  if (rest.length > 0) problems.push(problem([], "expected a single document"));
  if (!first) problems.push(problem([], "expected a SecretsBundle document"));
  const checked = first && checkSchema(secretsBundleSchema, first.value, first.index);
  problems.push(...(checked?.problems ?? []));
  assertNoErrors(locateProblems(problems, yaml), file ?? "the secrets bundle", file);
  return checked?.data as SecretsBundle;
}
