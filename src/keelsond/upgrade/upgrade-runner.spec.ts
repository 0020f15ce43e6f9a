import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { FileVariables } from "../../machinery/boot";
import { generateSigningKey } from "../../machinery/bundle";
import { fixture } from "../../machinery/config/test-fixtures";
import { KeelsonError } from "../../machinery/errors";
import { treeSnapshot } from "../../testing/tree-snapshot";
import { UpgradeFixture } from "./testing/upgrade-fixture";
import type { Progress, UpgradeRequest } from "./upgrade-runner";

function request(path: string, extra: Partial<UpgradeRequest> = {}): UpgradeRequest {
  return {
    source: { kind: "path", path },
    stage: true,
    tries: 3,
    forceDowngrade: false,
    actor: "test",
    admin: false,
    ...extra,
  };
}

async function refused(promise: Promise<unknown>): Promise<KeelsonError> {
  return promise.then(
    () => assert.fail("expected a refusal"),
    (error: unknown) => KeelsonError.from(error),
  );
}

describe("the upgrade runner", () => {
  let f: UpgradeFixture;
  const noSignal = () => new AbortController().signal;

  beforeEach(async () => {
    f = new UpgradeFixture();
    await f.install();
  });
  afterEach(() => f.remove());

  it("writes the inactive slot, reads it back and arms it with its tries; staged, no reboot", async () => {
    const phases: string[] = [];
    const bundle = await f.bundle({ version: "1.1.0", bytes: 3 * 1024 * 1024 });
    await f.upgrades().run(request(bundle), (p: Progress) => phases.push(p.phase), noSignal());
    assert.deepEqual([...new Set(phases)], ["fetch", "verify", "write", "check", "arm", "staged"]);
    const state = f.boot().control.state();
    assert.equal(state.next, "b");
    assert.deepEqual(
      state.slots.map((s) => [s.slot, s.version, s.committed, s.triesLeft]),
      [
        ["a", "1.0.0", true, undefined],
        ["b", "1.1.0", false, 3],
      ],
    );
    assert.deepEqual(f.reboots, []);
    const upgrades = f.upgrades();
    await upgrades.run(request(bundle, { stage: false, tries: 2 }), () => {}, noSignal());
    assert.deepEqual(f.reboots, ["upgrade to 1.1.0"]);
    assert.equal(f.boot().control.state().slots[1]?.triesLeft, 2);
  });

  it("stages the kubelet version with the slot, and refuses one it cannot take before writing", async () => {
    const bundle = await f.bundle({ version: "1.1.0" });
    const untouched = () => treeSnapshot(f.paths.boot);
    const before = untouched();
    const unconfigured = await refused(
      f.upgrades().run(request(bundle, { kubernetesVersion: "v1.32.1" }), () => {}, noSignal()),
    );
    assert.match(unconfigured.message, /no configuration yet/);
    const { workerText } = await fixture();
    await f.config().apply({
      yaml: workerText,
      mode: "auto",
      dryRun: false,
      tryTimeoutMs: 0,
      author: "test",
    });
    const bad = await refused(
      f.upgrades().run(request(bundle, { kubernetesVersion: "latest" }), () => {}, noSignal()),
    );
    assert.match(bad.message, /"latest" is not a version like v1\.32\.1/);
    assert.equal(untouched(), before, "no slot armed");

    const messages: string[] = [];
    await f
      .upgrades()
      .run(
        request(bundle, { kubernetesVersion: "1.32.1" }),
        (p) => messages.push(p.message),
        noSignal(),
      );
    assert.ok(messages.includes("staged: the next reboot boots 1.1.0 with kubelet 1.32.1"));
    const pointer = f.config().history().pointer;
    assert.equal(pointer?.stagedFor, "B");
    const staged = f.config().get(pointer?.staged);
    assert.match(staged.yaml, /image: ghcr\.io\/keelson\/kubelet:v1\.32\.1/);
    // Writing the slot again takes the kubelet change with it.
    await f.upgrades().run(request(bundle), () => {}, noSignal());
    assert.equal(f.config().history().pointer?.staged, undefined);
  });

  it("refuses bad bundles before writing anything: the inactive slot keeps its bytes", async () => {
    await f.upgrades().run(request(await f.bundle({ version: "1.0.5" })), () => {}, noSignal());
    const untouched = () =>
      `${treeSnapshot(join(f.paths.slots, "b"))}\n${treeSnapshot(f.paths.boot)}`;
    const before = untouched();
    const good = await f.bundle({ version: "1.1.0" });
    const tamper = (from: string, name: string, change: (b: Buffer) => Buffer) => {
      const path = join(f.dir, name);
      writeFileSync(path, change(readFileSync(from)));
      return path;
    };
    const cases: [string, string, RegExp, Partial<UpgradeRequest>?][] = [
      [
        "tampered",
        tamper(good, "tampered.bundle", (b) => {
          b[b.length - 100] = (b[b.length - 100] ?? 0) ^ 1;
          return b;
        }),
        /digest/,
      ],
      ["unsigned", await f.bundle({ version: "1.1.0", key: undefined }), /not signed/],
      [
        "wrong key",
        await f.bundle({ version: "1.1.0", key: generateSigningKey() }),
        /does not trust/,
      ],
      [
        "truncated",
        tamper(good, "truncated.bundle", (b) => b.subarray(0, b.length - 7)),
        /truncated/,
      ],
      ["wrong architecture", await f.bundle({ version: "1.1.0", arch: "riscv64" }), /riscv64/],
      ["wrong target", await f.bundle({ version: "1.1.0", target: "metal" }), /metal image/],
      ["downgrade", await f.bundle({ version: "0.9.0" }), /downgrade/],
      [
        "forced downgrade by a non-admin",
        await f.bundle({ version: "0.9.0" }),
        /os:admin/,
        { forceDowngrade: true },
      ],
      [
        "too old to upgrade from",
        await f.bundle({ version: "2.0.0", minUpgradeFrom: "1.5.0" }),
        /1\.5\.0/,
      ],
      [
        "not a bundle",
        tamper(good, "zip.bundle", () => Buffer.from("PK not a bundle")),
        /not a Keelson bundle/,
      ],
    ];
    for (const [what, path, pattern, extra] of cases) {
      const e = await refused(f.upgrades().run(request(path, extra), () => {}, noSignal()));
      assert.match(e.message, pattern, `${what}: ${e.message}`);
      assert.equal(untouched(), before, `${what} wrote nothing`);
    }
    const small = await refused(
      f
        .upgrades(1024 * 1024)
        .run(
          request(await f.bundle({ version: "1.1.0", bytes: 2 * 1024 * 1024 })),
          () => {},
          noSignal(),
        ),
    );
    assert.equal(small.code, "resourceExhausted");
    assert.equal(untouched(), before, "a bundle larger than the slot wrote nothing");
  });

  it("an admin may force a downgrade", async () => {
    const older = await f.bundle({ version: "0.9.0" });
    await f
      .upgrades()
      .run(request(older, { forceDowngrade: true, admin: true }), () => {}, noSignal());
    assert.equal(f.boot().control.state().slots[1]?.version, "0.9.0");
  });

  it("one upgrade at a time: a second is refused with ABORTED naming the first, which goes on", async () => {
    const bundle = readFileSync(await f.bundle({ version: "1.1.0", bytes: 256 * 1024 }));
    let release: (() => void) | undefined;
    const server = await serve((res) => {
      res.writeHead(200, { "content-length": bundle.length });
      res.write(bundle.subarray(0, 1000));
      release = () => res.end(bundle.subarray(1000));
    });
    try {
      const upgrades = f.upgrades();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/b`;
      const sha256 = createHash("sha256").update(bundle).digest("hex");
      const first = upgrades.run(
        request("", { source: { kind: "url", url, sha256 } }),
        () => {},
        noSignal(),
      );
      while (!release) await new Promise((r) => setImmediate(r));
      const second = await refused(
        upgrades.run(request(await f.bundle({ version: "1.2.0" })), () => {}, noSignal()),
      );
      assert.equal(second.code, "aborted");
      assert.ok(
        second.message.includes(url) && /already in flight/.test(second.message),
        second.message,
      );
      release();
      await first;
      assert.equal(f.boot().control.state().slots[1]?.version, "1.1.0");
    } finally {
      server.close();
    }
  });

  it("URLs: the pinned digest, truncation and stalls are clear errors that write nothing", async () => {
    const bundle = readFileSync(await f.bundle({ version: "1.1.0" }));
    const sha256 = createHash("sha256").update(bundle).digest("hex");
    const before = treeSnapshot(f.paths.boot);
    const server = await serve((res, path) => {
      if (path === "/whole") {
        res.end(bundle);
        return;
      }
      res.writeHead(200, { "content-length": bundle.length });
      if (path === "/cut") res.write(bundle.subarray(0, 5000), () => res.destroy());
      else res.write(bundle.subarray(0, 5000)); // and then nothing
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = (path: string, digest = sha256) =>
        refused(
          f
            .upgrades(undefined, 300)
            .run(
              request("", { source: { kind: "url", url: `${base}${path}`, sha256: digest } }),
              () => {},
              noSignal(),
            ),
        );
      assert.match((await run("/whole", "0".repeat(64))).message, /not the pinned/);
      assert.match((await run("/cut")).message, /broke off after 5000|truncated at 5000/);
      assert.match((await run("/stall")).message, /stalled/);
      assert.match((await run("/whole", "short")).message, /sha256 pinned/);
      assert.equal(treeSnapshot(f.paths.boot), before);
      assert.deepEqual(readdirSync(join(f.dir, "spool")), [], "no download left behind");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("refuses to upgrade a boot on trial: that would overwrite the only committed image", async () => {
    await f.upgrades().run(request(await f.bundle({ version: "1.1.0" })), () => {}, noSignal());
    const vars = new FileVariables(f.paths.efivars);
    vars.set("LoaderEntrySelected", "keelson-b+3.conf");
    // The launcher renamed the entry when it booted it:
    const entries = join(f.paths.boot, "loader", "entries");
    execFileSync("mv", [join(entries, "keelson-b+3.conf"), join(entries, "keelson-b+2-1.conf")]);
    vars.set("LoaderBootCountPath", "\\loader\\entries\\keelson-b+2-1.conf");
    const e = await refused(
      f.upgrades().run(request(await f.bundle({ version: "1.2.0" })), () => {}, noSignal()),
    );
    assert.equal(e.code, "failedPrecondition");
    assert.match(e.message, /on trial/);
  });

  it("a full disk while writing: resourceExhausted, the slot unarmed, the committed image untouched", async (t) => {
    if (process.getuid?.() !== 0)
      return t.skip(
        "mounting a small tmpfs needs root: npm test as root (as .ci/run runs it) covers a full disk",
      );
    const small = join(f.dir, "small");
    mkdirSync(small);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", small]);
    try {
      // The node's slots on a 2 MiB disk: slot A fits, a 3 MiB image does not.
      execFileSync("cp", ["-a", join(f.paths.slots, "a"), small]);
      execFileSync("rm", ["-rf", f.paths.slots]);
      execFileSync("ln", ["-s", small, f.paths.slots]);
      const committed = treeSnapshot(join(small, "a"));
      const bundle = await f.bundle({ version: "1.1.0", bytes: 3 * 1024 * 1024 });
      const e = await refused(f.upgrades().run(request(bundle), () => {}, noSignal()));
      assert.equal(e.code, "resourceExhausted", e.message);
      assert.match(e.message, /no space left writing slot B/);
      const state = f.boot().control.state();
      assert.deepEqual(
        state.slots.map((s) => s.slot),
        ["a"],
      );
      assert.equal(state.next, "a");
      assert.equal(treeSnapshot(join(small, "a")), committed);
    } finally {
      execFileSync("umount", [small]);
    }
  });
});

function serve(handle: (res: ServerResponse, path: string) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => handle(res, req.url ?? "/"));
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
