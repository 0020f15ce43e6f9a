import type { OciImage } from "../../../machinery/oci";
import type { ServiceSpec } from "../../supervisor";
import type { Containerd } from "../containerd/containerd";
import { systemNamespace } from "../containerd/namespaces";
import type { ContainerdService } from "../daemon/containerd-service";
import { findImage, storeImage } from "../images";
import type { ProcessSpec } from "../runtime";
import { ContainerRunner } from "./container-runner";

/**
 * The OS's own image: its name, and how to build it with the image builder.
 * Built when the service starts and containerd lacks it or holds another
 * build, then dropped: its layers are megabytes the agent should not keep.
 */
export interface BuiltImage {
  name: string;
  build: () => OciImage;
}

export interface ContainerServiceOptions extends ProcessSpec {
  id: string;
  image: BuiltImage;
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
  // The manifest digest of this agent's build, once built: later starts find it stored without building again.
  let built: string | undefined;
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
        ensureImage: async (client, namespace) => {
          built = await ensureImage(client, namespace, image, built);
        },
      }),
  };
}

/**
 * Imports the image unless containerd already has exactly this build (same
 * manifest digest; `known`, when given, is that digest, and spares the
 * build). Resolves with the build's digest.
 */
export async function ensureImage(
  cd: Containerd,
  namespace: string,
  image: BuiltImage,
  known?: string,
): Promise<string> {
  const stored = await findImage(cd, namespace, image.name);
  if (known !== undefined && stored?.digest === known) return known;
  const built = image.build();
  if (stored?.digest !== built.manifest.digest) await storeImage(cd, namespace, built);
  return built.manifest.digest;
}
