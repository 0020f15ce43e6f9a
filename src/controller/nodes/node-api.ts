import type { BootStateResponse } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import {
  type BundleLocation,
  type Credentials,
  connectMachine,
  type MachineConnection,
  upgradeSource,
} from "../../machinery/client";
import { defaultApiPort } from "../../machinery/clientconfig";

/** What the engine asks of a node, through its Keelson API only. */
export interface NodeApi {
  /**
   * Writes the bundle to the inactive slot and arms it (--stage), with the
   * kubelet version to land at the same boot if given; returns the version staged.
   */
  stage(address: string, bundle: BundleLocation, options: StageOptions): Promise<string>;
  reboot(address: string): Promise<void>;
  /** Disarms a staged upgrade; returns the version that will not boot now ("" if none). */
  cancel(address: string): Promise<string>;
  bootId(address: string): Promise<string>;
  bootState(address: string): Promise<BootStateResponse>;
  /** etcd's members as a control plane sees them, each with whether it answers now. */
  etcdMembers(address: string): Promise<{ name: string; healthy: boolean }[]>;
}

export interface StageOptions {
  tries: number;
  kubernetesVersion?: string;
  signal?: AbortSignal;
}

/** The Keelson API with one client certificate (os:upgrader is enough). */
export function keelsonNodeApi(credentials: Credentials, timeoutMs = 10_000): NodeApi {
  async function withClient<T>(
    address: string,
    fn: (c: MachineConnection["client"]) => Promise<T>,
    timeout: number | undefined = timeoutMs,
  ): Promise<T> {
    const connection = connectMachine(`${address}:${defaultApiPort}`, credentials, timeout);
    try {
      return await fn(connection.client);
    } finally {
      connection.close();
    }
  }
  return {
    stage: (address, bundle, { tries, kubernetesVersion = "", signal }) =>
      withClient(
        address,
        async (client) => {
          const source = await upgradeSource(client, bundle);
          let version = "";
          const request = {
            source,
            sha256: bundle.sha256 ?? "",
            stage: true,
            tries,
            forceDowngrade: false,
            kubernetesVersion,
          };
          for await (const p of client.upgrade(request, { ...(signal ? { signal } : {}) }))
            version = p.version || version;
          return version;
        },
        undefined,
      ),
    reboot: (address) =>
      withClient(address, async (client) => {
        await client.reboot({});
      }),
    cancel: (address) =>
      withClient(address, async (client) => (await client.cancelUpgrade({})).version),
    bootId: (address) => withClient(address, async (client) => (await client.health({})).bootId),
    bootState: (address) => withClient(address, (client) => client.bootState({})),
    etcdMembers: (address) =>
      withClient(address, async (client) =>
        (await client.etcdMembers({})).members.map((m) => ({ name: m.name, healthy: m.healthy })),
      ),
  };
}
