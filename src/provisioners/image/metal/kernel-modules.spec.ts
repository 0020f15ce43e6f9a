import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { KeelsonError } from "../../../machinery/errors";
import { dependsOf, moduleClosure } from "./kernel-modules";

/** A stand-in .ko: only its .modinfo strings matter to the resolver. */
const module = (depends: string) =>
  Buffer.concat([
    Buffer.from("\x7fELF\0"),
    Buffer.from(`license=GPL\0depends=${depends}\0name=x\0`),
  ]);

describe("kernel modules for the initramfs and the root", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "modules-"));
    mkdirSync(join(dir, "drivers", "md"), { recursive: true });
    mkdirSync(join(dir, "lib"), { recursive: true });
    writeFileSync(join(dir, "drivers/md/dm-verity.ko"), module("reed_solomon,dm-mod,dm-bufio"));
    writeFileSync(join(dir, "drivers/md/dm-bufio.ko"), module("dm-mod"));
    writeFileSync(join(dir, "drivers/md/dm-mod.ko"), module(""));
    writeFileSync(join(dir, "lib/reed_solomon.ko"), module(""));
    writeFileSync(join(dir, "lib/loop-a.ko"), module("loop_b"));
    writeFileSync(join(dir, "lib/loop_b.ko"), module("loop-a"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a module's dependencies from its .modinfo", () => {
    assert.deepEqual(dependsOf(module("a,b-c")), ["a", "b-c"]);
    assert.deepEqual(dependsOf(module("")), []);
    assert.deepEqual(dependsOf(Buffer.from("no modinfo here")), []);
  });

  it("orders every module after what it depends on, each once, '-' and '_' alike", () => {
    const order = moduleClosure(dir, ["dm_verity", "dm-bufio"]).map((f) => basename(f));
    assert.deepEqual(order, ["reed_solomon.ko", "dm-mod.ko", "dm-bufio.ko", "dm-verity.ko"]);
  });

  it("ends on a cycle, and names a missing module and who needs it", () => {
    assert.equal(moduleClosure(dir, ["loop_a"]).length, 2);
    assert.throws(
      () => moduleClosure(dir, ["virtio_blk"]),
      (e: KeelsonError) =>
        e.code === "notFound" && /virtio_blk \(needed by the image\)/.test(e.message),
    );
  });
});
