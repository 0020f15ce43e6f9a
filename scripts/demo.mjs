// The README's first command: a local cluster (with Kubernetes, simulated by
// kubesim), shown answering over the API. The cluster keeps running after.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { installSystemPackages } from "./system-packages.mjs";

installSystemPackages();
const root = join(import.meta.dirname, "..");
const keelctl = join(root, "dist", "keelctl.mjs");
const home = process.env.KEELSON_HOME || join(homedir(), ".keelson");
const kubeconfig = join(home, "clusters", "demo", "kubernetes", "kubeconfig");
const reader = join(home, "demo-reader.yaml");
const signingKey = join(home, "clusters", "demo", "signing-key.pem");
const bundle = join(home, "demo-upgrade.bundle");
const fleetBundle = join(home, "demo-fleet.bundle");
const plan = join(home, "demo-plan.yaml");

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
/** An argument as a shell user would type it. */
const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

/** Shows a command and runs it; some steps show an error on purpose and the demo goes on. */
function show(title, command, args) {
  const shown = command === process.execPath ? ["keelctl", ...args.slice(1)] : [command, ...args];
  console.log(`\n${bold(`$ ${shown.map(quote).join(" ")}`)}   # ${title}`);
  try {
    execFileSync(command, args, { stdio: "inherit" });
  } catch {}
}
const step = (title, ...args) => show(title, process.execPath, [keelctl, ...args]);
const kubectl = (title, ...args) => show(title, "kubectl", ["--kubeconfig", kubeconfig, ...args]);

try {
  execFileSync(process.execPath, [keelctl, "cluster", "destroy", "--name", "demo"], {
    stdio: "ignore",
  });
} catch {}

step(
  "three nodes (agent processes on their own loopback addresses) and kubesim",
  "cluster",
  "create",
  "--name",
  "demo",
  "--workers",
  "2",
  "--demo-workload",
);
step("one call, every node", "--context", "demo", "version");
step("a class of nodes", "--context", "demo", "--selector", "role=worker", "health");
step(
  "system services: API, kubelet slot, containerd, etcd, healthd (a container)",
  "--context",
  "demo",
  "-n",
  "cp-1",
  "services",
);
step("the API's own log", "--context", "demo", "-n", "cp-1", "logs", "apid", "--tail", "3");
step("memory, as JSON", "--context", "demo", "-n", "worker-1", "-o", "json", "memory");
step(
  "a configuration change, applied live",
  "--context",
  "demo",
  "-n",
  "worker-1",
  "config",
  "patch",
  "-p",
  "machine: {logging: {level: debug}}",
);
step(
  "every configuration is a revision",
  "--context",
  "demo",
  "-n",
  "worker-1",
  "config",
  "history",
);
kubectl("the nodes as Kubernetes sees them", "get", "nodes", "-o", "wide");
kubectl(
  "the demo workload, once its pods are ready",
  "wait",
  "--for=condition=Ready",
  "pods",
  "--all",
  "-n",
  "demo",
  "--timeout=120s",
);
kubectl("where it runs", "get", "pods", "-n", "demo", "-o", "wide");
step(
  "a graceful reboot, waiting until the node is back",
  "--context",
  "demo",
  "-n",
  "worker-2",
  "reboot",
  "--wait",
);
step(
  "a signed OS image, built from this tree with the cluster's key",
  "image",
  "build",
  "--version",
  "0.2.0",
  "--signing-key",
  signingKey,
  "--output-file",
  bundle,
);
step(
  "an A/B upgrade: written to the other slot, booted on trial, committed once healthy",
  "--context",
  "demo",
  "-n",
  "worker-2",
  "upgrade",
  "--image",
  bundle,
  "--wait",
);
step("both slots, and which one runs", "--context", "demo", "-n", "worker-2", "slots");
step(
  "the next release, for the whole fleet",
  "image",
  "build",
  "--version",
  "0.3.0",
  "--signing-key",
  signingKey,
  "--output-file",
  fleetBundle,
);
writeFileSync(
  plan,
  `apiVersion: upgrade.keelson.io/v1alpha1
kind: UpgradePlan
metadata:
  name: demo-0.3.0
spec:
  image: ${fleetBundle}
  maxUnavailable: 1
  canary: {soak: 5s}
`,
);
show("an UpgradePlan: one node at a time, control plane first, a canary", "cat", [plan]);
step(
  "staged while serving, then cordon, drain (PDBs respected), reboot, verify, uncordon",
  "--context",
  "demo",
  "upgrade",
  "cluster",
  "-f",
  plan,
);
step("what the node did and why", "--context", "demo", "-n", "worker-2", "events", "--tail", "8");
step(
  "one node down never aborts the others",
  "--context",
  "demo",
  "-n",
  "cp-1,127.0.0.254",
  "hostname",
);
step(
  "a least-privilege client certificate",
  "--context",
  "demo",
  "-n",
  "cp-1",
  "config",
  "new",
  reader,
  "--roles",
  "os:reader",
);
step("reader may look but not act", "--config", reader, "-n", "cp-1", "reboot");

console.log(`
The cluster "demo" keeps running. Try:
  npx keelctl --context demo processes -n worker-1
  npx keelctl --context demo logs kubelet -f -n worker-1
  kubectl --kubeconfig ${kubeconfig} drain worker-1 --ignore-daemonsets --delete-emptydir-data
  npx keelctl cluster destroy --name demo`);
