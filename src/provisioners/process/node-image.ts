import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BootControl, FileVariables, LoaderDirectory, nodeBootLayout } from "../../machinery/boot";
import {
  generateSigningKey,
  installToDirectory,
  publicKeyOf,
  readBundleHeader,
} from "../../machinery/bundle";
import { keelsonVersion } from "../../machinery/version";
import { buildProcessImage } from "../image/process-image";

/** A cluster's installed image: the signed bundle every node's slot A is written from. */
export interface NodeImage {
  bundle: string;
  version: string;
  /** The public key the image trusts (the cluster's signing key). */
  publicKey: string;
}

/**
 * A new cluster's signing key and the image its nodes are installed with,
 * built from the working tree: the key stays beside the cluster (upgrades
 * are signed with it), the image trusts it.
 */
export async function clusterImage(dir: string): Promise<NodeImage> {
  const key = generateSigningKey();
  await writeFile(join(dir, "signing-key.pem"), key.privateKey, { mode: 0o600 });
  await writeFile(join(dir, "signing-key.pub"), key.publicKey);
  const bundle = join(dir, `keelson-${keelsonVersion}.bundle`);
  await buildProcessImage({ version: keelsonVersion, signingKey: key.privateKey, output: bundle });
  return { bundle, version: keelsonVersion, publicKey: key.publicKey };
}

/** What an installer does on metal: the image into slot A, and one committed boot entry for it. */
export async function installNodeImage(stateDir: string, image: NodeImage): Promise<void> {
  const layout = nodeBootLayout(stateDir);
  const header = await readBundleHeader(image.bundle, [publicKeyOf(image.publicKey)]);
  await installToDirectory(image.bundle, header, join(layout.slots, "a"));
  new BootControl(new LoaderDirectory(layout.esp), new FileVariables(layout.efivars)).provision(
    "a",
    image.version,
  );
}
