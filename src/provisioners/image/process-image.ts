import { createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { agentEntryPoint } from "../../machinery/boot";
import {
  type BundleManifest,
  type BundleSource,
  publicKeyOf,
  trustedKeysFile,
  writeBundle,
} from "../../machinery/bundle";
import { KeelsonError } from "../../machinery/errors";
import { hostArchitecture } from "../../machinery/platform/host-architecture";
import { distPath } from "../dist-path";
import { programFiles } from "./agent-files";
import { checkTestFault, faultyEntryPoint, realEntryPoint, type TestFault } from "./test-faults";

export interface ProcessImageSpec {
  version: string;
  /** PKCS#8 PEM of the ed25519 key that signs the bundle; unsigned without one (signed later elsewhere). */
  signingKey?: string;
  output: string;
  /** Public keys (PEM) the image trusts for its successors, besides its own signer. */
  trust?: readonly string[];
  minUpgradeFrom?: string;
  testFault?: TestFault;
  /** Fixed for reproducible bundles. */
  buildTime?: string;
}

/**
 * A process node's image as a signed bundle: the agent as built in dist/
 * (its entry point and every chunk it loads) and the keys it trusts. A slot
 * holding it is what the launcher boots.
 */
export async function buildProcessImage(spec: ProcessImageSpec): Promise<BundleManifest> {
  checkTestFault(spec.testFault, "process");
  const entry = distPath(agentEntryPoint);
  const dist = dirname(entry);
  const signer = spec.signingKey ? signerKeys(spec.signingKey) : undefined;
  const scratch = mkdtempSync(join(tmpdir(), "keelson-image-"));
  try {
    const trusted = join(scratch, trustedKeysFile);
    writeFileSync(trusted, [signer?.publicKey ?? "", ...(spec.trust ?? [])].join(""));
    const files: BundleSource[] = programFiles(entry).map((path) => ({
      path: path === agentEntryPoint && spec.testFault ? realEntryPoint : path,
      source: join(dist, path),
      mode: path === agentEntryPoint ? 0o755 : 0o644,
    }));
    if (spec.testFault) {
      const wrapper = join(scratch, agentEntryPoint);
      writeFileSync(wrapper, faultyEntryPoint(spec.testFault));
      files.push({ path: agentEntryPoint, source: wrapper, mode: 0o755 });
    }
    files.push({ path: trustedKeysFile, source: trusted });
    return await writeBundle(
      spec.output,
      {
        version: spec.version,
        arch: hostArchitecture(),
        target: "process",
        minUpgradeFrom: spec.minUpgradeFrom ?? "0.0.0",
        ...(spec.buildTime ? { buildTime: spec.buildTime } : {}),
      },
      files,
      signer,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function signerKeys(privateKey: string): { privateKey: string; publicKey: string } {
  try {
    const publicKey = createPublicKey(privateKey)
      .export({ type: "spki", format: "pem" })
      .toString();
    publicKeyOf(publicKey);
    return { privateKey, publicKey };
  } catch (error) {
    throw new KeelsonError(
      "invalidArgument",
      `the signing key is not an ed25519 private key: ${(error as Error).message}`,
      "make one with keelctl gen signing-key",
    );
  }
}

/** Entry points that fail as a real broken image would, each in its own way. */
/** Reads a signing key file, with an error that says what to do when it is missing. */
export function readSigningKey(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new KeelsonError(
      "notFound",
      `cannot read the signing key ${path}: ${(error as Error).message}`,
      "make one with keelctl gen signing-key",
    );
  }
}
