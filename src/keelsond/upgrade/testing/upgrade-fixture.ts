import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileVariables } from "../../../machinery/boot";
import {
  type BundleKey,
  generateSigningKey,
  installToDirectory,
  publicKeyOf,
  readBundleHeader,
  trustedKeysFile,
  writeBundle,
} from "../../../machinery/bundle";
import { hostArchitecture } from "../../../machinery/platform/host-architecture";
import { ConfigManager } from "../../config/config-manager";
import { RevisionStore } from "../../config/revision-store";
import { EventLog } from "../../events";
import type { Lifecycle } from "../../lifecycle";
import { type Platform, platformSchema, type StatePaths, statePaths } from "../../state";
import { kubeletChange } from "../kubelet-change";
import { type NodeBoot, nodeBoot } from "../node-boot";
import { Upgrades } from "../upgrade-runner";

export interface BundleOptions {
  version: string;
  bytes?: number;
  key?: BundleKey | undefined;
  arch?: string;
  target?: "process" | "metal";
  minUpgradeFrom?: string;
}

/**
 * A node's boot state on disk without the node: slot A holds a committed
 * 1.0.0 image that trusts `key`, the loader variables say A booted. The
 * upgrade code runs against it exactly as in the agent.
 */
export class UpgradeFixture {
  readonly paths: StatePaths;
  readonly reboots: string[] = [];
  private count = 0;
  private configs: ConfigManager | undefined;

  constructor(
    readonly dir = mkdtempSync(join(tmpdir(), "keelson-upgrade-")),
    readonly key = generateSigningKey(),
  ) {
    this.paths = statePaths(join(this.dir, "node"));
  }

  /** The fixture another process made in `dir` (its key is not needed to run upgrades). */
  static at(dir: string): UpgradeFixture {
    return new UpgradeFixture(dir);
  }

  platform(slotBytes = 64 * 1024 * 1024): Platform {
    return platformSchema.parse({ platform: "process", address: "127.0.0.1", boot: { slotBytes } });
  }

  /** Installs 1.0.0 into slot A, committed, and boots it. */
  async install(): Promise<void> {
    const bundle = await this.bundle({ version: "1.0.0" });
    const header = await readBundleHeader(bundle, [publicKeyOf(this.key.publicKey)]);
    await installToDirectory(bundle, header, join(this.paths.slots, "a"));
    this.boot().control.provision("a", "1.0.0");
    new FileVariables(this.paths.efivars).set("LoaderEntrySelected", "keelson-a.conf");
  }

  /** The node's configuration for this boot, as the agent keeps it (empty until something is applied). */
  config(): ConfigManager {
    if (!this.configs) {
      this.configs = new ConfigManager(
        new RevisionStore(this.paths.config),
        new EventLog(this.paths.events),
        () => {},
      );
      this.configs.boot(this.boot().image);
    }
    return this.configs;
  }

  boot(slotBytes?: number): NodeBoot {
    return nodeBoot(this.paths, this.platform(slotBytes));
  }

  upgrades(slotBytes?: number, fetchStallMs?: number): Upgrades {
    const boot = this.boot(slotBytes);
    const lifecycle = {
      request: (r: { reason: string }) => {
        this.reboots.push(r.reason);
        return { inFlight: {}, joined: false };
      },
    } as unknown as Lifecycle;
    return new Upgrades({
      boot: boot.control,
      slots: boot.slots,
      journal: boot.journal,
      events: new EventLog(this.paths.events),
      lifecycle,
      configuredKeys: () => [],
      kubelet: kubeletChange(this.config()),
      runningVersion: boot.image.version,
      arch: hostArchitecture(),
      target: "process",
      spoolDir: join(this.dir, "spool"),
      ...(fetchStallMs ? { fetchStallMs } : {}),
    });
  }

  /** A bundle of random bytes standing in for an image; it trusts the fixture's key. */
  async bundle(options: BundleOptions): Promise<string> {
    const n = this.count++;
    const payload = join(this.dir, `payload-${n}`);
    writeFileSync(payload, randomBytes(options.bytes ?? 64 * 1024));
    const keys = join(this.dir, `keys-${n}.pem`);
    writeFileSync(keys, this.key.publicKey);
    const output = join(this.dir, `bundle-${n}.bundle`);
    await writeBundle(
      output,
      {
        version: options.version,
        arch: options.arch ?? hostArchitecture(),
        target: options.target ?? "process",
        minUpgradeFrom: options.minUpgradeFrom ?? "0.0.0",
      },
      [
        { path: "keelsond.mjs", source: payload },
        { path: trustedKeysFile, source: keys },
      ],
      "key" in options ? options.key : this.key,
    );
    return output;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
