// The README's first command: a local cluster, shown answering over the API.
// Leaves the cluster running so you can keep exploring with keelctl.
import { execFileSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { installSystemPackages } from "./system-packages.mjs";

installSystemPackages();
const keelctl = join(
  import.meta.dirname ?? new URL(".", import.meta.url).pathname,
  "..",
  "dist",
  "keelctl.mjs",
);
const configPath = process.env.KEELCONFIG || join(homedir(), ".keelson", "config");

function step(title, ...args) {
  console.log(`\n\x1b[1m$ keelctl ${args.join(" ")}\x1b[0m   # ${title}`);
  try {
    execFileSync(process.execPath, [keelctl, ...args], { stdio: "inherit" });
  } catch {
    // Some steps show an error on purpose; the demo goes on.
  }
}

try {
  execFileSync(process.execPath, [keelctl, "cluster", "destroy", "--name", "demo"], {
    stdio: "ignore",
  });
} catch {}

step(
  "three nodes, each its own agent process on its own loopback address",
  "cluster",
  "create",
  "--name",
  "demo",
  "--control-planes",
  "1",
  "--workers",
  "2",
);
step("one call, every node", "--context", "demo", "version");
step("a class of nodes", "--context", "demo", "--selector", "role=worker", "health");
step("system services and their health", "--context", "demo", "-n", "cp-1", "services");
step("the API's own log", "--context", "demo", "-n", "cp-1", "logs", "apid", "--tail", "3");
step("memory, as JSON", "--context", "demo", "-n", "worker-1", "-o", "json", "memory");
step(
  "a graceful reboot, waiting for the node to come back",
  "--context",
  "demo",
  "-n",
  "worker-2",
  "reboot",
  "--wait",
);
step("what the node did and why", "--context", "demo", "-n", "worker-2", "events", "--tail", "4");
step(
  "one node down never aborts the others",
  "--context",
  "demo",
  "-n",
  "cp-1,127.0.0.254",
  "hostname",
);
const reader = join(homedir(), ".keelson", "demo-reader.yaml");
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
  npx keelctl --context demo logs apid -f
  npx keelctl cluster destroy --name demo
(client config: ${configPath})`);
