// Child process of agent.bench.ts: calls Version back to back over one
// connection with keelson's own client and prints the latencies (ms) as JSON.
// Run as its own process so the client's garbage collector is configured like
// any long-running API client, not like the benchmark harness.
import { readFileSync } from "node:fs";
import { connectMachine } from "../src/machinery/client";

const [address, credentialsPath, warmup, measured] = process.argv.slice(2);
if (!address || !credentialsPath) throw new Error("usage: rpc-latency ADDRESS CREDENTIALS.json");
const conn = connectMachine(address, JSON.parse(readFileSync(credentialsPath, "utf8")), 5000);
const latencies: number[] = [];
const total = Number(warmup ?? 500) + Number(measured ?? 5000);
for (let i = 0; i < total; i++) {
  const started = performance.now();
  await conn.client.version({});
  if (i >= Number(warmup ?? 500)) latencies.push(performance.now() - started);
}
conn.close();
process.stdout.write(JSON.stringify(latencies));
