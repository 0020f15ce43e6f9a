import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { validateConfig } from "../../machinery/config";

const run = promisify(execFile);
const commands = join(import.meta.dirname, "config-tools.ts");

/**
 * Runs the config tools in a child process, as main.ts would (errors printed,
 * exit code 1): capturing a test's own stdout would swallow the test runner's
 * report. Only these commands are mounted; program.ts registers them for real.
 */
const runner = `
import { Command } from "commander";
import { addConfigToolCommands } from ${JSON.stringify(commands)};
const program = new Command("keelctl").option("-o, --output <format>", "", "table");
addConfigToolCommands(program);
program.parseAsync(process.argv.slice(1), { from: "user" }).catch((e) => {
  process.stderr.write("error: " + e.message + "\\n");
  process.exitCode = 1;
});`;

async function keelctl(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      runner,
      "--",
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("keelctl gen and validate", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "keelson-config-tools-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gen secrets writes an owner-only bundle and refuses to overwrite it without --force", async () => {
    const file = join(dir, "secrets.yaml");
    assert.equal((await keelctl("gen", "secrets", "--output-file", file)).code, 0);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const first = await readFile(file, "utf8");
    assert.match(
      (await keelctl("gen", "secrets", "--output-file", file)).stderr,
      /error: refusing to overwrite/,
    );
    assert.equal(await readFile(file, "utf8"), first);
    assert.equal((await keelctl("gen", "secrets", "--output-file", file, "--force")).code, 0);
    assert.notEqual(await readFile(file, "utf8"), first);
  });

  it("gen config writes valid configs for both roles and a client config, with patches applied", async () => {
    const secrets = join(dir, "secrets.yaml");
    const patch = join(dir, "patch.yaml");
    await writeFile(patch, "machine:\n  time:\n    servers: [ntp.example.com]\n");
    const outDir = join(dir, "out");
    const result = await keelctl(
      "gen",
      "config",
      "lab",
      "https://10.5.0.1:6443",
      "--with-secrets",
      secrets,
      "--output-dir",
      outDir,
      "--config-patch",
      `@${patch}`,
      "--config-patch-worker",
      '[{"op": "add", "path": "/machine/hostname", "value": "w1"}]',
    );
    assert.equal(result.code, 0, result.stderr);
    const worker = await readFile(join(outDir, "worker.yaml"), "utf8");
    const cp = await readFile(join(outDir, "controlplane.yaml"), "utf8");
    assert.equal(
      validateConfig(worker, { strict: true, expectRole: "worker", expectCluster: "lab" }).valid,
      true,
    );
    assert.equal(
      validateConfig(cp, { strict: true, expectRole: "controlplane", expectCluster: "lab" }).valid,
      true,
    );
    assert.match(worker, /servers:\n\s+- ntp.example.com/);
    assert.match(worker, /hostname: w1/);
    assert.doesNotMatch(cp, /hostname: w1/);
    const client = parse(await readFile(join(outDir, "keelconfig"), "utf8")) as { context: string };
    assert.equal(client.context, "lab");
    await assert.rejects(stat(join(outDir, "secrets.yaml")), /ENOENT/);
    const again = await keelctl(
      "gen",
      "config",
      "lab",
      "https://10.5.0.1:6443",
      "--output-dir",
      outDir,
    );
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /refusing to overwrite .*controlplane\.yaml, .*worker\.yaml, .*keelconfig/,
    );
  });

  it("validate prints every problem as FILE:LINE:COL path: message and fails", async () => {
    const file = join(dir, "out", "worker.yaml");
    const text = await readFile(file, "utf8");
    const broken = join(dir, "broken.yaml");
    await writeFile(
      broken,
      text
        .replace("level: info", "level: loud")
        .replace("type: worker", "type: worker\n  colour: blue"),
    );
    const result = await keelctl("validate", "-c", broken, "--role", "controlplane");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /broken\.yaml has 3 problems/);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.length, 3);
    assert.match(
      lines[0] ?? "",
      /^.+broken\.yaml:4:3 machine\.type: this config is for a worker, but the node is a controlplane$/,
    );
    assert.match(lines[1] ?? "", /^.+broken\.yaml:5:3 machine\.colour: unknown field "colour"/);
    assert.match(
      lines[2] ?? "",
      /^.+broken\.yaml:\d+:5 machine\.logging\.level: expected debug, info, warn or error$/,
    );
  });

  it("validate passes a good config and reports as JSON with -o json", async () => {
    const file = join(dir, "out", "controlplane.yaml");
    const ok = await keelctl("validate", "-c", file, "--strict");
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /is valid \(MachineConfig, ClusterConfig\)/);
    const json = await keelctl("-o", "json", "validate", "-c", file, "--role", "worker");
    const report = JSON.parse(json.stdout) as {
      valid: boolean;
      problems: { path: string; line: number }[];
    };
    assert.equal(report.valid, false);
    assert.ok(report.problems.some((p) => p.path === "machine.type" && p.line === 4));
  });
});
