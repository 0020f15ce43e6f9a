import { createPublicKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import pc from "picocolors";
import {
  generateSigningKey,
  payloadBytes,
  publicKeyOf,
  readBundleHeader,
  signBundle,
  streamPayload,
} from "../../machinery/bundle";
import { writeNewFiles } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import { buildProcessImage, readSigningKey } from "../../provisioners/image/process-image";
import { testFaults } from "../../provisioners/image/test-faults";
import { bytes } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { renderData, renderTable } from "../lib/output";

/** The OS for a machine: a raw disk image to boot and the signed bundle that upgrades to it. */
async function buildMetal(opts: BuildOptions): Promise<void> {
  if (!opts.outputDir)
    throw new KeelsonError("invalidArgument", "--target metal needs --output-dir DIR (a folder)");
  const { buildMetalImage } = await import("../../provisioners/image/metal/metal-image");
  const { rememberBuilt } = await import("../../provisioners/image/metal/last-built");
  process.stderr.write(
    `building Keelson ${opts.version} for metal (Debian's packages are cached under ~/.keelson/cache) …\n`,
  );
  const built = await buildMetalImage({
    version: opts.version,
    output: opts.outputDir,
    ...(opts.signingKey ? { signingKey: signerOf(opts.signingKey) } : {}),
    minUpgradeFrom: opts.minUpgradeFrom,
  });
  rememberBuilt({ disk: built.disk, bundle: built.bundle, version: opts.version });
  process.stdout.write(
    `executables in the root (${built.executables.length}):\n${built.executables.map((e) => `  ${e}\n`).join("")}`,
  );
  const signed = opts.signingKey
    ? "signed"
    : pc.yellow("unsigned: sign it with keelctl image sign");
  process.stderr.write(
    `${pc.green("✓")} wrote ${built.disk} (${bytes(built.bytes.disk)}, kernel ${built.kernel}, root ${bytes(built.bytes.root)} verified by dm-verity ${built.verity.rootHash.slice(0, 12)}…) and ${built.bundle} (${bytes(built.bytes.bundle)}, ${signed})\n`,
  );
}

function signerOf(file: string): { privateKey: string; publicKey: string } {
  const privateKey = readSigningKey(file);
  const publicKey = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  return { privateKey, publicKey };
}

/** The controller's or the simulated kubelet's image: an OCI archive, which container tooling signs, not keelctl. */
async function buildController(opts: BuildOptions & { outputFile: string }): Promise<void> {
  if (opts.signingKey)
    throw new KeelsonError(
      "invalidArgument",
      "--signing-key signs OS bundles; a container image is signed by your registry tooling",
    );
  const built =
    opts.target === "kubelet"
      ? await import("../../provisioners/image/kubelet-image").then(async ({ kubeletImage }) =>
          (await import("../../provisioners/image/program-image")).writeImage(
            kubeletImage(opts.version),
            opts.outputFile,
          ),
        )
      : (await import("../../provisioners/image/controller-image")).writeControllerImage({
          version: opts.version,
          output: opts.outputFile,
          gzip: true,
        });
  process.stderr.write(
    `${pc.green("✓")} wrote ${opts.outputFile}: ${built.name} (${built.digest.slice(0, 19)}), ${bytes(built.bytes)}; load it with ctr images import or docker load\n`,
  );
}

/**
 * OS image bundles, offline: a signing key pair, a bundle built from the
 * working tree, signed (or signed again elsewhere), and verified the way a
 * node verifies it before writing a byte.
 */
export function addOsImageCommands(program: Command): void {
  const gen = group(program, "gen");
  gen
    .command("signing-key")
    .description("generate an ed25519 key pair for signing upgrade bundles (KEY and KEY.pub)")
    .option(
      "--output-file <file>",
      "where to write the private key; the public key goes to FILE.pub",
      "signing-key.pem",
    )
    .option("--force", "overwrite existing files")
    .action(async (opts: { outputFile: string; force?: boolean }) => {
      const key = generateSigningKey();
      await writeNewFiles(
        [
          { path: opts.outputFile, content: key.privateKey, mode: 0o600 },
          { path: `${opts.outputFile}.pub`, content: key.publicKey, mode: 0o644 },
        ],
        opts.force,
      );
      process.stderr.write(
        `${pc.green("✓")} wrote ${opts.outputFile} (keep it secret) and ${opts.outputFile}.pub (nodes trust it: machine.upgrade.trustedKeys)\n`,
      );
    });

  const image = group(program, "image");
  image
    .command("build")
    .description(
      "build a signed OS image bundle from the working tree (or, --target controller | kubelet, the upgrade controller's or the simulated kubelet's container image)",
    )
    .addOption(
      new Option(
        "--target <target>",
        "what boots it, or controller / kubelet for those container images",
      )
        .choices(["process", "metal", "controller", "kubelet"])
        .default("process"),
    )
    .requiredOption("--version <version>", "the OS version it installs, e.g. 1.2.3")
    .option(
      "--signing-key <file>",
      "the ed25519 private key to sign with (unsigned without one: sign it with image sign)",
    )
    .option("--output-file <file>", "where to write the bundle (process, controller)")
    .option("--output-dir <dir>", "where to write the disk image and the bundle (metal)")
    .option(
      "--trust <file>",
      "another public key the image trusts for its successors (repeatable)",
      collect,
      [],
    )
    .option("--min-upgrade-from <version>", "the oldest version it may upgrade", "0.0.0")
    .addOption(
      new Option("--test-fault <kind>", "build a deliberately broken image (tests only)")
        .choices(testFaults)
        .hideHelp(),
    )
    .action(async (opts: BuildOptions) => {
      if (opts.target === "metal") return buildMetal(opts);
      if (!opts.outputFile)
        throw new KeelsonError("invalidArgument", `--target ${opts.target} needs --output-file`);
      if (opts.target === "controller" || opts.target === "kubelet")
        return buildController({ ...opts, outputFile: opts.outputFile });
      const manifest = await buildProcessImage({
        version: opts.version,
        ...(opts.signingKey ? { signingKey: readSigningKey(opts.signingKey) } : {}),
        output: opts.outputFile,
        trust: await Promise.all(opts.trust.map((f) => readFile(f, "utf8"))),
        minUpgradeFrom: opts.minUpgradeFrom,
        ...(opts.testFault ? { testFault: opts.testFault } : {}),
      });
      const signed = opts.signingKey
        ? `signed by ${manifest.signer}`
        : pc.yellow("unsigned: sign it with keelctl image sign");
      process.stderr.write(
        `${pc.green("✓")} wrote ${opts.outputFile}: Keelson ${manifest.version} (${manifest.target}, ${manifest.arch}), ${manifest.components.length} files, ${bytes(payloadBytes(manifest))}, ${signed}\n`,
      );
    });

  image
    .command("sign <bundle>")
    .description("sign a bundle (or sign it again with another key)")
    .requiredOption("--signing-key <file>", "the ed25519 private key")
    .option("--output-file <file>", "where to write the signed bundle (default: in place)")
    .action(async (bundle: string, opts: { signingKey: string; outputFile?: string }) => {
      const manifest = await signBundle(
        bundle,
        opts.outputFile ?? bundle,
        signerOf(opts.signingKey),
      );
      process.stderr.write(
        `${pc.green("✓")} ${opts.outputFile ?? bundle}: ${manifest.version} signed by ${manifest.signer}\n`,
      );
    });

  image
    .command("verify <bundle>")
    .description("check a bundle as a node would: signature by a trusted key, size, every digest")
    .requiredOption("--trust <file>", "a public key to trust (repeatable)", collect, [])
    .action(async (bundle: string, opts: { trust: string[] }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const keys = await Promise.all(
        opts.trust.map(async (file) => {
          const text = await readFile(file, "utf8").catch((error: unknown) => {
            throw new KeelsonError("notFound", `cannot read ${file}: ${(error as Error).message}`);
          });
          return publicKeyOf(text);
        }),
      );
      const header = await readBundleHeader(bundle, keys);
      await streamPayload(bundle, header, { start() {}, chunk() {}, end() {} });
      const m = header.manifest;
      const data = {
        bundle,
        version: m.version,
        target: m.target,
        arch: m.arch,
        buildTime: m.buildTime,
        minUpgradeFrom: m.minUpgradeFrom,
        signer: m.signer,
        files: m.components.length,
        bytes: payloadBytes(m),
        verified: true,
      };
      if (global.output === "table")
        process.stdout.write(
          `${renderTable(
            ["version", "target", "arch", "signer", "files", "size", "verified"],
            [
              [
                m.version,
                m.target,
                m.arch,
                m.signer,
                m.components.length,
                bytes(payloadBytes(m)),
                true,
              ],
            ],
          )}\n`,
        );
      else process.stdout.write(`${renderData(global.output, data)}\n`);
    });
}

interface BuildOptions {
  target: "process" | "metal" | "controller" | "kubelet";
  version: string;
  signingKey?: string;
  outputFile?: string;
  outputDir?: string;
  trust: string[];
  minUpgradeFrom: string;
  testFault?: (typeof testFaults)[number];
}

/** A command group another module made (gen, image), or a new one. */
function group(program: Command, name: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
