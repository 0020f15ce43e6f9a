/**
 * The rollout benchmark's cluster, in a process of its own (forked by
 * rollout.bench.ts) so the controller's figures are its own: kubesim, a
 * virtual fleet whose nodes' pods take their drawn time to stop, a virtual
 * agent per node on its own loopback address and port 50000 that reboots in
 * its drawn time, and the bundles served over HTTP for the nodes to fetch.
 */
import { createPublicKey } from "node:crypto";
import { createReadStream, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import { startKubesim } from "../src/kubesim";
import { startVirtualAgents } from "../src/kubesim/fleet";
import type { PemPair } from "../src/machinery/pki";
import {
  allocateLoopbackSubnet,
  type LoopbackSubnet,
} from "../src/machinery/platform/loopback-subnet";

export interface FleetSetup {
  dir: string;
  drainMs: number[];
  rebootMs: number[];
  ca: PemPair;
  /** The bundles' signing key (SPKI PEM): what the nodes trust. */
  publicKey: string;
  /** Where the bundles are: each served at /bundles/NAME. */
  bundleDir: string;
}

export interface FleetReady {
  kubeconfigPath: string;
  /** Bundles are at this URL and their file name. */
  bundleBaseUrl: string;
  setupMs: number;
}

export interface FleetReport {
  /** Nodes per running version, committed. */
  committed: Record<string, number>;
  /** Nodes per number of reboots. */
  boots: Record<string, number>;
  cpuSeconds: number;
  peakRssMiB: number;
}

const hostsPerSubnet = 250;

async function addressesFor(count: number, owner: string): Promise<string[]> {
  const subnets: LoopbackSubnet[] = [];
  for (let left = count; left > 0; left -= hostsPerSubnet) {
    const hosts = Array.from({ length: Math.min(left, hostsPerSubnet) }, (_, i) => i + 1);
    subnets.push(await allocateLoopbackSubnet({ hosts, ports: [50000], owner }));
  }
  return Array.from({ length: count }, (_, i) =>
    (subnets[Math.floor(i / hostsPerSubnet)] as LoopbackSubnet).address((i % hostsPerSubnet) + 1),
  );
}

async function start(setup: FleetSetup): Promise<void> {
  const started = Date.now();
  const count = setup.drainMs.length;
  const addresses = await addressesFor(count, setup.dir);
  const sim = await startKubesim({
    dir: setup.dir,
    port: 0,
    virtualNodes: count,
    virtualFleet: {
      prefix: "node-",
      node: (i) => ({ address: addresses[i] ?? "", timing: { podStopMs: setup.drainMs[i] ?? 0 } }),
    },
  });
  const fleet = sim.fleet;
  if (!fleet) throw new Error("kubesim started no fleet");
  await fleet.ready;
  const http = createServer((req, res) => {
    createReadStream(join(setup.bundleDir, basename(req.url ?? "")))
      .on("error", () => res.writeHead(404).end())
      .pipe(res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const spoolDir = join(setup.dir, "spool");
  mkdirSync(spoolDir, { recursive: true });
  const agents = await startVirtualAgents({
    fleet,
    ca: setup.ca,
    trustedKeys: [createPublicKey(setup.publicKey)],
    version: "0.1.0",
    spoolDir,
    node: (i) => ({ address: addresses[i] ?? "", rebootMs: setup.rebootMs[i] ?? 0 }),
    onError: (error) => console.error(`a virtual node did not come back: ${error}`),
  });
  const ready: FleetReady = {
    kubeconfigPath: sim.kubeconfigPath,
    bundleBaseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/bundles/`,
    setupMs: Date.now() - started,
  };
  process.send?.({ ready });
  process.on("message", async (message) => {
    if (message === "report") {
      const committed: Record<string, number> = {};
      const boots: Record<string, number> = {};
      for (const agent of agents.agents.values()) {
        const running = agent.slots.running;
        if (running.committed) committed[running.version] = (committed[running.version] ?? 0) + 1;
        boots[agent.boots()] = (boots[agent.boots()] ?? 0) + 1;
      }
      const usage = process.resourceUsage();
      const report: FleetReport = {
        committed,
        boots,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
        peakRssMiB: Math.round(usage.maxRSS / 1024),
      };
      process.send?.({ report });
    } else if (message === "stop") {
      await agents.close();
      http.close();
      await sim.close();
      process.exit(0);
    }
  });
}

process.once("message", (setup) => {
  start(setup as FleetSetup).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
process.on("disconnect", () => process.exit(0));
