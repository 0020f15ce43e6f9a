import type { ContainerdPaths } from "./containerd-paths";

export interface ContainerdConfigOptions {
  /** Keep the CRI plugin (what the kubelet talks to); off for nodes without Kubernetes. */
  cri?: boolean;
}

/**
 * containerd's config.toml (version 2, containerd 1.6) for one node: its own
 * root, state and sockets, so it shares nothing with another node's containerd
 * or with a containerd the machine itself runs. Debug and metrics listeners are
 * off: the agent is the only client.
 */
export function containerdConfig(paths: ContainerdPaths, options: ContainerdConfigOptions = {}) {
  const disabled = options.cri ? [] : ['"io.containerd.grpc.v1.cri"'];
  return [
    "version = 2",
    `root = ${toml(paths.root)}`,
    `state = ${toml(paths.state)}`,
    `disabled_plugins = [${disabled.join(", ")}]`,
    "",
    "[grpc]",
    `  address = ${toml(paths.socket)}`,
    "",
    "[ttrpc]",
    `  address = ${toml(`${paths.socket}.ttrpc`)}`,
    "",
    "[debug]",
    '  address = ""',
    "",
    "[metrics]",
    '  address = ""',
    "",
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${toml(`${paths.root}/opt`)}`,
    "",
  ].join("\n");
}

/** TOML basic string: JSON's escaping is a subset TOML accepts. */
function toml(value: string): string {
  return JSON.stringify(value);
}
