import { createServer } from "node:net";
import { KeelsonError } from "../../machinery/errors";

/**
 * Picks a loopback /24 (127.0.X.0) whose first `count` addresses are free on
 * `port`, so every node of a local cluster listens on the standard API port
 * at an address of its own. Starts at a random X so clusters created at the
 * same moment (parallel tests) rarely probe the same subnet.
 */
export async function pickSubnet(
  count: number,
  port: number,
  taken: ReadonlySet<number>,
): Promise<number> {
  const start = 10 + Math.floor(Math.random() * 240);
  for (let i = 0; i < 240; i++) {
    const x = 10 + ((start - 10 + i) % 240);
    if (taken.has(x)) continue;
    if (await allFree(x, count, port)) return x;
  }
  throw new KeelsonError(
    "resourceExhausted",
    "no free loopback subnet 127.0.X.0/24 for a new cluster",
    "destroy clusters you no longer need",
  );
}

export function nodeAddress(subnet: number, index: number): string {
  return `127.0.${subnet}.${index + 1}`;
}

async function allFree(subnet: number, count: number, port: number): Promise<boolean> {
  for (let i = 0; i < count; i++)
    if (!(await canListen(nodeAddress(subnet, i), port))) return false;
  return true;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
