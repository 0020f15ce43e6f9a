import type { KeyObject } from "node:crypto";
import {
  type BootControl,
  type BootJournal,
  compareVersions,
  other,
  type SlotName,
} from "../../machinery/boot";
import {
  type BundleHeader,
  payloadBytes,
  publicKeyOf,
  readBundleHeader,
  streamPayload,
} from "../../machinery/bundle";
import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { Lifecycle } from "../lifecycle";
import { type BundleSourceRequest, localBundle } from "./bundle-source";
import type { KubeletChange } from "./kubelet-change";
import type { SlotStore } from "./slot-store";

export interface Progress {
  phase: "fetch" | "verify" | "write" | "check" | "arm" | "reboot" | "staged";
  bytesDone: number;
  bytesTotal: number;
  message: string;
  version?: string;
  slot?: SlotName;
}

export interface UpgradeRequest {
  source: BundleSourceRequest;
  stage: boolean;
  tries: number;
  forceDowngrade: boolean;
  actor: string;
  /** The kubelet version to land with the same boot (like v1.32.1); empty keeps the kubelet. */
  kubernetesVersion?: string;
  /** Whether the caller may force a downgrade (os:admin). */
  admin: boolean;
}

export interface UpgradeDeps {
  boot: BootControl;
  slots: SlotStore;
  journal: BootJournal;
  events: EventLog;
  lifecycle: Lifecycle;
  /** PEM keys trusted besides the running image's: the configuration's. */
  configuredKeys: () => readonly string[];
  /** The configuration change an upgrade may carry with it. */
  kubelet: KubeletChange;
  runningVersion: string;
  arch: string;
  target: "process" | "metal";
  spoolDir: string;
  /** How long a download may send nothing before it is given up (default 30 s). */
  fetchStallMs?: number;
}

/**
 * The node's upgrade: fetch → verify → write the inactive slot → check it
 * reads back → arm it with N tries → reboot (unless staged). Everything
 * that can refuse a bundle (signature, key, truncation, architecture,
 * target, downgrade, size, digests) is decided before the first byte is
 * written; one upgrade at a time.
 */
export class Upgrades {
  private inFlight: { what: string; since: Date } | undefined;

  constructor(private readonly deps: UpgradeDeps) {}

  run(request: UpgradeRequest, report: (p: Progress) => void, signal: AbortSignal): Promise<void> {
    if (this.inFlight)
      return Promise.reject(
        new KeelsonError(
          "aborted",
          `an upgrade ${this.inFlight.what} is already in flight (since ${this.inFlight.since.toISOString()})`,
          "wait for it: keelctl slots shows where it stands",
        ),
      );
    const what = request.source.kind === "url" ? `from ${request.source.url}` : "from a bundle";
    this.inFlight = { what, since: new Date() };
    return this.upgrade(request, report, signal).finally(() => {
      this.inFlight = undefined;
    });
  }

  private async upgrade(
    request: UpgradeRequest,
    report: (p: Progress) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { boot, slots, events } = this.deps;
    const state = boot.state();
    if (state.trialFile)
      throw new KeelsonError(
        "failedPrecondition",
        "this boot is on trial: the other slot holds the only committed image, which an upgrade would overwrite",
        "wait until this boot commits (keelctl slots), then upgrade",
      );
    // A metal slot is a partition: writing the one this boot runs from would pull its root away.
    if (!state.running && this.deps.target === "metal")
      throw new KeelsonError(
        "failedPrecondition",
        "cannot tell which slot this boot runs from (the firmware's LoaderEntrySelected is unreadable)",
        "check that efivarfs is mounted (keelctl dmesg), then upgrade",
      );
    const running = state.running ?? "a";
    const slot = other(running);
    report({ phase: "fetch", bytesDone: 0, bytesTotal: 0, message: "fetching the bundle" });
    const bundle = await localBundle(
      request.source,
      this.deps.spoolDir,
      (done, total) =>
        report({
          phase: "fetch",
          bytesDone: done,
          bytesTotal: total,
          message: "fetching the bundle",
        }),
      signal,
      this.deps.fetchStallMs,
    );
    try {
      const header = await readBundleHeader(bundle.path, this.trusted(running));
      const { manifest } = header;
      this.inFlight = { what: `to ${manifest.version}`, since: this.inFlight?.since ?? new Date() };
      this.check(header, request);
      if (request.kubernetesVersion) await this.deps.kubelet.check(request.kubernetesVersion);
      const total = payloadBytes(manifest);
      const at = (phase: Progress["phase"], message: string) => (done: number) =>
        report({
          phase,
          bytesDone: done,
          bytesTotal: total,
          message,
          version: manifest.version,
          slot,
        });
      await streamPayload(
        bundle.path,
        header,
        { start() {}, chunk() {}, end() {} },
        at("verify", "checking every component's digest"),
      );
      signal.throwIfAborted();
      boot.invalidate(slot);
      this.deps.kubelet.drop(slot.toUpperCase(), `slot ${slot.toUpperCase()} is being rewritten`);
      await slots
        .install(bundle.path, header, slot, at("write", `writing slot ${slot.toUpperCase()}`))
        .catch((error: unknown) => {
          throw writeFailure(error, slot);
        });
      await slots.verify(slot, manifest, at("check", `reading slot ${slot.toUpperCase()} back`));
      signal.throwIfAborted();
      const entry = boot.arm(slot, manifest.version, request.tries, slots.entryOptions(slot));
      this.deps.journal.append({ event: "arm", entry, slot, version: manifest.version });
      events.record({
        kind: "upgrade",
        subject: "arm",
        actor: request.actor,
        message: `slot ${slot.toUpperCase()} armed with ${manifest.version} (${request.tries} tries); the ${this.deps.runningVersion} in slot ${running.toUpperCase()} stays as the fallback`,
      });
      at("arm", `slot ${slot.toUpperCase()} armed with ${request.tries} tries`)(total);
      const kubelet = request.kubernetesVersion;
      if (kubelet) await this.stageKubelet(kubelet, slot, request.actor);
      const what = `${manifest.version}${kubelet ? ` with kubelet ${kubelet}` : ""}`;
      if (request.stage) {
        at("staged", `staged: the next reboot boots ${what}`)(total);
        return;
      }
      at("reboot", `rebooting into ${what}`)(total);
      this.deps.lifecycle.request({
        action: "reboot",
        actor: request.actor,
        reason: `upgrade to ${manifest.version}`,
      });
    } finally {
      await bundle.cleanup();
    }
  }

  /** The kubelet change goes with the armed slot; if it cannot, the slot is disarmed and the node stays as it was. */
  private async stageKubelet(version: string, slot: SlotName, actor: string): Promise<void> {
    try {
      await this.deps.kubelet.stage(version, slot.toUpperCase(), actor);
    } catch (error) {
      this.deps.boot.disarm();
      throw error;
    }
  }

  /** Refusals that depend on what the bundle is, in the order an operator would want to hear them. */
  private check(header: BundleHeader, request: UpgradeRequest): void {
    const { manifest } = header;
    const running = this.deps.runningVersion;
    if (manifest.arch !== this.deps.arch)
      throw new KeelsonError(
        "failedPrecondition",
        `the bundle is for ${manifest.arch}; this node is ${this.deps.arch}`,
      );
    if (manifest.target !== this.deps.target)
      throw new KeelsonError(
        "failedPrecondition",
        `the bundle is a ${manifest.target} image; this node boots ${this.deps.target} images`,
      );
    if (compareVersions(manifest.version, running) < 0) {
      if (!request.forceDowngrade)
        throw new KeelsonError(
          "failedPrecondition",
          `${manifest.version} is older than the running ${running}: a downgrade`,
          "an admin may force it with --force-downgrade",
        );
      if (!request.admin)
        throw new KeelsonError("permissionDenied", "forcing a downgrade needs role os:admin");
    }
    if (manifest.minUpgradeFrom && compareVersions(running, manifest.minUpgradeFrom) < 0)
      throw new KeelsonError(
        "failedPrecondition",
        `${manifest.version} upgrades only from ${manifest.minUpgradeFrom} or later; this node runs ${running}`,
        "upgrade to an intermediate version first",
      );
    const bytes = payloadBytes(manifest);
    if (bytes > this.deps.slots.capacityBytes)
      throw new KeelsonError(
        "resourceExhausted",
        `the bundle needs ${bytes} bytes; a slot holds ${this.deps.slots.capacityBytes}`,
      );
  }

  /** The keys the running image ships with, plus the configuration's. */
  private trusted(running: SlotName): KeyObject[] {
    const pems = [...this.deps.slots.trustedKeys(running), ...this.deps.configuredKeys()];
    return pems.flatMap((pem) => {
      try {
        return [publicKeyOf(pem)];
      } catch {
        return [];
      }
    });
  }
}

/** A failed slot write, said plainly: the disk filling up is the one an operator can act on. */
function writeFailure(error: unknown, slot: SlotName): KeelsonError {
  const e = KeelsonError.from(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOSPC" || code === "EDQUOT")
    return new KeelsonError(
      "resourceExhausted",
      `no space left writing slot ${slot.toUpperCase()}: ${e.message}`,
      "the slot stays unarmed and the node keeps its image; free space or use a smaller bundle",
    );
  return new KeelsonError(
    e.code,
    `writing slot ${slot.toUpperCase()} failed: ${e.message}`,
    "the slot stays unarmed and the node keeps its image",
  );
}
