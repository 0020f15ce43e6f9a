import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { BootControl } from "./boot-control";
import { LoaderDirectory } from "./loader-directory";
import { FileVariables } from "./loader-variables";

describe("boot control: disarming a staged upgrade", () => {
  let dir: string;
  let control: BootControl;
  let variables: FileVariables;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "boot-control-"));
    variables = new FileVariables(join(dir, "efivars"));
    control = new BootControl(new LoaderDirectory(join(dir, "esp")), variables);
    control.provision("a", "0.1.0");
    variables.set("LoaderEntrySelected", "keelson-a.conf");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("removes the armed slot's entry so the next boot keeps the running image", () => {
    control.arm("b", "0.2.0", 3, "");
    assert.equal(control.state().next, "b");
    assert.equal(control.disarm(), "0.2.0");
    const state = control.state();
    assert.equal(state.next, "a");
    assert.deepEqual(
      state.slots.map((s) => [s.slot, s.version, s.committed]),
      [["a", "0.1.0", true]],
    );
    assert.equal(control.disarm(), undefined, "nothing left to disarm");
  });

  it("leaves a committed other slot alone (that is a rollback target, not a staged upgrade)", () => {
    control.arm("b", "0.2.0", 3, "");
    // Running b now: a is committed, the image to fall back or roll back to.
    variables.set("LoaderEntrySelected", "keelson-b+3.conf");
    assert.equal(control.disarm(), undefined);
    assert.deepEqual(
      control.state().slots.map((s) => s.slot),
      ["a", "b"],
    );
  });
});
