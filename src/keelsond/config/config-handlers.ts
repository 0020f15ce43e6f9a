import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  ApplyMode as Wire,
  type ApplyMode as WireMode,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { ConfigDocument } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import type { AgentContext, Handlers } from "../context";
import { actorOf, peerIdentityKey } from "../server/peer-identity";
import type { ApplyMode, ApplyResult } from "./apply-request";
import type { ConfigManager } from "./config-manager";

const maxTryTimeoutSeconds = 24 * 3600;

export function configHandlers(ctx: AgentContext): Handlers {
  return {
    ...applyHandler(ctx.config),
    confirmConfiguration: (_req, call) => ({ revision: ctx.config.confirm(actorOf(call)) }),
    async getConfiguration(req, call) {
      const stored = ctx.config.get(req.revision);
      // Readers see the configuration, never its keys and tokens.
      const admin = call.values.get(peerIdentityKey)?.organizations.includes("os:admin") ?? false;
      const { redactSecrets, stringifyConfig } = await import("../../machinery/config");
      const data = admin
        ? stored.yaml
        : stringifyConfig(redactSecrets(stored.documents as ConfigDocument[]));
      return { data, revision: stored.revision, redacted: !admin, info: revisionInfo(stored) };
    },
    configurationHistory() {
      const { revisions, pointer } = ctx.config.history();
      return {
        revisions: revisions.map(revisionInfo),
        committed: pointer?.committed ?? 0,
        staged: pointer?.staged ?? 0,
        trying: pointer?.trying?.revision ?? 0,
        tryDeadline: pointer?.trying
          ? timestampFromDate(new Date(pointer.trying.deadline))
          : undefined,
      };
    },
    async rollbackConfiguration(req, call) {
      const mode = modeOf(req.mode);
      const result = await ctx.config.rollback(req.revision, {
        mode,
        dryRun: req.dryRun,
        tryTimeoutMs: 60_000,
        author: actorOf(call),
      });
      return { result: toWire(result) };
    },
  };
}

/** ApplyConfiguration alone: maintenance mode serves it too, with its own author. */
export function applyHandler(config: ConfigManager, author?: string): Handlers {
  return {
    async applyConfiguration(req, call) {
      if (req.tryTimeoutSeconds > maxTryTimeoutSeconds) {
        throw new KeelsonError(
          "invalidArgument",
          `try timeout ${req.tryTimeoutSeconds} s is over the maximum of ${maxTryTimeoutSeconds} s`,
        );
      }
      const result = await config.apply({
        yaml: req.data,
        mode: modeOf(req.mode),
        dryRun: req.dryRun,
        tryTimeoutMs: (req.tryTimeoutSeconds || 60) * 1000,
        expectedRevision: req.expectedRevision || undefined,
        author: author ?? actorOf(call),
      });
      return { result: toWire(result) };
    },
  };
}

function modeOf(mode: WireMode): ApplyMode {
  switch (mode) {
    case Wire.NO_REBOOT:
      return "no-reboot";
    case Wire.STAGED:
      return "staged";
    case Wire.TRY:
      return "try";
    case Wire.AUTO:
    case Wire.UNSPECIFIED:
      return "auto";
    default:
      throw new KeelsonError(
        "invalidArgument",
        `unknown apply mode ${mode}`,
        "use auto, no-reboot, staged or try",
      );
  }
}

function toWire(result: ApplyResult) {
  return {
    ...result,
    tryDeadline: result.tryDeadline ? timestampFromDate(result.tryDeadline) : undefined,
  };
}

function revisionInfo(r: {
  revision: number;
  time: string;
  author: string;
  digest: string;
  mode: string;
}) {
  return {
    revision: r.revision,
    time: timestampFromDate(new Date(r.time)),
    author: r.author,
    digest: r.digest,
    mode: r.mode,
  };
}
