import { KeelsonError } from "../../errors";

/** Where Keelson's kubelet images live unless the configuration names another repository. */
export const kubeletRepository = "ghcr.io/keelson/kubelet";

const versionPattern = /^v?\d+\.\d+\.\d+$/;

/** "1.32.1" or "v1.32.1" as the kubelet spells it: "v1.32.1". Refuses anything else. */
export function kubernetesVersion(text: string): string {
  if (!versionPattern.test(text))
    throw new KeelsonError(
      "invalidArgument",
      `kubernetes version "${text}" is not a version like v1.32.1`,
    );
  return `v${text.replace(/^v/, "")}`;
}

/** The kubelet image for a version: the given image's repository (or Keelson's) with the version as its tag. */
export function kubeletImage(version: string, current?: string): string {
  return `${current ? repositoryOf(current) : kubeletRepository}:${kubernetesVersion(version)}`;
}

/** The version a kubelet image runs, from its tag ("" when its tag is not a version). */
export function kubeletVersionOf(image: string): string {
  const tag = image.slice(repositoryOf(image).length + 1).replace(/@.*$/, "");
  return versionPattern.test(tag) ? kubernetesVersion(tag) : "";
}

/** An image reference without its tag and digest. */
function repositoryOf(image: string): string {
  const name = image.replace(/@.*$/, "");
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(0, colon) : name;
}
