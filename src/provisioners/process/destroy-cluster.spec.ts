import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { destroyCluster } from "./destroy-cluster";

const home = mkdtempSync(join(tmpdir(), "keelson-destroy-"));
const previousHome = process.env.KEELSON_HOME;
process.env.KEELSON_HOME = home;
after(() => {
  if (previousHome === undefined) delete process.env.KEELSON_HOME;
  else process.env.KEELSON_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

const mounted = (dir: string) => readFileSync("/proc/self/mounts", "utf8").includes(` ${dir} `);

describe("destroyCluster", () => {
  // Mounting needs root; npm test runs as root, as containerd does.
  const skip = process.getuid?.() !== 0 && "mounting needs root; run the tests as root";
  it("finishes a destroy interrupted half-way: no record, a mount left behind", {
    skip,
  }, async () => {
    const dir = join(home, "clusters", "half");
    const rootfs = join(dir, "nodes", "worker-1", "containerd", "state", "rootfs");
    mkdirSync(rootfs, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", rootfs]);
    assert.ok(mounted(rootfs));
    await destroyCluster("half", join(home, "config"));
    assert.equal(mounted(rootfs), false);
    assert.equal(existsSync(dir), false);
  });

  it("names an unknown cluster", async () => {
    await assert.rejects(
      destroyCluster("nope", join(home, "config")),
      /no local cluster named "nope"/,
    );
  });
});
