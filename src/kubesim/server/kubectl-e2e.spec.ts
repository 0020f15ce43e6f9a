import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { debianKubectl } from "../../../scripts/debian-kubectl.mjs";
import { field } from "../api";
import { applyDemoWorkload } from "../demo/demo-workload";
import { configMaps } from "../resources/core/config";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import { conditionStatus, nodeNameOf } from "../resources/pod-helpers";
import { eventually, runKubectl, startTestCluster, type TestCluster } from "../testing";

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: upgradeplans.keelson.dev}
spec:
  group: keelson.dev
  scope: Namespaced
  names: {plural: upgradeplans, singular: upgradeplan, kind: UpgradePlan, shortNames: [up]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Version, type: string, jsonPath: .spec.version}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [version]
            properties:
              version: {type: string}
              concurrency: {type: integer, minimum: 1}
`;

function deployment(name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: "nginx:1.27" }] },
      },
    },
  });
}

// Both generations a newcomer meets: the machine's own kubectl (1.32 here) and Debian 12's (1.20).
const debian = debianKubectl();
const kubectls = [
  { name: "the machine's kubectl", binary: "kubectl", skip: false as string | false },
  {
    name: "Debian 12's kubectl 1.20",
    binary: debian.path ?? "",
    // npm test fetches it (scripts/debian-kubectl.mjs: apt-get download kubernetes-client,
    // dpkg-deb -x into a cache); only a machine without Debian's package registry lacks it.
    skip: debian.path
      ? false
      : `${debian.reason ?? "unavailable"}: needs Debian's package registry for apt-get download kubernetes-client`,
  },
];

for (const { name, binary, skip } of kubectls)
  describe(`real kubectl against kubesim: ${name}`, { skip }, () => {
    let c: TestCluster;
    const kubectl = (...args: string[]) =>
      runKubectl(c.sim.kubeconfigPath, args, undefined, binary);
    const kubectlIn = (input: string, ...args: string[]) =>
      runKubectl(c.sim.kubeconfigPath, args, input, binary);

    before(async () => {
      c = await startTestCluster({ virtualNodes: 3 });
      await applyDemoWorkload({ credentials: c.sim.credentials });
    });
    after(async () => c.stop());

    it("gets nodes and pods with -o wide", async () => {
      const got = await kubectl("get", "nodes", "-o", "wide");
      assert.equal(got.code, 0, got.stderr);
      assert.match(got.stdout, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP/);
      assert.equal(got.stdout.match(/vnode-\d\s+Ready\s/g)?.length, 3);
      await eventually("demo pods running", () =>
        c.sim.registry
          .list(pods, "demo")
          .entries.every((e) => field(e.obj, "status", "phase") === "Running"),
      );
      const list = await kubectl("get", "pods", "-A", "-o", "wide");
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
      assert.match(
        list.stdout,
        /demo\s+db-0\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+vnode-\d/,
      );
    });

    it("cordons and uncordons", async () => {
      assert.equal((await kubectl("cordon", "vnode-2")).code, 0);
      assert.match((await kubectl("get", "node", "vnode-2")).stdout, /Ready,SchedulingDisabled/);
      assert.equal(field(c.sim.registry.get(nodes, "", "vnode-2"), "spec", "unschedulable"), true);
      assert.equal((await kubectl("uncordon", "vnode-2")).code, 0);
      assert.doesNotMatch((await kubectl("get", "node", "vnode-2")).stdout, /SchedulingDisabled/);
    });

    it("drains a node: waits while a PDB blocks, finishes once the workload has moved", async () => {
      const registry = c.sim.registry;
      await kubectl("cordon", "vnode-1");
      await kubectl("cordon", "vnode-2");
      assert.equal((await kubectlIn(deployment("guarded", 2), "apply", "-f", "-")).code, 0);
      const pdb = JSON.stringify({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "guarded", namespace: "default" },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: "guarded" } } },
      });
      assert.equal((await kubectlIn(pdb, "apply", "-f", "-")).code, 0);
      const guarded = () =>
        registry.list(pods, "default", { labelSelector: "app=guarded" }).entries.map((e) => e.obj);
      await eventually(
        "both guarded pods ready on vnode-0",
        () =>
          guarded().filter(
            (p) => conditionStatus(p, "Ready") === "True" && nodeNameOf(p) === "vnode-0",
          ).length === 2,
      );
      await kubectl("uncordon", "vnode-1");
      await kubectl("uncordon", "vnode-2");
      const drain = await kubectl(
        "drain",
        "vnode-0",
        "--ignore-daemonsets",
        "--delete-emptydir-data",
        "--timeout=80s",
      );
      assert.equal(drain.code, 0, drain.stderr);
      assert.match(
        drain.stderr + drain.stdout,
        /Cannot evict pod as it would violate the pod's disruption budget/,
      );
      // kubectl 1.20 reports the finished drain as "evicted", later ones as "drained".
      assert.match(drain.stdout, /node\/vnode-0 (drained|evicted)/);
      const moved = guarded().filter((p) => !p.metadata.deletionTimestamp);
      assert.ok(
        moved.every((p) => nodeNameOf(p) !== "vnode-0"),
        "no guarded pod left on the drained node",
      );
      assert.equal((await kubectl("uncordon", "vnode-0")).code, 0);
    });

    it("applies a CRD and a custom resource, prints its columns, rejects invalid ones with 422", async () => {
      assert.equal((await kubectlIn(crd, "apply", "-f", "-")).code, 0);
      const cr =
        "apiVersion: keelson.dev/v1alpha1\nkind: UpgradePlan\nmetadata: {name: fleet, namespace: default}\nspec: {version: '1.2.0', concurrency: 2}\n";
      const applied = await kubectlIn(cr, "apply", "-f", "-");
      assert.equal(applied.code, 0, applied.stderr);
      const got = await kubectl("get", "up");
      assert.match(got.stdout, /NAME\s+VERSION\s+AGE\nfleet\s+1\.2\.0\s/);
      const bad = await kubectlIn(
        cr.replace("concurrency: 2", "concurrency: 0"),
        "apply",
        "-f",
        "-",
      );
      assert.notEqual(bad.code, 0);
      assert.match(
        bad.stderr,
        /is invalid: spec\.concurrency: Invalid value: 0: spec\.concurrency in body should be greater than or equal to 1/,
      );
    });

    it("creates with the typed generators (protobuf bodies from newer kubectls)", async () => {
      for (const args of [
        ["create", "namespace", "gen"],
        ["create", "configmap", "gen-cm", "-n", "gen", "--from-literal=a=b"],
        ["create", "secret", "generic", "gen-secret", "-n", "gen", "--from-literal=k=v"],
        ["create", "deployment", "gen-deploy", "-n", "gen", "--image=nginx:1.27", "--replicas=2"],
      ]) {
        const created = await kubectl(...args);
        assert.equal(created.code, 0, `${args.join(" ")}: ${created.stderr}`);
        assert.match(created.stdout, /created/);
      }
      const cm = JSON.parse(
        (await kubectl("get", "configmap", "gen-cm", "-n", "gen", "-o", "json")).stdout,
      );
      assert.deepEqual(cm.data, { a: "b" });
      const secret = JSON.parse(
        (await kubectl("get", "secret", "gen-secret", "-n", "gen", "-o", "json")).stdout,
      );
      assert.equal(Buffer.from(secret.data.k, "base64").toString(), "v");
      const deploy = JSON.parse(
        (await kubectl("get", "deployment", "gen-deploy", "-n", "gen", "-o", "json")).stdout,
      );
      assert.equal(deploy.spec.replicas, 2);
    });

    it("applies server-side: field owners, conflicts with another manager, --force-conflicts", async () => {
      const config = (value: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: default}\ndata: {owned: "${value}"}\n`;
      const first = await kubectlIn(config("1"), "apply", "--server-side", "-f", "-");
      assert.equal(first.code, 0, first.stderr);
      // (kubectl 1.20 has no --show-managed-fields; the stored object says the same.)
      const got = c.sim.registry.get(configMaps, "default", "ssa");
      const entries = got.metadata.managedFields as { manager: string; operation: string }[];
      assert.deepEqual(
        entries.map((e: { manager: string; operation: string }) => [e.manager, e.operation]),
        [["kubectl", "Apply"]],
      );
      const other = await kubectlIn(
        config("2"),
        "apply",
        "--server-side",
        "--field-manager=other",
        "-f",
        "-",
      );
      assert.notEqual(other.code, 0);
      assert.match(other.stderr, /conflict with "kubectl".*\.data\.owned/s);
      const forced = await kubectlIn(
        config("2"),
        "apply",
        "--server-side",
        "--field-manager=other",
        "--force-conflicts",
        "-f",
        "-",
      );
      assert.equal(forced.code, 0, forced.stderr);
      const after = JSON.parse((await kubectl("get", "configmap", "ssa", "-o", "json")).stdout);
      assert.equal(after.data.owned, "2");
    });

    it("patches with merge, strategic merge and JSON patches", async () => {
      const base = JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "patched", namespace: "default" },
        data: { a: "1" },
      });
      assert.equal((await kubectlIn(base, "create", "-f", "-")).code, 0);
      for (const [type, patch] of [
        ["merge", '{"data":{"b":"2"}}'],
        ["strategic", '{"data":{"c":"3"}}'],
        ["json", '[{"op":"remove","path":"/data/a"}]'],
      ]) {
        const patched = await kubectl(
          "patch",
          "configmap",
          "patched",
          "--type",
          type as string,
          "-p",
          patch as string,
        );
        assert.equal(patched.code, 0, `${type}: ${patched.stderr}`);
      }
      const got = JSON.parse((await kubectl("get", "configmap", "patched", "-o", "json")).stdout);
      assert.deepEqual(got.data, { b: "2", c: "3" });
    });

    it("explains built-in and custom kinds from the server's OpenAPI", async () => {
      const containers = await kubectl("explain", "pod.spec.containers");
      assert.equal(containers.code, 0, containers.stderr);
      assert.match(containers.stdout, /DESCRIPTION/);
      assert.match(containers.stdout, /image/);
      const custom = await kubectl("explain", "upgradeplan.spec");
      assert.equal(custom.code, 0, custom.stderr);
      assert.match(custom.stdout, /version/);
    });

    it("refuses a manifest with a field its kind does not have", async () => {
      const bad = JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "bad", namespace: "default" },
        data: {},
        bogusField: 1,
      });
      const created = await kubectlIn(bad, "create", "-f", "-");
      assert.notEqual(created.code, 0);
      // Newer kubectls leave it to the server (fieldValidation=Strict); 1.20 validates against /openapi/v2.
      assert.match(
        created.stderr,
        /unknown field "bogusField"|unknown field "bogusField" in io\.k8s\.api\.core\.v1\.ConfigMap/,
      );
    });

    it("streams changes with get -w", async () => {
      const child = spawn(binary, [
        "--kubeconfig",
        c.sim.kubeconfigPath,
        "get",
        "configmaps",
        "-w",
        "--output-watch-events",
      ]);
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      try {
        const configMap = JSON.stringify({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "watched", namespace: "default" },
          data: { a: "b" },
        });
        const created = await kubectlIn(configMap, "apply", "-f", "-");
        assert.equal(created.code, 0, created.stderr);
        await eventually("ADDED event printed", () => /ADDED\s+watched/.test(out));
        assert.equal((await kubectl("delete", "configmap", "watched")).code, 0);
        await eventually("DELETED event printed", () => /DELETED\s+watched/.test(out));
      } finally {
        child.kill();
      }
    });

    it("waits for a rebooted node to be Ready again", async () => {
      const fleet = c.sim.fleet;
      assert.ok(fleet);
      fleet.silence("vnode-1");
      await eventually("vnode-1 NotReady", async () =>
        /vnode-1\s+NotReady|vnode-1\s+Unknown/.test(
          (await kubectl("get", "node", "vnode-1")).stdout,
        ),
      );
      const taints = field(c.sim.registry.get(nodes, "", "vnode-1"), "spec", "taints") as {
        key: string;
      }[];
      assert.ok(taints.some((t) => t.key === "node.kubernetes.io/unreachable"));
      await fleet.restart("vnode-1");
      const wait = await kubectl("wait", "--for=condition=Ready", "node/vnode-1", "--timeout=30s");
      assert.equal(wait.code, 0, wait.stderr);
      assert.match(wait.stdout, /node\/vnode-1 condition met/);
    });

    it("deletes a Deployment and garbage-collects its ReplicaSets and pods", async () => {
      assert.equal((await kubectl("delete", "deployment", "guarded")).code, 0);
      await eventually(
        "guarded pods gone",
        () =>
          c.sim.registry.list(pods, "default", { labelSelector: "app=guarded" }).entries.length ===
          0,
      );
      const rs = await kubectl("get", "rs", "-n", "default", "-o", "name");
      assert.doesNotMatch(rs.stdout, /guarded/);
    });

    it("reports errors as a real server does", async () => {
      const missing = await kubectl("get", "pod", "nope");
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Error from server \(NotFound\): pods "nope" not found/);
      const exists = await kubectlIn(
        JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "demo" } }),
        "create",
        "-f",
        "-",
      );
      assert.match(exists.stderr, /Error from server \(AlreadyExists\)/);
    });
  });
