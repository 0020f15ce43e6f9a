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
  let base: string;
  let dir: string;
  before(() => {
    // As a kernel package lays them out: lib/modules/VERSION/{kernel/,modules.builtin}.
    base = mkdtempSync(join(tmpdir(), "modules-"));
    dir = join(base, "kernel");
    writeFileSync(
      join(base, "modules.builtin"),
      "kernel/fs/ext4/ext4.ko\nkernel/lib/crc32c_generic.ko\n",
    );
    writeFileSync(join(base, "i6300esb.ko"), module("watchdog"));
    mkdirSync(join(dir, "drivers", "md"), { recursive: true });
    mkdirSync(join(dir, "lib"), { recursive: true });
    writeFileSync(join(dir, "drivers/md/dm-verity.ko"), module("reed_solomon,dm-mod,dm-bufio"));
    writeFileSync(join(dir, "drivers/md/dm-bufio.ko"), module("dm-mod"));
    writeFileSync(join(dir, "drivers/md/dm-mod.ko"), module(""));
    writeFileSync(join(dir, "lib/reed_solomon.ko"), module(""));
    writeFileSync(join(dir, "lib/loop-a.ko"), module("loop_b"));
    writeFileSync(join(dir, "lib/loop_b.ko"), module("loop-a"));
    writeFileSync(join(dir, "lib/watchdog.ko"), module(""));
    writeFileSync(join(dir, "lib/jbd-user.ko"), module("ext4,crc32c_generic"));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

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

  it("loads nothing the kernel builds in, and takes a module built for it from beside", () => {
    const order = moduleClosure(dir, ["ext4", "jbd-user", "i6300esb"], [join(base, "i6300esb.ko")]);
    assert.deepEqual(
      order.map((f) => basename(f)),
      ["jbd-user.ko", "watchdog.ko", "i6300esb.ko"],
    );
  });
});
