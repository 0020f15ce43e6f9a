import * as z from "zod/mini";

/** The bundle format this code writes and reads; a newer one is refused with a clear error. */
export const bundleFormat = 1;

const digest = z.string().check(z.regex(/^[0-9a-f]{64}$/, "expected a sha256 digest in hex"));
const relativePath = z
  .string()
  .check(
    z.regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w@%+=:,./-]+$/, "expected a relative path without .."),
  );

/** One file of the payload, in payload order. */
export const componentSchema = z.strictObject({
  path: relativePath,
  size: z.number().check(z.int(), z.nonnegative()),
  sha256: digest,
  mode: z._default(z.number().check(z.int(), z.nonnegative()), 0o644),
});

/**
 * What a bundle is and may do: the OS version it installs, for which
 * architecture and target, the oldest version it may upgrade, and every
 * payload file with its size and digest. The signature covers all of it,
 * so the payload is as trusted as the manifest.
 */
export const manifestSchema = z.strictObject({
  format: z.literal(bundleFormat),
  os: z.literal("keelson"),
  version: z
    .string()
    .check(z.regex(/^\d+\.\d+\.\d+([.+~^-][\w.+~^-]*)?$/, "expected a version like 1.2.3")),
  arch: z.string().check(z.minLength(1)),
  /** What boots it: a process node's agent build, or the metal image's kernel, initramfs and root. */
  target: z.enum(["process", "metal"]),
  buildTime: z.string().check(z.minLength(1)),
  minUpgradeFrom: z.string(),
  /** Fingerprint of the signing key (sha256 of its public key, 16 hex digits). */
  signer: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  components: z.array(componentSchema).check(z.minLength(1)),
});

export type BundleManifest = z.infer<typeof manifestSchema>;
export type BundleComponent = z.infer<typeof componentSchema>;

export function payloadBytes(manifest: Pick<BundleManifest, "components">): number {
  return manifest.components.reduce((sum, c) => sum + c.size, 0);
}
