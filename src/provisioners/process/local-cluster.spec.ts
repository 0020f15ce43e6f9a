import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { eventually } from "../../testing/eventually";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";
import { distPath } from "../dist-path";

const run = promisify(execFile);

/**
 * A local cluster with Kubernetes: each node's supervised kubelet service
 * runs the simulated kubelet its platform hands it, so a reboot through the
 * Keelson API is seen by Kubernetes, and real kubectl drains the nodes.
 */
describe("local cluster with kubesim", () => {
  let cluster: TempCluster;
  const kubectl = (...args: string[]) =>
    run("kubectl", ["--kubeconfig", cluster.record.kubernetes?.kubeconfig ?? "", ...args], {
      timeout: 120_000,
    });
  const keelctl = (...args: string[]) =>
    run(process.execPath, [distPath("keelctl.mjs"), ...args], { env: cluster.env });
  /** The Ready condition's status: True, False or Unknown (no heartbeats). */
  const readiness = async (node: string) =>
    (
      await kubectl(
        "get",
        "node",
        node,
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      )
    ).stdout;

  before(async () => {
    // 0.25: a 40 s node-monitor grace period becomes 10 s, so a busy machine does not miss it.
    cluster = await startTempCluster({
      workers: 2,
      kubernetes: { demoWorkload: true, timeScale: 0.25 },
    });
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("registers every node through its kubelet service and runs the demo workload", async () => {
    const nodes = (await kubectl("get", "nodes", "-o", "name")).stdout.trim().split("\n");
    assert.deepEqual(nodes.sort(), ["node/cp-1", "node/worker-1", "node/worker-2"]);
    const services = JSON.parse((await keelctl("-n", "worker-1", "-o", "json", "services")).stdout);
    assert.ok(
      services[0].result.services.some(
        (s: { id: string; state: string }) => s.id === "kubelet" && s.state === "running",
      ),
    );
    await kubectl("-n", "demo", "rollout", "status", "deployment/web", "--timeout=60s");
  });

  it("sees a node rebooted through the API come back as a new boot, Ready", async () => {
    const bootId = () =>
      kubectl("get", "node", "worker-2", "-o", "jsonpath={.status.nodeInfo.bootID}");
    const before = (await bootId()).stdout;
    await keelctl("-n", "worker-2", "reboot", "--wait");
    await kubectl("wait", "--for=condition=Ready", "node/worker-2", "--timeout=60s");
    await eventually(
      "the kubelet registered again after the reboot",
      async () => (await bootId()).stdout !== before,
    );
    assert.equal(await readiness("worker-2"), "True");
    assert.match((await keelctl("-n", "worker-2", "events")).stdout, /action reboot/);
  });

  it("drains a worker with real kubectl, respecting the PDB, and uncordons it", async () => {
    const drained = await kubectl(
      "drain",
      "worker-1",
      "--ignore-daemonsets",
      "--delete-emptydir-data",
      "--timeout=90s",
    );
    assert.match(drained.stdout, /node\/worker-1 drained/);
    const pods = (
      await kubectl(
        "get",
        "pods",
        "-n",
        "demo",
        "-o",
        "wide",
        "--field-selector",
        "spec.nodeName=worker-1",
      )
    ).stdout;
    assert.doesNotMatch(pods, /web-|db-/, "only DaemonSet pods stay");
    await kubectl("uncordon", "worker-1");
    const node = JSON.parse((await kubectl("get", "node", "worker-1", "-o", "json")).stdout);
    assert.notEqual(node.spec.unschedulable, true);
  });

  it("marks a node that went silent NotReady and unreachable", async () => {
    await keelctl("-n", "worker-2", "shutdown");
    await eventually("worker-2 Unknown", async () => (await readiness("worker-2")) === "Unknown");
    const taints = (
      await kubectl("get", "node", "worker-2", "-o", "jsonpath={.spec.taints[*].key}")
    ).stdout;
    assert.match(taints, /node\.kubernetes\.io\/unreachable/);
  });
});
