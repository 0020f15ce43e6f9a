import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { UpgradeRequest } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { generateSigningKey, type SigningKeyPair } from "../../../machinery/bundle";
import {
  type Credentials,
  connectMachine,
  type MachineConnection,
  upgradeSource,
} from "../../../machinery/client";
import {
  applyPatches,
  generateConfigs,
  generateSecrets,
  stringifyConfig,
} from "../../../machinery/config";
import { allocateLoopbackSubnet } from "../../../machinery/platform/loopback-subnet";
import { eventually } from "../../../testing/eventually";
import { type Accelerator, accelerator } from "../../qemu/accelerator";
import { QemuMachine, userNetwork, userNetworkPlatform } from "../../qemu/qemu-machine";
import { type TestFault, testFaults } from "../test-faults";
import { buildMetalImage, type MetalImage } from "./metal-image";

/** A reboot under TCG, tries and watchdog resets included: minutes, asked once a second. */
const boots = { timeoutMs: 600_000, intervalMs: 1000 };

async function call<T>(
  address: string,
  credentials: Credentials,
  fn: (client: MachineConnection["client"]) => Promise<T>,
): Promise<T> {
  const connection = connectMachine(address, credentials, 20_000);
  try {
    return await fn(connection.client);
  } finally {
    connection.close();
  }
}

/**
 * The metal image configured by its platform, as a cloud image takes user
 * data, and upgraded in place through its API: the new root written to the
 * other partition, the entry armed with tries, the reboot through OVMF and
 * systemd-boot, the health gate, the commit (systemd-boot's counter renamed
 * away on the ESP). Software emulation: several minutes.
 */
describe("the metal image upgraded in place", () => {
  let dir: string;
  let key: SigningKeyPair;
  let v1: MetalImage;
  let v2: MetalImage;
  const broken: Partial<Record<TestFault, MetalImage>> = {};
  let accel: Accelerator;
  let machine: QemuMachine | undefined;
  let api = "";
  let credentials: Credentials;
  before(async () => {
    accel = (await accelerator()).accelerator;
    dir = mkdtempSync(join(tmpdir(), "metal-upgrade-"));
    key = generateSigningKey();
    v1 = await buildMetalImage({ version: "0.1.0", output: join(dir, "v1"), signingKey: key });
    v2 = await buildMetalImage({ version: "0.2.0", output: join(dir, "v2"), signingKey: key });
    for (const fault of testFaults)
      broken[fault] = await buildMetalImage({
        version: "0.3.0",
        output: join(dir, `v3-${fault}`),
        signingKey: key,
        testFault: fault,
      });
  });
  after(async () => {
    await machine?.stop();
    if (!process.env.KEEP_METAL_DIR) rmSync(dir, { recursive: true, force: true });
  });

  /** Sends a bundle through the API and lets the node arm it and reboot into it. */
  async function upgrade(bundle: string, tries: number): Promise<void> {
    const connection = connectMachine(api, credentials);
    try {
      const source = await upgradeSource(connection.client, { image: bundle });
      const request = {
        source,
        sha256: "",
        stage: false,
        tries,
        forceDowngrade: false,
        kubernetesVersion: "",
      };
      for await (const _ of connection.client.upgrade(request as UpgradeRequest)) {
        // Progress: the bundle written to the other slot and the ESP, read back, armed; then the reboot.
      }
    } finally {
      connection.close();
    }
  }

  it("boots with the platform's configuration, then upgrades v1 → v2 through its API and commits slot B after the health gate", async () => {
    const secrets = await generateSecrets();
    const configs = await generateConfigs({
      clusterName: "metal",
      endpoint: `https://${userNetwork.address}:6443`,
      secrets,
    });
    const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: dir });
    api = `${subnet.address(1)}:50000`;
    const context = Object.values(configs.clientConfig.contexts)[0];
    assert.ok(context);
    credentials = { ca: context.ca, cert: context.crt, key: context.key };
    const config = applyPatches(configs.controlplane, [
      {
        type: "strategic",
        // An image that never becomes healthy gives up after this; a good one passes in seconds.
        documents: [{ machine: { hostname: "metal-1", upgrade: { healthTimeoutSeconds: 60 } } }],
      },
    ]);
    machine = new QemuMachine({
      dir: mkdtempSync(join(dir, "vm-")),
      disk: v1.disk,
      accelerator: accel,
      diesWithParent: true,
      apiAddress: subnet.address(1),
      platform: userNetworkPlatform(
        { apiAliases: [subnet.address(1)], containerRuntime: false },
        stringifyConfig(config),
      ),
    });
    const version = await eventually(
      "the configured API",
      () => call(api, credentials, (c) => c.version({})),
      { timeoutMs: 300_000, intervalMs: 1000 },
    );
    assert.equal(version.osImageVersion, "0.1.0");
    assert.equal(version.role, "controlplane");
    await call(api, credentials, (c) => c.etcdBootstrap({}, { timeoutMs: 120_000 }));

    await upgrade(v2.bundle, 3);
    const state = await eventually(
      "0.2.0 committed",
      async () => {
        const s = await call(api, credentials, (c) => c.bootState({}));
        return s.runningVersion === "0.2.0" && s.runningCommitted ? s : undefined;
      },
      boots,
    );
    assert.equal(state.runningSlot, "B");
    assert.match(machine.console(), /Command line: .*keelson\.root=KEELSON-ROOT-B/);
    const slots = Object.fromEntries(state.slots.map((s) => [s.name, s]));
    assert.equal(slots.A?.version, "0.1.0", "the old image stays as the fallback");
    assert.equal(slots.A?.committed, true);
  });

  /** What each broken v3 shows before its boot is given up: on the console, or in why it fell back. */
  const symptoms: Record<TestFault, { console?: RegExp; why?: RegExp }> = {
    crash: { console: /test fault: crashing at start/ },
    hang: { console: /test fault: hanging at start/ },
    unhealthy: { why: /health/i },
  };
  for (const fault of testFaults)
    it(`falls back to v2 by itself from a v3 that ${fault === "crash" ? "crashes" : fault === "hang" ? "hangs (the watchdog resets it)" : "never becomes healthy"}: its one try spent, systemd-boot takes the committed slot`, async () => {
      assert.ok(machine, "the machine of the first test");
      const image = broken[fault];
      assert.ok(image);
      const from = machine.console().length;
      await upgrade(image.bundle, 1);
      const state = await eventually(
        `the fallback from ${fault}`,
        async () => {
          const s = await call(api, credentials, (c) => c.bootState({}));
          const fellBack = s.lastFallback?.fromVersion === "0.3.0" && !s.lastFallback.acknowledged;
          return fellBack && s.runningVersion === "0.2.0" && s.runningCommitted ? s : undefined;
        },
        boots,
      );
      const { console: shown, why } = symptoms[fault];
      if (shown) assert.match(machine.console().slice(from), shown);
      assert.equal(state.runningSlot, "B");
      assert.equal(state.lastFallback?.toVersion, "0.2.0");
      assert.match(state.lastFallback?.why ?? "", why ?? /./, "the fallback says why");
      // Acknowledged, so the next fault's fallback is told apart from this one.
      await call(api, credentials, (c) => c.acknowledgeFallback({}));
    });
});
