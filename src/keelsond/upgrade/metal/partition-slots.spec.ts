import assert from "node:assert/strict";
import type { KeyObject } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { metalLayout, type SlotName } from "../../../machinery/boot";
import {
  generateSigningKey,
  installedManifest,
  publicKeyOf,
  readBundleHeader,
  trustedKeysFile,
  writeBundle,
} from "../../../machinery/bundle";
import { partitionByLabel } from "./block-partitions";
import { decodeVariable, EfiVariables, encodeVariable } from "./efi-variables";
import { PartitionSlots } from "./partition-slots";

const verity = {
  dataBlocks: 3,
  hashStartBlock: 3,
  rootHash: "ab".repeat(32),
  salt: "cd".repeat(32),
};

describe("a metal node's slots", () => {
  let dir: string;
  let bundle: string;
  let slots: PartitionSlots;
  let cmdline = "";
  let dropped = 0;
  let trusted: KeyObject[];
  const partitions: Record<SlotName, string> = { a: "", b: "" };
  const root = Buffer.alloc(3 * 4096, 7);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "partition-slots-"));
    // Plain files play the root partitions: larger than the image, with old bytes in them.
    for (const slot of ["a", "b"] as const) {
      partitions[slot] = join(dir, `root-${slot}`);
      writeFileSync(partitions[slot], Buffer.alloc(64 * 1024, 0xee));
    }
    const files: Record<string, string | Buffer> = {
      vmlinuz: "kernel",
      initrd: "initramfs",
      [metalLayout.rootImage]: root,
      [metalLayout.verity]: JSON.stringify(verity),
      [trustedKeysFile]: "keys",
    };
    mkdirSync(join(dir, "in"));
    for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, "in", name), data);
    bundle = join(dir, "v2.bundle");
    const key = generateSigningKey();
    trusted = [publicKeyOf(key.publicKey)];
    await writeBundle(
      bundle,
      { version: "0.2.0", arch: "amd64", target: "metal", minUpgradeFrom: "0.0.0" },
      Object.keys(files).map((path) => ({ path, source: join(dir, "in", path) })),
      key,
    );
    slots = new PartitionSlots(join(dir, "esp", "keelson"), (s) => partitions[s], 64 * 1024, {
      cmdline: () => cmdline,
      dropCaches: () => {
        dropped++;
      },
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the root image to the slot's partition and the rest to its folder on the ESP, manifest last", async () => {
    const header = await readBundleHeader(bundle, trusted);
    let reported = 0;
    await slots.install(bundle, header, "b", (done) => {
      reported = done;
    });
    assert.ok(reported > root.length);
    const written = readFileSync(partitions.b);
    assert.equal(written.length, 64 * 1024, "the partition is written in place, never truncated");
    assert.deepEqual(written.subarray(0, root.length), root);
    const folder = join(dir, "esp", "keelson", "b");
    assert.equal(readFileSync(join(folder, "vmlinuz"), "utf8"), "kernel");
    assert.ok(!existsSync(join(folder, metalLayout.rootImage)));
    assert.ok(existsSync(join(folder, installedManifest)));
    assert.equal(slots.manifest("b")?.version, "0.2.0");
    assert.equal(slots.manifest("a"), undefined);
    const before = dropped;
    await slots.verify("b", header.manifest, () => {});
    assert.equal(dropped, before + 1, "the page cache is dropped before the read-back");
    assert.match(slots.entryOptions("b"), /keelson\.root=KEELSON-ROOT-B /);
    assert.match(slots.entryOptions("b"), new RegExp(`keelson\\.verity=3:3:${verity.rootHash}:`));
  });

  it("finds a partition changed after it was written when it reads it back", async () => {
    const header = await readBundleHeader(bundle, trusted);
    await slots.install(bundle, header, "a", () => {});
    const fd = openSync(partitions.a, "r+");
    writeSync(fd, Buffer.of(1), 0, 1, 5000);
    closeSync(fd);
    await assert.rejects(
      slots.verify("a", header.manifest, () => {}),
      /does not read back/,
    );
  });

  it("refuses to give a slot's entry options without its verity parameters", () => {
    rmSync(join(dir, "esp", "keelson", "a", metalLayout.verity), { force: true });
    assert.throws(() => slots.entryOptions("a"), /verity\.json/);
  });

  it("takes the running slot's verity parameters from the command line it booted with, when the ESP lost them", () => {
    rmSync(join(dir, "esp", "keelson", "a", metalLayout.verity), { force: true });
    const hash = "ab".repeat(32);
    cmdline = `initrd=\\keelson\\a\\initrd keelson.slot=a console=ttyS0 keelson.root=KEELSON-ROOT-A keelson.verity=3:3:${hash}:00ff\n`;
    assert.match(slots.entryOptions("a"), new RegExp(`keelson\\.verity=3:3:${hash}:00ff`));
    cmdline = `keelson.slot=b keelson.verity=3:3:${hash}:00ff`;
    assert.throws(() => slots.entryOptions("a"), /verity\.json/, "only the running slot's");
    cmdline = "keelson.slot=a keelson.verity=3:3:not-a-hash:00";
    assert.throws(
      () => slots.entryOptions("a"),
      /verity\.json/,
      "a malformed parameter is not taken",
    );
  });
});

describe("the firmware's loader variables", () => {
  it("reads efivarfs's attributes-then-UTF-16 files, and keeps the agent's changes for this boot", () => {
    const dir = mkdtempSync(join(tmpdir(), "efivars-"));
    try {
      const name = "LoaderBootCountPath-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
      writeFileSync(join(dir, name), encodeVariable("\\loader\\entries\\keelson-b+2-1.conf"));
      const vars = new EfiVariables(dir);
      assert.equal(vars.get("LoaderBootCountPath"), "\\loader\\entries\\keelson-b+2-1.conf");
      assert.equal(vars.get("LoaderEntrySelected"), undefined);
      vars.set("LoaderBootCountPath", undefined);
      assert.equal(vars.get("LoaderBootCountPath"), undefined);
      assert.ok(existsSync(join(dir, name)), "the firmware's own copy is left alone");
      assert.equal(decodeVariable(encodeVariable("keelson-a.conf")), "keelson-a.conf");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("partitions by label", () => {
  it("finds the block device whose uevent names the partition, and its size", () => {
    const sys = mkdtempSync(join(tmpdir(), "sys-block-"));
    try {
      for (const [name, label] of [
        ["vda", ""],
        ["vda2", "KEELSON-ROOT-A"],
        ["vda3", "KEELSON-ROOT-B"],
      ] as const) {
        mkdirSync(join(sys, name));
        const partName = label ? `PARTNAME=${label}\n` : "";
        writeFileSync(join(sys, name, "uevent"), `MAJOR=254\nDEVNAME=${name}\n${partName}`);
        writeFileSync(join(sys, name, "size"), "524288\n");
      }
      assert.deepEqual(partitionByLabel("KEELSON-ROOT-B", sys), {
        device: "/dev/vda3",
        bytes: 256 * 1024 * 1024,
      });
      assert.throws(
        () => partitionByLabel("KEELSON-ROOT-C", sys),
        /no partition named KEELSON-ROOT-C/,
      );
    } finally {
      rmSync(sys, { recursive: true, force: true });
    }
  });
});
