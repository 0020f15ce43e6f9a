import { randomUUID } from "node:crypto";
import type { CallContext, Containerd } from "./containerd";

/** A lease outlives a crashed agent by at most this long; then containerd collects its content. */
const leaseTtlMs = 60 * 60 * 1000;

/**
 * Runs `work` under a fresh containerd lease, so content and snapshots it
 * creates survive garbage collection until they are referenced by an image
 * (or the work fails). The lease is deleted afterwards either way.
 */
export async function withLease<T>(
  cd: Containerd,
  context: CallContext,
  work: (context: CallContext) => Promise<T>,
): Promise<T> {
  const id = `keelson-${randomUUID()}`;
  const expire = new Date(Date.now() + leaseTtlMs).toISOString();
  await cd.call(
    "create lease",
    (s, o) => s.leases.create({ id, labels: { "containerd.io/gc.expire": expire } }, o),
    context,
  );
  try {
    return await work({ ...context, lease: id });
  } finally {
    await cd
      .call("delete lease", (s, o) => s.leases.delete({ id }, o), context)
      .catch(() => {
        // The expiry label collects it later; the work's own outcome matters more.
      });
  }
}
