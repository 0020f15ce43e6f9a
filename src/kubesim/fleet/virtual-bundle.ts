import { createHash, type KeyObject, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BundleManifest } from "../../machinery/bundle";
import { readBundleHeader, streamPayload } from "../../machinery/bundle";
import { KeelsonError } from "../../machinery/errors";

export interface FetchedBundle {
  manifest: BundleManifest;
  bytes: number;
}

/**
 * What a virtual node does with an Upgrade's URL, as the agent does it:
 * download the bundle, check the digest the caller pinned, then the
 * signature (by one of `trusted`) and every component's digest. Nothing is
 * kept but the manifest: a virtual slot holds a version, not files. Bundles
 * here are small, so the download is held in memory and spooled once.
 */
export async function fetchBundle(
  url: string,
  sha256: string,
  trusted: readonly KeyObject[],
  spoolDir: string,
  signal: AbortSignal,
): Promise<FetchedBundle> {
  if (!/^https?:\/\//.test(url))
    throw new KeelsonError("invalidArgument", `unsupported URL ${url}: only http and https`);
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new KeelsonError(
      "invalidArgument",
      "a bundle fetched from a URL needs its sha256 pinned (64 hex digits)",
    );
  const response = await fetch(url, { signal }).catch((error: unknown) => {
    throw new KeelsonError("unavailable", `cannot fetch ${url}: ${(error as Error).message}`);
  });
  if (!response.ok)
    throw new KeelsonError("unavailable", `cannot fetch ${url}: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  const digest = createHash("sha256").update(body).digest("hex");
  if (digest !== sha256)
    throw new KeelsonError(
      "invalidArgument",
      `the bundle at ${url} has sha256 ${digest}, not the pinned ${sha256}`,
    );
  // The bundle readers take files: the download is spooled as the agent spools it.
  const path = join(spoolDir, `${randomUUID()}.bundle`);
  await writeFile(path, body);
  try {
    const header = await readBundleHeader(path, trusted);
    await streamPayload(path, header, { start() {}, chunk() {}, end() {} });
    return { manifest: header.manifest, bytes: body.length };
  } finally {
    await rm(path, { force: true });
  }
}
