import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { runKeelctl } from "../testing/run-keelctl";
import { startTempCluster, type TempCluster } from "../testing/temp-cluster";

describe("keelctl against a real local cluster", () => {
  let cluster: TempCluster;
  const keelctl = (...args: string[]) => runKeelctl(cluster.env, ...args);

  before(async () => {
    cluster = await startTempCluster({ workers: 2 });
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("fans out to every node of the context and prints a NODE column", async () => {
    const { code, stdout } = await keelctl("version");
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n");
    assert.match(lines[0] ?? "", /^NODE\s+ROLE\s+AGENT/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/)[0]),
      ["cp-1", "worker-1", "worker-2"],
    );
  });

  it("gives a down or unknown node its own error and exit 1, without aborting the others", async () => {
    const { code, stdout } = await keelctl(
      "-n",
      "cp-1,127.0.0.254,ghost,worker-1",
      "-o",
      "json",
      "hostname",
    );
    assert.equal(code, 1);
    const items = JSON.parse(stdout) as {
      node: string;
      result?: { hostname: string };
      error?: { code: string; message: string };
    }[];
    assert.deepEqual(
      items.map((i) => i.node),
      ["cp-1", "127.0.0.254", "ghost", "worker-1"],
    );
    assert.equal(items[0]?.result?.hostname, "cp-1");
    assert.equal(items[1]?.error?.code, "unavailable");
    assert.equal(items[2]?.error?.code, "notFound");
    assert.match(items[2]?.error?.message ?? "", /unknown node "ghost"/);
    assert.equal(items[3]?.result?.hostname, "worker-1");
  });

  it("selects a class of nodes by role and prints YAML", async () => {
    const { code, stdout } = await keelctl("--selector", "role=worker", "-o", "yaml", "services");
    assert.equal(code, 0);
    const items = parse(stdout) as {
      node: string;
      result: { services: { id: string; state: string }[] };
    }[];
    assert.deepEqual(
      items.map((i) => i.node),
      ["worker-1", "worker-2"],
    );
    assert.ok(
      items.every((i) => i.result.services.some((s) => s.id === "apid" && s.state === "running")),
    );
  });

  it("streams a service log and events, and reads allowed files only", async () => {
    const logs = await keelctl("-n", "cp-1", "logs", "apid", "--tail", "5");
    assert.equal(logs.code, 0);
    assert.match(logs.stdout, /serving the node API|by admin/);
    const events = await keelctl("-n", "cp-1", "events");
    assert.match(events.stdout, /booted image/);
    const read = await keelctl("-n", "cp-1", "read", "/etc/os-release");
    assert.match(read.stdout, /NAME=/);
    const denied = await keelctl("-n", "cp-1", "read", "/etc/passwd");
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /outside the paths this node allows/);
  });

  it("writes a reader config whose certificate is denied admin calls, naming the role", async () => {
    const path = join(cluster.home, "reader.yaml");
    assert.equal(
      (await keelctl("-n", "cp-1", "config", "new", path, "--roles", "os:reader")).code,
      0,
    );
    const ok = await keelctl("--config", path, "-n", "cp-1", "memory");
    assert.equal(ok.code, 0);
    const denied = await keelctl("--config", path, "-n", "cp-1", "reboot");
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /Reboot needs role os:admin or os:operator or os:upgrader/);
    const badRole = await keelctl("-n", "cp-1", "config", "new", path, "--roles", "os:root");
    assert.match(badRole.stderr, /unknown roles: os:root/);
  });

  it("explains a broken client config and an unknown context", async () => {
    const broken = join(cluster.home, "broken.yaml");
    writeFileSync(broken, "contexts:\n  x:\n    ca: nope\n");
    const bad = await keelctl("--config", broken, "version");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /contexts\.x\.ca: ca must be PEM-encoded/);
    assert.match(bad.stderr, /contexts\.x\.crt/);
    const missing = await keelctl("--context", "nope", "version");
    assert.match(missing.stderr, /context "nope" not found/);
    const notYaml = join(cluster.home, "not-yaml.yaml");
    writeFileSync(notYaml, "contexts: [unclosed");
    assert.match((await keelctl("--config", notYaml, "version")).stderr, /not valid YAML/);
  });

  it("shows the cluster as JSON and prints a completion script", async () => {
    const show = await keelctl("cluster", "show", "--name", cluster.record.name, "-o", "json");
    const shown = JSON.parse(show.stdout) as {
      name: string;
      provisioner: string;
      nodes: { name: string; role: string; address: string }[];
    };
    assert.equal(shown.provisioner, "process");
    assert.deepEqual(
      shown.nodes.map((n) => n.role),
      ["controlplane", "worker", "worker"],
    );
    assert.ok(shown.nodes.every((n) => /^127\.0\.\d+\.\d+$/.test(n.address)));
    const completion = await keelctl("completion", "bash");
    assert.match(completion.stdout, /complete -F _keelctl keelctl/);
    assert.match(completion.stdout, /version/);
  });
});
