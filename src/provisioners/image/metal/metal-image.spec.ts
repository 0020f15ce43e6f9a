import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { digestOf } from "../../../machinery/bundle";
import { connectMaintenance } from "../../../machinery/client";
import { generateConfigs, generateSecrets, stringifyConfig } from "../../../machinery/config";
import { KeelsonError } from "../../../machinery/errors";
import { allocateLoopbackSubnet } from "../../../machinery/platform/loopback-subnet";
import { type Accelerator, accelerator } from "../../qemu/accelerator";
import { QemuMachine, userNetworkPlatform } from "../../qemu/qemu-machine";
import { buildMetalImage, type MetalImage } from "./metal-image";

/** Where a GPT partition starts and how long it is, in bytes, read back with sfdisk. */
function partition(disk: string, name: string): { start: number; size: number } {
  const table = JSON.parse(execFileSync("sfdisk", ["--json", disk], { encoding: "utf8" })) as {
    partitiontable: { partitions: { name: string; start: number; size: number }[] };
  };
  const p = table.partitiontable.partitions.find((x) => x.name === name);
  assert.ok(p, `no partition ${name}`);
  return { start: p.start * 512, size: p.size * 512 };
}

/**
 * The metal image as built by keelctl image build --target metal, booted
 * for real: UEFI firmware (OVMF), systemd-boot, Debian's kernel, the
 * initramfs mapping the root through dm-verity, the agent started by
 * keelson-init. Software emulation, so each boot takes tens of seconds.
 */
describe("the metal image", () => {
  let dir: string;
  let first: MetalImage;
  let accel: Accelerator;
  before(async () => {
    const probed = await accelerator();
    accel = probed.accelerator;
    // Which one the boots below use, and why: KVM only where a guest really runs under it.
    console.log(`QEMU accelerator: ${probed.accelerator} (${probed.why})`);
    dir = mkdtempSync(join(tmpdir(), "metal-image-"));
    first = await buildMetalImage({
      version: "0.1.0",
      output: join(dir, "one"),
      buildTime: "2026-01-01T00:00:00Z",
    });
  });
  after(() => process.env.KEEP_METAL_DIR || rmSync(dir, { recursive: true, force: true }));

  /** A copy of the built disk, to change or boot without touching the original. */
  function copyOf(name: string): string {
    const disk = join(dir, name);
    execFileSync("cp", ["--sparse=always", first.disk, disk]);
    return disk;
  }

  /** DISK booted on a machine of its own, its API forwarded to a loopback address of its own. */
  async function boot(disk: string, platform: Record<string, string> = {}) {
    const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: dir });
    const machine = new QemuMachine({
      dir: mkdtempSync(join(dir, "vm-")),
      disk,
      accelerator: accel,
      diesWithParent: true,
      apiAddress: subnet.address(1),
      platform,
    });
    return { machine, api: `${subnet.address(1)}:50000` };
  }

  it("is reproducible: the same tree and packages give the same disk and bundle", async () => {
    const second = await buildMetalImage({
      version: "0.1.0",
      output: join(dir, "two"),
      buildTime: "2026-01-01T00:00:00Z",
    });
    assert.deepEqual(await digestOf(second.disk), await digestOf(first.disk));
    assert.deepEqual(await digestOf(second.bundle), await digestOf(first.bundle));
    assert.equal(second.verity.rootHash, first.verity.rootHash);
    rmSync(join(dir, "two"), { recursive: true, force: true });
  });

  it("holds a few executables and no shell, in a bundle under 80 MB", () => {
    assert.deepEqual(first.executables, [
      "/usr/bin/containerd",
      "/usr/bin/containerd-shim-runc-v2",
      "/usr/bin/etcd",
      "/usr/bin/node",
      "/usr/lib/keelson/keelson-init",
      "/usr/sbin/runc",
    ]);
    assert.ok(first.bytes.bundle < 80e6, `bundle of ${first.bytes.bundle} bytes`);
    assert.equal(first.manifest.target, "metal");
  });

  it("lays slot A out on the ESP as the agent installs a slot: kernel, initramfs, verity, keys, manifest", () => {
    const esp = partition(first.disk, "KEELSON-ESP");
    const read = (path: string) =>
      execFileSync("mtype", ["-i", `${first.disk}@@${esp.start}`, `::${path}`], {
        encoding: "utf8",
      });
    const listed = execFileSync(
      "mdir",
      ["-b", "-i", `${first.disk}@@${esp.start}`, "::/keelson/a"],
      {
        encoding: "utf8",
      },
    );
    for (const file of [
      "vmlinuz",
      "initrd",
      "verity.json",
      "trusted-keys.pem",
      "bundle-manifest.json",
    ])
      assert.match(listed, new RegExp(`/keelson/a/${file.replace(".", "\\.")}`, "i"));
    assert.doesNotMatch(listed, /root\.img/i, "the root is on its partition, not the ESP");
    assert.deepEqual(JSON.parse(read("/keelson/a/bundle-manifest.json")), first.manifest);
    assert.deepEqual(JSON.parse(read("/keelson/a/verity.json")), first.verity);
    assert.match(read("/loader/entries/keelson-a.conf"), /keelson\.root=KEELSON-ROOT-A /);
  });

  it("boots under UEFI through systemd-boot into its verified root, grows EPHEMERAL to the disk's end, takes an address by DHCP and serves its maintenance API; booted again, takes the platform's new record and keeps its certificate", async () => {
    // Written to a disk 256 MiB larger than the image, as to any real disk.
    const disk = copyOf("grown.raw");
    truncateSync(disk, statSync(disk).size + 256 * 1024 * 1024);
    // No address from the platform: the agent takes one by DHCP (QEMU's user network serves it).
    const { network: _, ...platform } = userNetworkPlatform({ containerRuntime: false });
    const { machine, api } = await boot(disk, platform);
    try {
      await machine.waitFor(/keelson-init: root KEELSON-ROOT-A mounted and verified/, 180_000);
      // A boot that hangs is reset by the watchdog (about a minute) and comes up again.
      const [, token = ""] = await machine.waitFor(/bootstrap token: (\S+)/, 240_000);
      const connection = connectMaintenance(api, token, 10_000);
      try {
        const version = await connection.client.version({});
        assert.equal(version.role, "maintenance");
        assert.equal(version.platform, "qemu");
        assert.equal(version.osImageVersion, "0.1.0");
        assert.equal(version.kernel, first.kernel);
        // The agent reads its slots from the ESP keelson-init mounted, and finds its entry whole.
        assert.doesNotMatch(
          machine.console(),
          /cannot mount KEELSON-ESP|could not check the boot entries/,
        );
        // For a person at the console: the node, its state, image and where its API answers.
        await machine.waitFor(
          /keelson: unnamed: maintenance: [^\r\n]*\r?\n {2}image 0\.1\.0, slot A, committed\r?\n {2}API 10\.0\.2\.15:50000/,
          30_000,
        );
      } finally {
        connection.close();
      }
    } finally {
      await machine.stop();
    }
    assert.match(machine.console(), /EPHEMERAL grown to 640 MiB/);
    // The table on disk is whole, its backup at the disk's new end, EPHEMERAL reaching it.
    execFileSync("sfdisk", ["--verify", disk]);
    const grown = partition(disk, "KEELSON-EPHEMERAL");
    assert.equal(grown.size, 640 * 1024 * 1024);
    const fingerprint = /API certificate sha256: (\S+)/.exec(machine.console())?.[1];
    assert.ok(fingerprint, "the console shows the maintenance certificate's fingerprint");

    // Booted again by a platform that now names the machine: the platform's record is taken
    // anew (it is the platform's), the maintenance certificate an operator checked is kept.
    const renamed = await boot(disk, {
      ...platform,
      "platform.json": JSON.stringify({
        ...JSON.parse(platform["platform.json"] ?? "{}"),
        hostname: "renamed",
      }),
    });
    try {
      await renamed.machine.waitFor(/keelson: renamed: maintenance/, 240_000);
      assert.equal(
        /API certificate sha256: (\S+)/.exec(renamed.machine.console())?.[1],
        fingerprint,
      );
    } finally {
      await renamed.machine.stop();
    }
    rmSync(disk);
  });

  it("holds a node whose STATE cannot be mounted in maintenance mode, saying why on its console and API, its user data untaken", async () => {
    const disk = copyOf("bad-state.raw");
    // ext4's superblock, zeroed: the partition is there, its filesystem is not.
    const state = partition(disk, "KEELSON-STATE");
    const fd = openSync(disk, "r+");
    writeSync(fd, Buffer.alloc(1024), 0, 1024, state.start + 1024);
    closeSync(fd);
    const configs = await generateConfigs({
      clusterName: "metal",
      endpoint: "https://10.0.2.15:6443",
      secrets: await generateSecrets(),
    });
    const { machine, api } = await boot(
      disk,
      userNetworkPlatform({ containerRuntime: false }, stringifyConfig(configs.worker)),
    );
    try {
      const [, token = ""] = await machine.waitFor(/bootstrap token: (\S+)/, 240_000);
      await machine.waitFor(
        /keelson: unnamed: maintenance: the STATE partition \(KEELSON-STATE\) cannot be mounted: /,
        30_000,
      );
      const connection = connectMaintenance(api, token, 10_000);
      try {
        const version = await connection.client.version({});
        assert.equal(version.role, "maintenance", "the user data was not taken");
        assert.match(version.maintenanceReason, /STATE partition .* cannot be mounted/);
        const refused = await connection.client
          .applyConfiguration({ data: stringifyConfig(configs.worker) })
          .then(
            () => assert.fail("a configuration it cannot keep was accepted"),
            (e: unknown) => KeelsonError.from(e),
          );
        assert.equal(refused.code, "failedPrecondition");
        assert.match(refused.message, /cannot keep a configuration: the STATE partition/);
      } finally {
        connection.close();
      }
    } finally {
      await machine.stop();
      rmSync(disk);
    }
  });

  it("does not boot a root changed on disk: dm-verity refuses the changed block", async () => {
    const disk = copyOf("changed.raw");
    // A byte in the middle of the root's data, well past the superblock.
    const root = partition(disk, "KEELSON-ROOT-A");
    const at = root.start + Math.floor((first.verity.dataBlocks * 4096) / 2);
    const fd = openSync(disk, "r+");
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    writeSync(fd, Buffer.of((byte[0] ?? 0) ^ 0xff), 0, 1, at);
    closeSync(fd);
    const { machine } = await boot(disk);
    try {
      await machine.waitFor(
        /verity: .*data block \d+ is corrupted|keelson-init: cannot boot/,
        240_000,
      );
      assert.doesNotMatch(machine.console(), /keelsond: /);
    } finally {
      await machine.stop();
    }
  });
});
