import type { OciImage } from "../../../machinery/oci";
import type { ServiceSpec } from "../../supervisor";
import type { Containerd } from "../containerd/containerd";
import { systemNamespace } from "../containerd/namespaces";
import type { ContainerdService } from "../daemon/containerd-service";
import { findImage, storeImage } from "../images";
import type { ProcessSpec } from "../runtime";
import { ContainerRunner } from "./container-runner";

export interface ContainerServiceOptions extends ProcessSpec {
  id: string;
  /** The OS's own image, built with the image builder: imported on start when missing or changed. */
  image: OciImage;
  containerd: ContainerdService;
  restart?: ServiceSpec["restart"];
  dependsOn?: readonly string[];
  stopGraceMs?: number;
}

/**
 * An OS service that runs as a container in the `system` namespace from an
 * image the OS ships (no registry), supervised like any other service and
 * started once containerd is healthy.
 */
export function containerService(options: ContainerServiceOptions): ServiceSpec {
  const { containerd, image } = options;
  return {
    id: options.id,
    dependsOn: [containerd.spec.id, ...(options.dependsOn ?? [])],
    restart: options.restart ?? "forever",
    stopGraceMs: options.stopGraceMs ?? 10_000,
    runner: () =>
      new ContainerRunner({
        ...options,
        client: containerd.client,
        image: image.name,
        logsDir: containerd.paths.logs,
        namespace: systemNamespace,
        ensureImage: (client, namespace) => ensureImage(client, namespace, image),
      }),
  };
}

/** Imports the image unless containerd already has exactly this one (same manifest digest). */
export async function ensureImage(
  cd: Containerd,
  namespace: string,
  image: OciImage,
): Promise<void> {
  const stored = await findImage(cd, namespace, image.name);
  if (stored?.digest !== image.manifest.digest) await storeImage(cd, namespace, image);
}
