import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { slotOf } from "../../machinery/boot";
import { installedManifest, manifestSchema, verifyDirectory } from "../../machinery/bundle";
import { Firmware } from "../../provisioners/process/machine/firmware";
import { UpgradeFixture } from "./testing/upgrade-fixture";

const victim = join(import.meta.dirname, "testing", "upgrade-victim.ts");

/** Runs the upgrade in its own process and SIGKILLs it `afterMs` after it starts (or lets it finish). */
function runVictim(
  dir: string,
  bundle: string,
  afterMs: number | undefined,
): Promise<"killed" | "finished"> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", victim, dir, bundle], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (afterMs !== undefined && chunk.toString().includes("go"))
        setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`the upgrade failed by itself (code ${code})`));
    });
  });
}

/**
 * The boot loader's view after the kill: what it boots next must be a whole
 * image, either the committed one or the new one fully written and armed,
 * and the committed image must still be there to fall back to.
 */
async function assertBootable(
  fixture: UpgradeFixture,
  newVersion: string,
  trial: string,
): Promise<void> {
  const firmware = new Firmware(fixture.paths.root);
  const next = firmware.choose();
  assert.ok(next, `${trial}: nothing bootable`);
  const slot = slotOf(next) ?? assert.fail(`${trial}: the chosen entry names no slot`);
  const dir = join(fixture.paths.slots, slot);
  const manifest = manifestSchema.parse(
    JSON.parse(readFileSync(join(dir, installedManifest), "utf8")),
  );
  await verifyDirectory(dir, manifest);
  if (next.triesLeft === undefined) assert.equal(slot, "a", `${trial}: only A is committed`);
  else assert.equal(manifest.version, newVersion, `${trial}: an armed slot holds the new image`);
  const a = join(fixture.paths.slots, "a");
  await verifyDirectory(
    a,
    manifestSchema.parse(JSON.parse(readFileSync(join(a, installedManifest), "utf8"))),
  );
  const committed = fixture
    .boot()
    .control.state()
    .slots.find((s) => s.committed);
  assert.equal(committed?.slot, "a", `${trial}: A stays committed`);
}

describe("SIGKILL during an upgrade's write and arm", () => {
  const fixture = new UpgradeFixture();
  let bundle: string;
  let writeMs = 0;

  before(async () => {
    await fixture.install();
    bundle = await fixture.bundle({ version: "1.1.0", bytes: 24 * 1024 * 1024 });
    const started = Date.now();
    assert.equal(await runVictim(fixture.dir, bundle, undefined), "finished");
    writeMs = Date.now() - started;
  });
  after(() => fixture.remove());

  it("never leaves a node that cannot boot a committed slot (property, 60 kills)", async () => {
    let trial = 0;
    const outcomes = { killed: 0, finished: 0 };
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1.1, noNaN: true }), async (fraction) => {
        const at = `trial ${++trial} (kill at ${Math.round(fraction * writeMs)} ms)`;
        outcomes[await runVictim(fixture.dir, bundle, Math.round(fraction * writeMs))]++;
        await assertBootable(fixture, "1.1.0", at);
      }),
      { numRuns: 60 },
    );
    assert.ok(
      outcomes.killed >= 40,
      `most trials killed the upgrade mid-way: ${JSON.stringify(outcomes)}`,
    );
  });
});
