import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secretsBundleSchema } from "../generate/secrets-bundle";
import { fixture } from "../test-fixtures";
import type { ClusterConfig } from "./cluster-config";
import type { MachineConfig } from "./machine-config";
import { redactSecrets, redactValue } from "./redact-secrets";

describe("redactSecrets", () => {
  it("replaces every key and token, and nothing else", async () => {
    const { controlplane } = await fixture();
    const [machine, cluster] = redactSecrets(controlplane) as [MachineConfig, ClusterConfig];
    assert.equal(machine.machine.token, "***");
    assert.equal(machine.machine.ca.key, "***");
    assert.match(machine.machine.ca.crt, /BEGIN CERTIFICATE/);
    assert.equal(machine.etcd?.ca.key, "***");
    assert.equal(cluster.cluster.ca?.key, "***");
    assert.equal(cluster.cluster.token, "***");
    assert.equal(cluster.cluster.secretboxEncryptionSecret, "***");
    assert.equal(cluster.cluster.name, "demo");
    const text = JSON.stringify([machine, cluster]);
    assert.doesNotMatch(text, /PRIVATE KEY/);
    assert.notDeepEqual(controlplane[0], machine);
  });

  it("redacts the secrets bundle through its schema", async () => {
    const { secrets } = await fixture();
    const redacted = JSON.stringify(redactValue(secrets, secretsBundleSchema));
    assert.doesNotMatch(redacted, /PRIVATE KEY/);
    assert.doesNotMatch(redacted, new RegExp(secrets.secrets.machineToken.replace(".", "\\.")));
  });
});
