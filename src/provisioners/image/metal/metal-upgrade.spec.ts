import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type {
  UpgradeProgress,
  UpgradeRequest,
} from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
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
import { issue } from "../../../machinery/pki";
import { allocateLoopbackSubnet } from "../../../machinery/platform/loopback-subnet";
import { eventually } from "../../../testing/eventually";
import { type Accelerator, accelerator } from "../../qemu/accelerator";
import { QemuMachine, userNetwork, userNetworkPlatform } from "../../qemu/qemu-machine";
import type { TestFault } from "../test-faults";
import { buildMetalImage, type MetalImage } from "./metal-image";

/**
 * The failures the image must survive by itself. A crashing agent is proven
 * on process nodes (the same agent and boot counting); under emulation each
 * boot costs a minute, so it is not repeated here.
 */
const faults = ["hang", "unhealthy", "panic"] as const satisfies readonly TestFault[];

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
  let apiHost = "";
  let platform: Record<string, string> = {};
  let credentials: Credentials;
  before(async () => {
    accel = (await accelerator()).accelerator;
    dir = mkdtempSync(join(tmpdir(), "metal-upgrade-"));
    key = generateSigningKey();
    v1 = await buildMetalImage({ version: "0.1.0", output: join(dir, "v1"), signingKey: key });
    v2 = await buildMetalImage({ version: "0.2.0", output: join(dir, "v2"), signingKey: key });
    for (const fault of faults)
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
  async function upgrade(
    bundle: string,
    tries: number,
    onProgress: (p: UpgradeProgress) => void = () => {},
  ): Promise<void> {
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
      // Progress: the bundle written to the other slot and the ESP, read back, armed; then the reboot.
      for await (const p of connection.client.upgrade(request as UpgradeRequest)) onProgress(p);
    } finally {
      connection.close();
    }
  }

  /** The node's machine (again, on the same disk after a kill): the platform hands it the same record. */
  function start(disk: string): QemuMachine {
    return new QemuMachine({
      dir: mkdtempSync(join(dir, "vm-")),
      disk,
      accelerator: accel,
      diesWithParent: true,
      apiAddress: apiHost,
      platform,
    });
  }

  /** The boot state once `running` runs committed (a reboot under TCG: minutes). */
  function committed(running: string) {
    return eventually(
      `${running} committed`,
      async () => {
        const s = await call(api, credentials, (c) => c.bootState({}));
        return s.runningVersion === running && s.runningCommitted ? s : undefined;
      },
      boots,
    );
  }

  it("boots with the platform's configuration, then upgrades v1 → v2 through its API and commits slot B after the health gate", async () => {
    const secrets = await generateSecrets();
    const configs = await generateConfigs({
      clusterName: "metal",
      endpoint: `https://${userNetwork.address}:6443`,
      secrets,
    });
    const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: dir });
    apiHost = subnet.address(1);
    api = `${apiHost}:50000`;
    const context = Object.values(configs.clientConfig.contexts)[0];
    assert.ok(context);
    credentials = { ca: context.ca, cert: context.crt, key: context.key };
    // A worker: no etcd to wait for at every boot (the QEMU cluster spec runs etcd on the image).
    const config = applyPatches(configs.worker, [
      {
        type: "strategic",
        // An image that never becomes healthy gives up after this; a good one passes in seconds.
        documents: [
          {
            machine: {
              hostname: "metal-1",
              install: { disk: "/dev/vda" },
              upgrade: { healthTimeoutSeconds: 45 },
              // Static, from the configuration: the platform gives no address.
              network: {
                interfaces: [
                  {
                    name: "eth0",
                    addresses: [`${userNetwork.address}/${userNetwork.prefix}`],
                    routes: [{ network: "0.0.0.0/0", gateway: userNetwork.gateway }],
                  },
                ],
                nameservers: ["10.0.2.3"],
              },
            },
          },
        ],
      },
    ]);
    const { network: _, ...given } = userNetworkPlatform(
      { apiAliases: [apiHost], containerRuntime: false },
      stringifyConfig(config),
    );
    // The platform's identity for the node: a worker holds no CA key to make its own.
    const serving = await issue(
      { commonName: "metal-1", hosts: [userNetwork.address, apiHost], usage: "server" },
      { cert: secrets.certs.os.crt, key: secrets.certs.os.key },
    );
    platform = { ...given, "server.crt": serving.cert, "server.key": serving.key };
    machine = start(v1.disk);
    const version = await eventually(
      "the configured API",
      () => call(api, credentials, (c) => c.version({})),
      { timeoutMs: 300_000, intervalMs: 1000 },
    );
    assert.equal(version.osImageVersion, "0.1.0");
    assert.equal(version.role, "worker");

    await upgrade(v2.bundle, 3);
    const state = await committed("0.2.0");
    assert.equal(state.runningSlot, "B");
    assert.match(machine.console(), /root KEELSON-ROOT-B mounted and verified/);
    const slots = Object.fromEntries(state.slots.map((s) => [s.name, s]));
    assert.equal(slots.A?.version, "0.1.0", "the old image stays as the fallback");
    assert.equal(slots.A?.committed, true);
  });

  it("rolls back to v1 through its API: slot A boots, and v2 stays in B", async () => {
    assert.ok(machine, "the machine of the first test");
    const answer = await call(api, credentials, (c) => c.rollback({}));
    assert.equal(answer.version, "0.1.0");
    const state = await committed("0.1.0");
    assert.equal(state.runningSlot, "A");
    const slots = Object.fromEntries(state.slots.map((s) => [s.name, s]));
    assert.equal(slots.B?.version, "0.2.0", "the image rolled back from is kept");
    assert.equal(slots.B?.committed, true);
  });

  it("comes up on the committed slot when QEMU is killed while the node writes the other one", async () => {
    assert.ok(machine, "the machine of the first test");
    const image = broken.panic;
    assert.ok(image);
    const running = machine;
    let killedAt = -1;
    await assert.rejects(
      upgrade(image.bundle, 1, (p) => {
        // Halfway through the bundle, the root partition is being written.
        if (p.phase === "write" && p.percent >= 50 && killedAt < 0) {
          killedAt = p.percent;
          void running.stop();
        }
      }),
      "the stream ends with the machine",
    );
    assert.ok(killedAt >= 50, "killed while writing");
    await running.stop();
    machine = start(v1.disk);
    const state = await committed("0.1.0");
    assert.equal(state.runningSlot, "A");
    const slots = Object.fromEntries(state.slots.map((s) => [s.name, s]));
    assert.notEqual(slots.B?.bootable, true, "the half-written slot is not bootable");
    assert.equal(state.lastFallback?.acknowledged ?? true, true, "no fallback: nothing was armed");
  });

  /** What each broken v3 shows before its boot is given up: on the console, or in why it fell back. */
  const symptoms: Record<
    (typeof faults)[number],
    { does: string; console?: RegExp; why?: RegExp }
  > = {
    hang: { does: "hangs (the watchdog resets it)", console: /test fault: hanging at start/ },
    unhealthy: { does: "never becomes healthy", why: /health/i },
    panic: { does: "panics the kernel", console: /Kernel panic - not syncing/ },
  };
  for (const fault of faults)
    it(`falls back to v1 by itself from a v3 that ${symptoms[fault].does}: its one try spent, systemd-boot takes the committed slot`, async () => {
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
          return fellBack && s.runningVersion === "0.1.0" && s.runningCommitted ? s : undefined;
        },
        boots,
      );
      const { console: shown, why } = symptoms[fault];
      if (shown) assert.match(machine.console().slice(from), shown);
      assert.equal(state.runningSlot, "A");
      assert.equal(state.lastFallback?.toVersion, "0.1.0");
      assert.match(state.lastFallback?.why ?? "", why ?? /./, "the fallback says why");
      // Acknowledged, so the next fault's fallback is told apart from this one.
      await call(api, credentials, (c) => c.acknowledgeFallback({}));
    });
});
