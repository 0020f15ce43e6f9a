import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import type { ClusterConfig } from "../schema/cluster-config";
import type { MachineConfig } from "../schema/machine-config";
import { tokenPattern } from "../schema/primitives";
import { fixture } from "../test-fixtures";
import { generateConfigs } from "./generate-configs";
import { parseSecrets, stringifySecrets } from "./generate-secrets";
import { generateToken } from "./token";

describe("generation", () => {
  it("makes tokens in the bootstrap shape, never the same twice", () => {
    const tokens = Array.from({ length: 50 }, generateToken);
    assert.ok(tokens.every((t) => tokenPattern.test(t)));
    assert.equal(new Set(tokens).size, tokens.length);
  });

  it("makes a secrets bundle of three distinct ECDSA CAs that survives a YAML round trip", async () => {
    const { secrets } = await fixture();
    const cas = [secrets.certs.os, secrets.certs.etcd, secrets.certs.k8s].map(
      (c) => new X509Certificate(c.crt),
    );
    assert.ok(cas.every((c) => c.ca && c.publicKey.asymmetricKeyType === "ec"));
    assert.equal(new Set(cas.map((c) => c.fingerprint256)).size, 3);
    assert.notEqual(secrets.secrets.machineToken, secrets.secrets.bootstrapToken);
    assert.deepEqual(parseSecrets(stringifySecrets(secrets)), secrets);
    assert.throws(
      () => parseSecrets("apiVersion: keelson.dev/v1alpha1\nkind: SecretsBundle\n", "s.yaml"),
      /s\.yaml has 2 problems/,
    );
  });

  it("gives control planes the signing keys and workers only the certificates", async () => {
    const { controlplane, worker, secrets } = await fixture();
    const [cpMachine, cpCluster] = controlplane as [MachineConfig, ClusterConfig];
    const [wMachine, wCluster] = worker as [MachineConfig, ClusterConfig];
    assert.equal(cpMachine.machine.ca.key, secrets.certs.os.key);
    assert.equal(cpMachine.etcd?.ca.key, secrets.certs.etcd.key);
    assert.equal(cpCluster.cluster.ca?.key, secrets.certs.k8s.key);
    assert.equal(wMachine.machine.ca.key, undefined);
    assert.equal(wMachine.etcd, undefined);
    assert.equal(wCluster.cluster.ca?.key, undefined);
    assert.equal(wCluster.cluster.secretboxEncryptionSecret, undefined);
    assert.equal(wMachine.machine.ca.crt, secrets.certs.os.crt);
  });

  it("applies patches to both roles, role patches to one, and writes an admin client config", async () => {
    const { secrets } = await fixture();
    const configs = await generateConfigs({
      clusterName: "lab",
      endpoint: "https://lab.example.com:6443",
      secrets,
      patches: [{ type: "strategic", documents: [{ machine: { logging: { level: "debug" } } }] }],
      workerPatches: [
        { type: "json", operations: [{ op: "add", path: "/machine/hostname", value: "w1" }] },
      ],
    });
    const machineOf = (docs: object[]) =>
      (docs[0] as { machine: { logging: { level: string }; hostname?: string } }).machine;
    assert.equal(machineOf(configs.controlplane).logging.level, "debug");
    assert.equal(machineOf(configs.worker).logging.level, "debug");
    assert.equal(machineOf(configs.worker).hostname, "w1");
    assert.equal(machineOf(configs.controlplane).hostname, undefined);
    const context = configs.clientConfig.contexts.lab;
    assert.equal(configs.clientConfig.context, "lab");
    const admin = new X509Certificate(context?.crt ?? "");
    assert.ok(admin.verify(new X509Certificate(secrets.certs.os.crt).publicKey));
    assert.match(admin.subject, /O=os:admin/);
  });

  it("refuses a patch that breaks a config, listing every problem", async () => {
    const { secrets } = await fixture();
    await assert.rejects(
      generateConfigs({
        clusterName: "lab",
        endpoint: "http://insecure:6443",
        secrets,
        patches: [{ type: "strategic", documents: [{ machine: { logging: { level: "loud" } } }] }],
      }),
      (error: unknown) =>
        error instanceof KeelsonError &&
        /the generated controlplane config has 2 problems:\n/.test(error.message) &&
        /cluster\.endpoint: expected an https URL/.test(error.message) &&
        /machine\.logging\.level: expected debug, info, warn or error/.test(error.message),
    );
  });
});
