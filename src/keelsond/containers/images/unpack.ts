import { randomUUID } from "node:crypto";
import { KeelsonError } from "../../../machinery/errors";
import type { ImageConfig, ImageManifest } from "../../../machinery/oci";
import type { CallContext, Containerd } from "../containerd/containerd";
import { found } from "../containerd/error-checks";
import { chainIds } from "./chain-id";
import { toContainerd } from "./containerd-descriptor";
import { snapshotter } from "./gc-labels";

/** Applying a layer writes it to disk; big layers take a while. */
const applyDeadlineMs = 300_000;

/**
 * Unpacks an image's layers into committed overlayfs snapshots named by
 * chain ID, skipping layers already unpacked, with containerd's diff
 * service doing the extraction. Returns the top chain ID (the parent of a
 * container's snapshot). Call it under a lease.
 */
export async function unpackLayers(
  cd: Containerd,
  context: CallContext,
  manifest: ImageManifest,
  config: ImageConfig,
): Promise<string> {
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length || diffIds.length === 0) {
    throw new KeelsonError(
      "invalidArgument",
      `image has ${manifest.layers.length} layers but its config lists ${diffIds.length} diff IDs`,
    );
  }
  const chain = chainIds(diffIds);
  for (const [i, chainId] of chain.entries()) {
    if (await snapshotExists(cd, context, chainId)) continue;
    await applyLayer(cd, context, {
      layer: manifest.layers[i]!,
      diffId: diffIds[i]!,
      chainId,
      parent: chain[i - 1] ?? "",
    });
  }
  return chain.at(-1)!;
}

interface LayerStep {
  layer: ImageManifest["layers"][number];
  diffId: string;
  chainId: string;
  parent: string;
}

async function applyLayer(cd: Containerd, context: CallContext, step: LayerStep): Promise<void> {
  const key = `extract-${randomUUID()}-${step.chainId}`;
  const prepared = await cd.call(
    `prepare snapshot for layer ${step.diffId}`,
    (s, o) => s.snapshots.prepare({ snapshotter, key, parent: step.parent }, o),
    context,
  );
  try {
    const applied = await cd.call(
      `apply layer ${step.layer.digest}`,
      (s, o) => s.diff.apply({ diff: toContainerd(step.layer), mounts: prepared.mounts }, o),
      { ...context, deadlineMs: applyDeadlineMs },
    );
    if (applied.applied?.digest !== step.diffId) {
      throw new KeelsonError(
        "invalidArgument",
        `layer ${step.layer.digest} unpacks to ${applied.applied?.digest}, not its diff ID ${step.diffId}`,
      );
    }
    await cd.call(
      `commit snapshot ${step.chainId}`,
      (s, o) => s.snapshots.commit({ snapshotter, name: step.chainId, key }, o),
      context,
    );
  } catch (error) {
    await cd
      .call("remove snapshot", (s, o) => s.snapshots.remove({ snapshotter, key }, o), context)
      .catch(() => {});
    if (error instanceof KeelsonError && error.code === "alreadyExists") return;
    throw error;
  }
}

export function snapshotExists(
  cd: Containerd,
  context: CallContext,
  key: string,
): Promise<boolean> {
  const stat = cd.call(
    `stat snapshot ${key}`,
    (s, o) => s.snapshots.stat({ snapshotter, key }, o),
    context,
  );
  return found(stat);
}
