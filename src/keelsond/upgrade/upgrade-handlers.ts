import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { other, type SlotName } from "../../machinery/boot";
import { KeelsonError } from "../../machinery/errors";
import type { AgentContext, Handlers } from "../context";
import { actorOf, peerIdentityKey } from "../server/peer-identity";
import { AsyncQueue } from "../streams";
import type { BundleSourceRequest } from "./bundle-source";
import type { FallbackRecord } from "./fallback";
import type { Progress } from "./upgrade-runner";

const defaultTries = 3;
/** Progress within a phase is sent at most this often: a 500 MB write is not 4,000 messages. */
const progressEveryMs = 200;

export function upgradeHandlers(ctx: AgentContext): Handlers {
  const { upgrade } = ctx;
  return {
    async *upgrade(req, call) {
      const source = sourceOf(req.source, req.sha256, upgrade.uploads.file);
      const queue = new AsyncQueue<Progress>(call.signal);
      let failure: unknown;
      const report = throttled((p) => queue.push(p));
      const run = upgrade.upgrades
        .run(
          {
            source,
            stage: req.stage,
            tries: req.tries || defaultTries,
            forceDowngrade: req.forceDowngrade,
            ...(req.kubernetesVersion ? { kubernetesVersion: req.kubernetesVersion } : {}),
            actor: actorOf(call),
            admin: call.values.get(peerIdentityKey)?.organizations.includes("os:admin") ?? false,
          },
          report,
          call.signal,
        )
        .catch((error: unknown) => {
          failure = error;
        })
        .finally(() => {
          if (source.kind === "upload") void upgrade.uploads.remove(req.source.value as string);
          queue.close();
        });
      for await (const p of queue) yield progressMessage(p);
      await run;
      if (failure) throw failure;
    },

    async upgradeUpload(req) {
      return { receivedBytes: await upgrade.uploads.append(req.uploadId, req.offset, req.chunk) };
    },

    rollback(_req, call) {
      const { control } = upgrade.boot;
      const running = control.state().running ?? "a";
      const target = control.prefer(other(running));
      const message = `rolling back from ${ctx.image.version} (slot ${running.toUpperCase()}) to ${target.version} (slot ${target.slot.toUpperCase()})`;
      ctx.events.record({ kind: "upgrade", subject: "rollback", actor: actorOf(call), message });
      ctx.lifecycle.request({ action: "reboot", actor: actorOf(call), reason: message });
      return { message: `${ctx.identity.name} is ${message}: rebooting`, version: target.version };
    },

    cancelUpgrade(_req, call) {
      const { control } = upgrade.boot;
      const staged = other(control.state().running ?? "a");
      const version = control.disarm();
      if (!version)
        return { message: "nothing staged: the next boot keeps the running image", version: "" };
      ctx.config.dropStaged(staged.toUpperCase(), "the upgrade was cancelled");
      const message = `disarmed the staged ${version}: the next boot keeps ${ctx.image.version}`;
      ctx.events.record({ kind: "upgrade", subject: "cancel", actor: actorOf(call), message });
      return { message, version };
    },

    bootState() {
      const state = upgrade.boot.control.state();
      const last = upgrade.fallbacks.last();
      return {
        slots: state.slots.map((s) => ({
          name: s.slot.toUpperCase(),
          version: s.version,
          committed: s.committed,
          triesLeft: s.triesLeft ?? -1,
          triesDone: s.triesDone ?? 0,
          entry: s.file,
          bootable: s.bootable,
        })),
        runningSlot: ctx.image.slot,
        runningVersion: ctx.image.version,
        runningCommitted: state.trialFile === undefined,
        nextSlot: state.next?.toUpperCase() ?? "",
        ...(last ? { lastFallback: fallbackMessage(last) } : {}),
      };
    },

    acknowledgeFallback(_req, call) {
      return { message: upgrade.fallbacks.acknowledge(actorOf(call)) };
    },
  };
}

/** The proto Fallback of a record, for BootState, Version and Health. */
export function fallbackMessage(record: FallbackRecord) {
  return {
    time: timestampFromDate(new Date(record.time)),
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    why: record.why,
    acknowledged: record.acknowledged,
  };
}

type SourceField =
  | { case: "path"; value: string }
  | { case: "url"; value: string }
  | { case: "uploadId"; value: string }
  | { case: undefined; value?: undefined };

function sourceOf(
  source: SourceField,
  sha256: string,
  uploadFile: (id: string) => string,
): BundleSourceRequest {
  switch (source.case) {
    case "path":
      if (!source.value.startsWith("/"))
        throw new KeelsonError("invalidArgument", `bundle path "${source.value}" is not absolute`);
      return { kind: "path", path: source.value };
    case "url":
      return { kind: "url", url: source.value, sha256: sha256.toLowerCase() };
    case "uploadId":
      return { kind: "upload", file: uploadFile(source.value) };
    default:
      throw new KeelsonError(
        "invalidArgument",
        "an upgrade needs a bundle: path, url or upload_id",
        "keelctl upgrade --image FILE|URL",
      );
  }
}

/** Passes every phase change and the end of each phase, and byte counts at most every 200 ms. */
function throttled(send: (p: Progress) => void): (p: Progress) => void {
  let phase = "";
  let sentAt = 0;
  return (p) => {
    const now = Date.now();
    const phaseDone = p.bytesTotal > 0 && p.bytesDone >= p.bytesTotal;
    if (p.phase !== phase || phaseDone || now - sentAt >= progressEveryMs) {
      phase = p.phase;
      sentAt = now;
      send(p);
    }
  };
}

function progressMessage(p: Progress) {
  return {
    phase: p.phase,
    bytesDone: BigInt(p.bytesDone),
    bytesTotal: BigInt(p.bytesTotal),
    percent: p.bytesTotal > 0 ? Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100)) : 0,
    message: p.message,
    version: p.version ?? "",
    slot: (p.slot as SlotName | undefined)?.toUpperCase() ?? "",
  };
}
