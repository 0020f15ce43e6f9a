import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  BootControl,
  FileVariables,
  kernelOptions,
  LoaderDirectory,
  metalLayout,
  rootLabel,
  slotKernelFiles,
  type VerityRoot,
} from "../../../machinery/boot";
import {
  type BundleManifest,
  installedManifest,
  trustedKeysFile,
  writeBundle,
} from "../../../machinery/bundle";
import { keelsonHome } from "../../../machinery/platform/keelson-home";
import type { TestFault } from "../test-faults";
import { type CpioEntry, cpioArchive } from "./cpio-archive";
import { debianPackages, kernelPackage } from "./debian-packages";
import { espFolders, espImage } from "./esp-image";
import { partitionTypes, writeGptDisk } from "./gpt-disk";
import { compileInit } from "./init-program";
import { moduleClosure, moduleList } from "./kernel-modules";
import { inspectRoot } from "./root-inspection";
import { rootTree, writeTree } from "./root-tree";
import { appendVerity } from "./verity-root";
import { buildWatchdogModule } from "./watchdog-module";

/** What the initramfs loads to reach a verified root on a virtio disk. */
const initramfsModules = ["virtio_pci", "virtio_blk", "dm_verity", "squashfs"];
/** What the root loads before the agent starts: its filesystems, the watchdog, the network, firmware config, the ESP. */
const rootModules = [
  // STATE and EPHEMERAL; ext4 asks the crypto API for crc32c, and nothing here runs modprobe.
  "crc32c_generic",
  "ext4",
  "i6300esb",
  "virtio_net",
  "virtio_rng",
  "qemu_fw_cfg",
  "vfat",
  "nls_cp437",
  "nls_ascii",
  "efivarfs",
  "overlay",
  "veth",
  "br_netfilter",
];

// EPHEMERAL holds etcd (whose write-ahead log takes 64 MiB at once) and the services' logs.
const sizes = { espMiB: 128, rootMiB: 256, stateMiB: 64, ephemeralMiB: 384 };
const ids = {
  disk: "4B454C53-4F4E-4000-8000-000000000000",
  esp: "4B454C53-4F4E-4000-8000-000000000001",
  rootA: "4B454C53-4F4E-4000-8000-00000000000A",
  rootB: "4B454C53-4F4E-4000-8000-00000000000B",
  state: "4B454C53-4F4E-4000-8000-000000000005",
  ephemeral: "4B454C53-4F4E-4000-8000-000000000006",
};

export interface MetalImageSpec {
  version: string;
  output: string;
  signingKey?: { privateKey: string; publicKey: string };
  /** Public keys (PEM) the image trusts for its successors, besides its own signer. */
  trust?: readonly string[];
  minUpgradeFrom?: string;
  /** Fixed for reproducible bundles. */
  buildTime?: string;
  /** Where Debian's packages are kept between builds. */
  cacheDir?: string;
  /** A deliberately broken image (tests): see test-faults.ts. */
  testFault?: TestFault;
}

export interface MetalImage {
  disk: string;
  bundle: string;
  manifest: BundleManifest;
  kernel: string;
  verity: VerityRoot;
  executables: string[];
  bytes: { disk: number; bundle: number; root: number };
}

/**
 * The Keelson OS for a (virtual) machine, from the working tree and
 * Debian's packages, without root or loop devices: a raw GPT disk (ESP with
 * systemd-boot and slot A's entry; ROOT-A with the verified root; ROOT-B
 * empty; STATE; EPHEMERAL) and the signed bundle that installs the same
 * version into a slot.
 */
export async function buildMetalImage(spec: MetalImageSpec): Promise<MetalImage> {
  const scratch = mkdtempSync(join(tmpdir(), "keelson-metal-"));
  try {
    const kernelName = kernelPackage();
    const cacheDir = spec.cacheDir ?? join(keelsonHome(), "cache", "debian");
    const packages = debianPackages(
      [kernelName, "systemd-boot-efi", "containerd", "runc", "etcd-server"],
      cacheDir,
    );
    const at = (name: string) => packages.get(name) ?? "";
    const kernelVersion = kernelName.replace(/^linux-image-/, "");
    const modulesDir = join(at(kernelName), "lib", "modules", kernelVersion, "kernel");
    const watchdog = buildWatchdogModule(kernelVersion, cacheDir, scratch);
    const init = join(scratch, "keelson-init");
    compileInit(init);

    const initrd = join(scratch, "initrd");
    writeFileSync(initrd, initramfs(init, moduleClosure(modulesDir, initramfsModules)));

    const rootDir = join(scratch, "root");
    writeTree(
      rootTree({
        init,
        modules: moduleClosure(modulesDir, rootModules, [watchdog]),
        programs: {
          "/usr/bin/containerd": join(at("containerd"), "usr/bin/containerd"),
          "/usr/bin/containerd-shim-runc-v2": join(
            at("containerd"),
            "usr/bin/containerd-shim-runc-v2",
          ),
          "/usr/sbin/runc": join(at("runc"), "usr/sbin/runc"),
          "/usr/bin/etcd": join(at("etcd-server"), "usr/bin/etcd"),
        },
        ...(spec.testFault ? { testFault: spec.testFault } : {}),
      }),
      rootDir,
    );
    const executables = inspectRoot(rootDir);
    const root = join(scratch, "root.img");
    execFileSync("mksquashfs", [
      rootDir,
      root,
      "-comp",
      "zstd",
      // zstd's strongest level: unpacking is as fast as at the default 15, and the bundle
      // carries the cloud kernel's LZ4 (larger than XZ, and quicker to boot).
      "-Xcompression-level",
      "22",
      // 1 MiB blocks: each read of the root waits for its block in turn, so
      // large blocks read Node and the agent at start twice as fast under
      // emulation as the default 128 KiB (and compress as well).
      "-b",
      "1M",
      "-all-root",
      "-noappend",
      "-no-xattrs",
      "-mkfs-time",
      "0",
      "-all-time",
      "0",
      "-quiet",
    ]);
    const verity = appendVerity(root);

    const vmlinuz = join(at(kernelName), "boot", `vmlinuz-${kernelVersion}`);
    const slotFiles = join(scratch, "slot");
    mkdirSync(slotFiles);
    const components = [
      ["vmlinuz", vmlinuz],
      ["initrd", initrd],
      [metalLayout.rootImage, root],
      [metalLayout.verity, writeText(slotFiles, metalLayout.verity, `${JSON.stringify(verity)}\n`)],
      [
        trustedKeysFile,
        writeText(
          slotFiles,
          trustedKeysFile,
          [spec.signingKey?.publicKey ?? "", ...(spec.trust ?? [])].join(""),
        ),
      ],
    ] as const;
    const bundle = join(spec.output, `keelson-${spec.version}.bundle`);
    mkdirSync(spec.output, { recursive: true });
    const manifest = await writeBundle(
      bundle,
      {
        version: spec.version,
        arch: "amd64",
        target: "metal",
        minUpgradeFrom: spec.minUpgradeFrom ?? "0.0.0",
        ...(spec.buildTime ? { buildTime: spec.buildTime } : {}),
      },
      components.map(([path, source]) => ({ path, source })),
      spec.signingKey,
    );

    // Slot A on the ESP holds what the agent would have installed from that bundle, but its root.
    const espDir = join(scratch, "esp");
    const { bootloader } = espFolders(espDir);
    copyFileSync(
      join(at("systemd-boot-efi"), "usr/lib/systemd/boot/efi/systemd-bootx64.efi"),
      join(bootloader, "BOOTX64.EFI"),
    );
    const slotA = join(espDir, metalLayout.slotsDir, "a");
    mkdirSync(slotA, { recursive: true });
    for (const [path, source] of components)
      if (path !== metalLayout.rootImage) copyFileSync(source, join(slotA, path));
    writeText(slotA, installedManifest, `${JSON.stringify(manifest, null, 2)}\n`);
    slotBoot(espDir, scratch).provision("a", spec.version, kernelOptions("a", verity));
    const esp = join(scratch, "esp.img");
    espImage(espDir, esp, sizes.espMiB);

    const state = ext4(scratch, "STATE", ids.state, sizes.stateMiB);
    const ephemeral = ext4(scratch, "EPHEMERAL", ids.ephemeral, sizes.ephemeralMiB);
    const disk = join(spec.output, `keelson-${spec.version}.raw`);
    writeGptDisk(disk, ids.disk, [
      {
        name: "KEELSON-ESP",
        type: partitionTypes.esp,
        uuid: ids.esp,
        sizeMiB: sizes.espMiB,
        content: esp,
      },
      {
        name: rootLabel("a"),
        type: partitionTypes.rootX86_64,
        uuid: ids.rootA,
        sizeMiB: sizes.rootMiB,
        content: root,
      },
      {
        name: rootLabel("b"),
        type: partitionTypes.rootX86_64,
        uuid: ids.rootB,
        sizeMiB: sizes.rootMiB,
      },
      {
        name: "KEELSON-STATE",
        type: partitionTypes.linuxData,
        uuid: ids.state,
        sizeMiB: sizes.stateMiB,
        content: state,
      },
      {
        name: "KEELSON-EPHEMERAL",
        type: partitionTypes.linuxData,
        uuid: ids.ephemeral,
        sizeMiB: sizes.ephemeralMiB,
        content: ephemeral,
      },
    ]);

    return {
      disk,
      bundle,
      manifest,
      kernel: kernelVersion,
      verity,
      executables,
      bytes: {
        disk: statSync(disk).size,
        bundle: statSync(bundle).size,
        root: statSync(root).size,
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The boot partition's slots, each slot's kernel and initramfs in its folder on the ESP. */
function slotBoot(espDir: string, scratch: string): BootControl {
  return new BootControl(
    new LoaderDirectory(espDir),
    new FileVariables(join(scratch, "efivars")),
    () => true,
    slotKernelFiles,
  );
}

function writeText(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** The initramfs: keelson-init as /init, the modules it loads (in order), the mount points. */
function initramfs(init: string, modules: readonly string[]): Buffer {
  const entries: CpioEntry[] = [
    { path: "init", type: "file", mode: 0o755, data: readFileSync(init) },
    {
      path: "modules",
      type: "file",
      mode: 0o644,
      data: Buffer.from(moduleList(modules)),
    },
    ...["dev", "proc", "sys", "newroot", "lib", "lib/modules"].map(
      (path) => ({ path, type: "dir", mode: 0o755 }) as const,
    ),
    ...modules.map((m) => ({
      path: `lib/modules/${basename(m)}`,
      type: "file" as const,
      mode: 0o644,
      data: readFileSync(m),
    })),
  ];
  return gzipSync(cpioArchive(entries), { level: 9 });
}

/** An empty ext4 filesystem image (its label at most 16 bytes), made reproducible (fixed UUID, hash seed and time). */
function ext4(scratch: string, label: string, uuid: string, sizeMiB: number): string {
  const file = join(scratch, `${label}.img`);
  execFileSync(
    "mke2fs",
    [
      "-q",
      "-F",
      "-t",
      "ext4",
      "-L",
      label,
      "-U",
      uuid,
      "-E",
      `hash_seed=${uuid},root_owner=0:0`,
      file,
      `${sizeMiB}M`,
    ],
    { env: { ...process.env, E2FSPROGS_FAKE_TIME: "315532800" } },
  );
  return file;
}
