import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type ConfigDocument, stringifyConfig } from "../../machinery/config";
import { fixture } from "../../machinery/config/test-fixtures";
import { eventually } from "../../testing/eventually";
import { EventLog } from "../events";
import type { ApplyRequest } from "./apply-request";
import { ConfigManager } from "./config-manager";
import { RevisionStore } from "./revision-store";

function manager() {
  const dir = mkdtempSync(join(tmpdir(), "keelson-cfg-"));
  const live: ConfigDocument[][] = [];
  const events = new EventLog(join(dir, "events.jsonl"));
  const make = () => new ConfigManager(new RevisionStore(dir), events, (docs) => live.push(docs));
  return { dir, live, events, make, configs: make() };
}

const slotA = { slot: "A", onTrial: false };

const request = (yaml: string, more: Partial<ApplyRequest> = {}): ApplyRequest => ({
  yaml,
  mode: "auto",
  dryRun: false,
  tryTimeoutMs: 60_000,
  author: "CN=admin",
  ...more,
});

/** The config with one field changed, as text. */
function edit(
  documents: ConfigDocument[],
  change: (machine: Record<string, unknown>) => void,
): string {
  const copy = structuredClone(documents);
  const machine = copy.find((d) => d.kind === "MachineConfig");
  if (machine?.kind === "MachineConfig")
    change(machine.machine as unknown as Record<string, unknown>);
  return stringifyConfig(copy);
}

describe("ConfigManager", () => {
  it("applies live changes at once and stages those that need a reboot, saying which", async () => {
    const { worker, workerText } = await fixture();
    const { configs, live } = manager();
    assert.equal(configs.boot(slotA), undefined);
    assert.equal((await configs.apply(request(workerText))).revision, 1);
    const result = await configs.apply(
      request(
        edit(worker, (m) => {
          m.logging = { level: "debug" };
          m.token = "abcdef.0123456789abcdef";
        }),
      ),
    );
    assert.equal(result.revision, 2);
    assert.deepEqual(
      result.applied.map((c) => c.path),
      ["machine.logging.level"],
    );
    assert.deepEqual(
      result.staged.map((c) => c.path),
      ["machine.token"],
    );
    assert.equal(result.rebootRequired, true);
    assert.match(result.diff, /-\s+level: info\n\+\s+level: debug/);
    assert.doesNotMatch(
      result.diff,
      /abcdef\.0123456789abcdef/,
      "secrets are redacted in the diff",
    );
    assert.equal(live.length, 2);
  });

  it("changes nothing on a dry run, an invalid config, a refused mode or a stale expected revision", async () => {
    const { worker, workerText, controlplaneText } = await fixture();
    const { configs, live } = manager();
    await configs.apply(request(workerText));
    const dry = await configs.apply(
      request(
        edit(worker, (m) => (m.logging = { level: "warn" })),
        { dryRun: true },
      ),
    );
    assert.equal(dry.revision, 0);
    assert.equal(dry.applied.length, 1);
    await assert.rejects(configs.apply(request("machine: [")), /invalid|YAML/i);
    await assert.rejects(
      configs.apply(request(controlplaneText)),
      /for a controlplane, but the node is a worker/,
    );
    await assert.rejects(
      configs.apply(
        request(
          edit(worker, (m) => (m.token = "abcdef.0123456789abcdef")),
          { mode: "no-reboot" },
        ),
      ),
      /no-reboot cannot apply changes that need a reboot: machine\.token/,
    );
    await assert.rejects(
      configs.apply(request(workerText, { expectedRevision: 7 })),
      /revision 1 is in force, not 7/,
    );
    assert.equal(configs.current().revision, 1);
    assert.equal(configs.history().revisions.length, 1);
    assert.equal(live.length, 1);
  });

  it("promotes a staged revision at the next boot", async () => {
    const { worker, workerText } = await fixture();
    const { configs, make } = manager();
    await configs.apply(request(workerText));
    const staged = await configs.apply(
      request(
        edit(worker, (m) => (m.logging = { level: "error" })),
        { mode: "staged" },
      ),
    );
    assert.equal(staged.applied.length, 0);
    assert.equal(configs.current().revision, 1);
    const rebooted = make();
    assert.equal(rebooted.boot(slotA)?.revision, staged.revision);
  });

  it("keeps a revision staged with an upgrade only if that upgrade's boot commits", async () => {
    const { worker, workerText } = await fixture();
    const { configs, make, events } = manager();
    await configs.apply(request(workerText));
    const withB = request(
      edit(worker, (m) => (m.kubelet = { image: "ghcr.io/keelson/kubelet:v1.32.1" })),
      { mode: "staged", forSlot: "B" },
    );
    const staged = await configs.apply(withB);
    assert.equal(configs.current().revision, 1);
    await assert.rejects(
      configs.apply(request(edit(worker, (m) => (m.logging = { level: "debug" })))),
      /goes with the upgrade in slot B, which has not committed yet/,
    );

    // B's boot on trial runs the staged revision without committing it; a crash there keeps it for the next try.
    assert.equal(make().boot({ slot: "B", onTrial: true })?.revision, staged.revision);
    const trial = make();
    assert.equal(trial.boot({ slot: "B", onTrial: true })?.revision, staged.revision);
    // The tries spent: the loader falls back to A, and the revision goes.
    const fellBack = make();
    assert.equal(fellBack.boot(slotA)?.revision, 1);
    assert.ok(events.recent().some((e) => /dropped \(slot A booted instead\)/.test(e.message)));
    assert.equal(make().boot(slotA)?.revision, 1);

    // Staged again, and this time B's boot commits.
    const again = await fellBack.apply(withB);
    const good = make();
    assert.equal(good.boot({ slot: "B", onTrial: true })?.revision, again.revision);
    good.commitBoot("B");
    assert.equal(make().boot({ slot: "B", onTrial: false })?.revision, again.revision);
    await make().apply(request(edit(worker, (m) => (m.logging = { level: "debug" }))));
  });

  it("drops a revision staged with an upgrade that is cancelled, or whose commit the crash hid", async () => {
    const { worker, workerText } = await fixture();
    const { configs, make } = manager();
    await configs.apply(request(workerText));
    const yaml = edit(worker, (m) => (m.kubelet = { image: "ghcr.io/keelson/kubelet:v1.32.1" }));
    await configs.apply(request(yaml, { mode: "staged", forSlot: "B" }));
    configs.dropStaged("A", "not this slot");
    configs.dropStaged("B", "the upgrade was cancelled");
    assert.equal(make().boot(slotA)?.revision, 1);
    // B committed but the agent died before recording it: the committed boot keeps the revision.
    const staged = await configs.apply(request(yaml, { mode: "staged", forSlot: "B" }));
    assert.equal(make().boot({ slot: "B", onTrial: false })?.revision, staged.revision);
  });

  it("reverts a try that is not confirmed in time, and keeps one that is", async () => {
    const { worker, workerText } = await fixture();
    const { configs, live, events } = manager();
    await configs.apply(request(workerText));
    const trial = await configs.apply(
      request(
        edit(worker, (m) => (m.logging = { level: "debug" })),
        { mode: "try", tryTimeoutMs: 100 },
      ),
    );
    assert.ok(trial.tryDeadline);
    await assert.rejects(configs.apply(request(workerText)), /on trial/);
    await eventually("the revert", () => configs.current().revision === 1);
    assert.ok(events.recent().some((e) => /not confirmed in time; reverted to 1/.test(e.message)));
    assert.equal(live.length, 3, "applied, tried, reverted");

    const kept = await configs.apply(
      request(
        edit(worker, (m) => (m.logging = { level: "warn" })),
        { mode: "try", tryTimeoutMs: 60_000 },
      ),
    );
    assert.equal(configs.confirm("CN=admin"), kept.revision);
    assert.equal(configs.current().revision, kept.revision);
    assert.throws(() => configs.confirm("CN=admin"), /no configuration is on trial/);
  });

  it("reverts a try at boot when the node rebooted before confirming", async () => {
    const { worker, workerText } = await fixture();
    const { configs, make } = manager();
    await configs.apply(request(workerText));
    await configs.apply(
      request(
        edit(worker, (m) => (m.logging = { level: "debug" })),
        { mode: "try" },
      ),
    );
    assert.equal(make().boot(slotA)?.revision, 1);
  });

  it("rolls back to an earlier revision as a new revision, keeping history linear", async () => {
    const { worker, workerText } = await fixture();
    const { configs } = manager();
    await configs.apply(request(workerText));
    await configs.apply(request(edit(worker, (m) => (m.logging = { level: "debug" }))));
    const back = await configs.rollback(1, {
      mode: "auto",
      dryRun: false,
      tryTimeoutMs: 0,
      author: "CN=admin",
    });
    assert.equal(back.revision, 3);
    assert.equal(configs.get(3).yaml, workerText);
    await assert.rejects(
      configs.rollback(42, { mode: "auto", dryRun: false, tryTimeoutMs: 0, author: "" }),
      /revision 42 does not exist/,
    );
  });
});
