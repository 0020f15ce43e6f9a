import { type KeyObject, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  MachineService,
  type UpgradeRequest,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { compareVersions } from "../../machinery/boot";
import { KeelsonError } from "../../machinery/errors";
import { serveVirtualApi, type VirtualApiServer } from "./virtual-api-server";
import { fetchBundle } from "./virtual-bundle";
import { VirtualSlots } from "./virtual-slots";

/** The node's kubelet, as the virtual fleet runs it: silent while the node is down. */
export interface VirtualKubelet {
  silence(): void;
  /** Starts it again; it registers the new boot and posts Ready. */
  restart(): Promise<void>;
}

export interface VirtualAgentOptions {
  address: string;
  /** The API port; the standard 50000 unless a test says otherwise. */
  port?: number;
  /** The cluster CA, and this node's server certificate (it must name `address`). */
  ca: string;
  cert: string;
  key: string;
  /** Keys whose bundles the node installs. */
  trustedKeys: readonly KeyObject[];
  /** The image it runs at first. */
  version: string;
  /** How long a reboot keeps the node down, from the Reboot call to its API answering again. */
  rebootMs: number;
  kubelet: VirtualKubelet;
  /** Where downloads are spooled while they are checked. */
  spoolDir: string;
  /** A reboot that could not finish (its address taken meanwhile, say): the node stays down. */
  onError?: (error: unknown) => void;
  /** Versions whose boots never pass the health gate here: each spends a try, then the node falls back. */
  failsBoot?: (version: string) => boolean;
}

export interface VirtualAgent {
  readonly slots: VirtualSlots;
  bootId(): string;
  /** How many times it rebooted. */
  boots(): number;
  /** The API stops answering for `ms` (the node itself keeps running). */
  pause(ms: number): Promise<void>;
  close(): Promise<void>;
}

const defaultTries = 3;

/**
 * A virtual node's agent: the part of the Keelson API the upgrade controller
 * uses (Upgrade with a URL, Reboot, CancelUpgrade, Health, BootState) on a
 * real socket, with the agent's semantics: a staged slot boots at the next
 * reboot, whatever its cause; every boot has a new boot ID; the boot commits
 * once the node is back and its kubelet Ready; the API is down, and the
 * kubelet silent, for the whole reboot.
 */
export async function startVirtualAgent(options: VirtualAgentOptions): Promise<VirtualAgent> {
  const slots = new VirtualSlots(options.version);
  let bootId = randomUUID();
  let bootTime = new Date();
  let boots = 0;
  let server: VirtualApiServer | undefined;
  let rebooting = false;
  let upgrading = false;
  let closed = false;

  const serve = async () => {
    server = await serveVirtualApi({
      address: options.address,
      port: options.port ?? 50000,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      routes,
    });
    if (closed) await server.close();
  };

  async function reboot(): Promise<void> {
    // The answer goes out first, as the agent's lifecycle answers before it stops.
    await sleep(0);
    await server?.close();
    server = undefined;
    options.kubelet.silence();
    await sleep(options.rebootMs);
    if (closed) return;
    slots.boot();
    boots++;
    bootId = randomUUID();
    bootTime = new Date();
    await serve();
    await options.kubelet.restart();
    // The health gate: the Node is Ready again in Kubernetes, unless this version never gets healthy here.
    if (slots.running.committed || !options.failsBoot?.(slots.running.version)) slots.commit();
    else await reboot();
  }

  const requestReboot = () => {
    if (rebooting) return;
    rebooting = true;
    reboot()
      .catch(options.onError ?? (() => {}))
      .finally(() => {
        rebooting = false;
      });
  };

  async function* upgrade(req: UpgradeRequest, signal: AbortSignal) {
    if (upgrading)
      throw new KeelsonError("aborted", "an upgrade is already in flight", "wait for it");
    if (req.source.case !== "url")
      throw new KeelsonError(
        "unimplemented",
        "a virtual node fetches bundles from a URL only",
        "give the plan an http(s) URL and its sha256",
      );
    if (req.kubernetesVersion)
      throw new KeelsonError(
        "unimplemented",
        "a virtual node does not change its kubelet version",
        "leave kubernetesVersion out of plans for the virtual fleet",
      );
    upgrading = true;
    try {
      yield { phase: "fetch", message: "fetching the bundle" };
      const { manifest, bytes } = await fetchBundle(
        req.source.value,
        req.sha256.toLowerCase(),
        options.trustedKeys,
        options.spoolDir,
        signal,
      );
      const version = manifest.version;
      if (compareVersions(version, slots.running.version) < 0 && !req.forceDowngrade)
        throw new KeelsonError(
          "failedPrecondition",
          `${version} is older than the running ${slots.running.version}: a downgrade`,
        );
      const total = BigInt(bytes);
      yield { phase: "verify", version, bytesDone: total, bytesTotal: total, percent: 100 };
      const slot = slots.stage(version, req.tries || defaultTries);
      const armed = `slot ${slot} armed with ${version}`;
      yield { phase: "arm", version, slot, message: armed };
      if (req.stage) {
        yield {
          phase: "staged",
          version,
          slot,
          message: `staged: the next reboot boots ${version}`,
        };
        return;
      }
      yield { phase: "reboot", version, slot, message: `rebooting into ${version}` };
      requestReboot();
    } finally {
      upgrading = false;
    }
  }

  function routes(router: ConnectRouter): void {
    router.service(MachineService, {
      health: () => ({
        ready: true,
        bootId,
        bootTime: timestampFromDate(bootTime),
        uptimeSeconds: BigInt(Math.floor((Date.now() - bootTime.getTime()) / 1000)),
        bootOnTrial: !slots.running.committed,
      }),
      bootState: () => ({
        slots: slots.all.map((s) => ({ ...s, bootable: s.version !== "" && s.triesLeft !== 0 })),
        runningSlot: slots.running.name,
        runningVersion: slots.running.version,
        runningCommitted: slots.running.committed,
        nextSlot: slots.next,
        ...(slots.lastFallback
          ? {
              lastFallback: {
                ...slots.lastFallback,
                time: timestampFromDate(slots.lastFallback.time),
                acknowledged: false,
              },
            }
          : {}),
      }),
      upgrade: (req, ctx) => upgrade(req, ctx.signal),
      cancelUpgrade: () => {
        const version = slots.disarm();
        return {
          version,
          message: version
            ? `disarmed the staged ${version}: the next boot keeps ${slots.running.version}`
            : "nothing staged: the next boot keeps the running image",
        };
      },
      reboot: () => {
        requestReboot();
        return { message: "rebooting" };
      },
    });
  }

  await serve();
  return {
    slots,
    bootId: () => bootId,
    boots: () => boots,
    pause: async (ms) => {
      await server?.close();
      server = undefined;
      await sleep(ms);
      if (!closed && !server && !rebooting) await serve();
    },
    close: async () => {
      closed = true;
      await server?.close();
    },
  };
}
