import { setTimeout as delay } from "node:timers/promises";
import type { Client } from "@connectrpc/connect";
import { type Command, InvalidArgumentError } from "commander";
import {
  AcknowledgeFallbackResponseSchema,
  type BootStateResponse,
  BootStateResponseSchema,
  CancelUpgradeResponseSchema,
  type MachineService,
  type UpgradeRequest,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { upgradeOutcome, upgradeSource } from "../../machinery/client";
import type { Target } from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import { callNodes } from "../lib/call-nodes";
import { parseDuration } from "../lib/duration";
import type { GlobalOptions } from "../lib/global-options";
import { nodeBars } from "../lib/node-bars";
import { addUnaryCommand } from "../lib/node-command";
import { printResults } from "../lib/print-results";
import { openSession, type Session } from "../lib/session";
import { waitForReboot } from "../lib/wait-for-reboot";
import { warnFallback } from "../lib/warn-fallback";
import { addUpgradeClusterCommand } from "./upgrade-cluster";

type MachineClient = Client<typeof MachineService>;
type Bars = ReturnType<typeof nodeBars>;

interface UpgradeOptions {
  image: string;
  sha256?: string;
  onNode: boolean;
  stage: boolean;
  tries: number;
  wait: boolean;
  timeout: number;
  forceDowngrade: boolean;
  kubernetesVersion?: string;
}

/** What became of one node's upgrade. */
interface Outcome {
  outcome: "committed" | "fell back" | "staged" | "rebooting";
  version: string;
  slot: string;
  detail: string;
}

/** Node upgrades: a signed bundle into the inactive slot, health-gated, with automatic fallback. */
export function addUpgradeCommands(program: Command): void {
  const upgrade = program
    .command("upgrade")
    .description("upgrade the nodes' OS image: write the inactive slot, arm it, reboot into it")
    // Not a required option: commander would demand it of `upgrade ack` too.
    .option(
      "--image <bundle|url>",
      "a bundle file keelctl streams to each node, or an http(s) URL the nodes fetch",
    )
    .option("--sha256 <digest>", "the bundle's sha256, required with a URL")
    .option("--on-node", "the --image path is on the nodes, not here", false)
    .option(
      "--stage",
      "write and arm only: the next reboot, whatever its cause, boots the new image",
      false,
    )
    .option("--tries <n>", "boots the new image gets to pass its health gate", positiveInt, 3)
    .option("--wait", "wait until each node committed the new image or fell back", false)
    .option("--timeout <duration>", "how long --wait waits (e.g. 10m)", parseDuration, 1800)
    .option("--force-downgrade", "allow an older version than the running one (admins only)", false)
    .option(
      "--kubernetes-version <version>",
      "also take the kubelet to this version (e.g. v1.32.1), landing with the same boot",
    )
    .action(async (given: Omit<UpgradeOptions, "image"> & { image?: string }, command: Command) => {
      const image = given.image;
      if (!image)
        throw new KeelsonError(
          "invalidArgument",
          "an upgrade needs its bundle: --image FILE or URL",
          "build one with keelctl image build",
        );
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      const bars = nodeBars(session.targets.map((t) => t.node));
      const results = await callNodes(
        session,
        (client, target) => upgradeNode(session, client, target, { ...given, image }, bars),
        true,
      ).finally(() => bars.stop());
      const ok = printResults(
        results,
        {
          columns: ["outcome", "version", "slot", "detail"],
          rows: (o) => [[o.outcome, o.version, o.slot, o.detail]],
          data: (o) => o,
        },
        global.output,
      );
      if (!ok || results.some((r) => "result" in r && r.result.outcome === "fell back"))
        process.exitCode = 1;
    });

  addUpgradeClusterCommand(upgrade);
  addUnaryCommand(upgrade, {
    name: "cancel",
    description: "disarm a staged upgrade: the next reboot keeps the running image",
    schema: CancelUpgradeResponseSchema,
    call: (client) => client.cancelUpgrade({}),
    columns: ["disarmed", "status"],
    rows: (r) => [[r.version || "-", r.message]],
  });
  addUnaryCommand(upgrade, {
    name: "ack",
    description: "acknowledge that the nodes fell back from a failed upgrade",
    schema: AcknowledgeFallbackResponseSchema,
    call: (client) => client.acknowledgeFallback({}),
    columns: ["acknowledged"],
    rows: (r) => [[r.message]],
  });

  program
    .command("rollback")
    .description("boot the other slot's committed image (the one before the last upgrade)")
    .option("--wait", "wait until every node is back and ready", false)
    .action(async (opts: { wait: boolean }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      const results = await callNodes(session, async (client, target) => {
        const before = await client.health({});
        const res = await client.rollback({});
        if (opts.wait)
          await waitForReboot(session, target, before.bootId, global.callTimeout * 1000 * 12);
        return res;
      });
      const ok = printResults(
        results,
        {
          columns: ["version", "status"],
          rows: (r) => [[r.version, opts.wait ? "rolled back, ready" : r.message]],
          data: (r) => ({ version: r.version, message: r.message }),
        },
        global.output,
      );
      if (!ok) process.exitCode = 1;
    });

  addUnaryCommand(program, {
    name: "slots",
    description: "show each node's boot slots: versions, commit state, tries left, what boots next",
    schema: BootStateResponseSchema,
    call: (client) => client.bootState({}),
    columns: ["slot", "version", "state", "running", "boots next"],
    rows: slotRows,
    notice: (node, r) => {
      if (!r.lastFallback?.acknowledged) warnFallback(node, r.lastFallback);
    },
  });
}

async function upgradeNode(
  session: Session,
  client: MachineClient,
  target: Target,
  opts: UpgradeOptions,
  bars: Bars,
): Promise<Outcome> {
  const node = target.node;
  const started = new Date();
  const before = await client.health({}, { timeoutMs: session.timeoutMs });
  try {
    const source = await upgradeSource(client, opts, (done, total) =>
      bars.update(node, {
        phase: "upload",
        percent: Math.floor((done / total) * 100),
        message: "sending the bundle",
      }),
    );
    let last = { version: "", slot: "", phase: "" };
    for await (const p of client.upgrade({
      source,
      sha256: opts.sha256 ?? "",
      stage: opts.stage,
      tries: opts.tries,
      forceDowngrade: opts.forceDowngrade,
      kubernetesVersion: opts.kubernetesVersion ?? "",
    } as UpgradeRequest)) {
      last = { version: p.version || last.version, slot: p.slot || last.slot, phase: p.phase };
      bars.update(node, { phase: p.phase, percent: p.percent, message: p.message });
    }
    if (opts.stage) {
      bars.update(node, {
        phase: "staged",
        percent: 100,
        message: `next reboot boots ${last.version}`,
        done: "ok",
      });
      return {
        outcome: "staged",
        version: last.version,
        slot: last.slot,
        detail: "the next reboot boots it",
      };
    }
    if (!opts.wait) {
      bars.update(node, {
        phase: "reboot",
        percent: 100,
        message: `rebooting into ${last.version}`,
        done: "ok",
      });
      return {
        outcome: "rebooting",
        version: last.version,
        slot: last.slot,
        detail: "keelctl slots shows whether it commits",
      };
    }
    bars.update(node, { phase: "reboot", message: `rebooting into ${last.version}` });
    await waitForReboot(session, target, before.bootId, opts.timeout * 1000).catch(() => undefined);
    const outcome = await settled(
      session,
      target,
      last.version,
      started,
      opts.timeout * 1000,
      (message) => bars.update(node, { phase: "health", message }),
    );
    bars.update(node, {
      phase: outcome.outcome,
      percent: 100,
      message: outcome.detail,
      done: outcome.outcome === "committed" ? "ok" : "failed",
    });
    return outcome;
  } catch (error) {
    bars.update(node, {
      phase: "failed",
      message: KeelsonError.from(error).message,
      done: "failed",
    });
    throw error;
  }
}

/**
 * Polls the node's boot state, through its reboots, until the upgrade has
 * settled: the new version committed, or a fallback from it recorded.
 */
async function settled(
  session: Session,
  target: Target,
  version: string,
  since: Date,
  timeoutMs: number,
  onStatus: (message: string) => void,
): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  let lastSeen = "the node has not answered since its reboot";
  while (Date.now() < deadline) {
    const state = await bootState(session, target).catch((error: unknown) => {
      lastSeen = `not answering (${KeelsonError.from(error).message})`;
      return undefined;
    });
    if (state) {
      const o = upgradeOutcome(state, version, since);
      if (o.outcome === "fell back")
        return {
          outcome: o.outcome,
          version: o.version,
          slot: o.slot,
          detail: `${version} failed: ${o.why}`,
        };
      if (o.outcome === "committed") return { ...o, detail: "passed its health gate" };
      lastSeen = o.status;
    }
    onStatus(lastSeen);
    await delay(1000);
  }
  throw new KeelsonError(
    "deadlineExceeded",
    `${target.node} did not settle within ${Math.round(timeoutMs / 1000)} s: ${lastSeen}`,
    "see keelctl slots and keelctl events for where it stands",
  );
}

async function bootState(session: Session, target: Target): Promise<BootStateResponse> {
  const connection = session.connect(target);
  try {
    return await connection.client.bootState({}, { timeoutMs: 2000 });
  } finally {
    connection.close();
  }
}

function slotRows(r: BootStateResponse): (string | boolean)[][] {
  return r.slots.map((s) => {
    const state = s.committed
      ? "committed"
      : s.triesLeft === 0
        ? `failed (${s.triesDone} tries spent)`
        : `armed (${s.triesLeft} tries left)`;
    return [
      s.name,
      s.version,
      s.bootable ? state : `${state}, no image`,
      s.name === r.runningSlot,
      s.name === r.nextSlot,
    ];
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 15)
    throw new InvalidArgumentError(`expected 1 to 15 tries, got "${value}"`);
  return n;
}
