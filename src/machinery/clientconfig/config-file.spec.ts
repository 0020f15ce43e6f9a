import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import type { ClientConfig } from "./client-config";
import { parseClientConfig, readClientConfig, writeClientConfig } from "./config-file";

const dir = mkdtempSync(join(tmpdir(), "client-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const pem = (kind: string) => `-----BEGIN ${kind}-----\nAAAA\n-----END ${kind}-----\n`;
const config: ClientConfig = {
  context: "lab",
  contexts: {
    lab: {
      ca: pem("CERTIFICATE"),
      crt: pem("CERTIFICATE"),
      key: pem("PRIVATE KEY"),
      endpoints: [{ name: "cp-1", address: "127.0.2.1", role: "controlplane" }],
      nodes: ["cp-1"],
    },
  },
};

describe("client config file", () => {
  it("is written as JSON (which is YAML), owner-only, and reads back the same", async () => {
    const path = join(dir, "written");
    await writeClientConfig(path, config);
    const text = readFileSync(path, "utf8");
    assert.deepEqual(JSON.parse(text), config);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(await readClientConfig(path), config);
  });

  it("reads hand-written YAML, block or flow style, to the same config", async () => {
    assert.deepEqual(await parseClientConfig(stringify(config), "block.yaml"), config);
    const flow = `{context: lab, contexts: {lab: ${JSON.stringify(config.contexts.lab)}}}`;
    assert.deepEqual(await parseClientConfig(flow, "flow.yaml"), config);
  });

  it("names the file and the problem when it is broken", async () => {
    const path = join(dir, "broken");
    writeFileSync(path, "contexts: [unclosed");
    await assert.rejects(readClientConfig(path), /client config .*broken is not valid YAML/);
    await assert.rejects(
      parseClientConfig('{"contexts": {"x": {"ca": "nope"}}}', "bad.json"),
      /client config bad\.json is invalid: .*contexts\.x\.ca: ca must be PEM-encoded/,
    );
    assert.deepEqual(await readClientConfig(join(dir, "missing")), { contexts: {} });
  });
});
