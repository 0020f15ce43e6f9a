import type { Descriptor } from "../../../machinery/oci";
import type { Descriptor as ContainerdDescriptor } from "../containerd/gen/github.com/containerd/containerd/api/types/descriptor_pb";

export function toContainerd(descriptor: Descriptor) {
  return {
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: BigInt(descriptor.size),
    annotations: descriptor.annotations ?? {},
  };
}

export function fromContainerd(descriptor: ContainerdDescriptor | undefined): Descriptor {
  return {
    mediaType: descriptor?.mediaType ?? "",
    digest: descriptor?.digest ?? "",
    size: Number(descriptor?.size ?? 0n),
  };
}
