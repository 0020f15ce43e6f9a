import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { spaceProblem } from "./space-left";

/** A real filesystem filled for real: a 100 MiB tmpfs, mounted for the test (root). */
describe("space left on a filesystem", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "keelson-space-"));
    mkdirSync(join(dir, "var"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=100m", "tmpfs", join(dir, "var")]);
  });
  after(() => {
    execFileSync("umount", [join(dir, "var")]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("says nothing while there is room, then that the filesystem is full, how full, and what to do", () => {
    const path = join(dir, "var");
    assert.equal(spaceProblem("EPHEMERAL", path), undefined);
    writeFileSync(join(path, "fill"), Buffer.alloc(80 * 2 ** 20));
    const problem = spaceProblem("EPHEMERAL", path);
    assert.match(
      problem ?? "",
      new RegExp(`^EPHEMERAL \\(${path}\\) is full: \\d+ MiB left of 100 MiB; free space`),
    );
  });

  it("says when it cannot read the filesystem at all", () => {
    assert.match(spaceProblem("EPHEMERAL", join(dir, "gone")) ?? "", /cannot be read: ENOENT/);
  });
});
