import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeelsonError } from "../errors";

export interface LoopbackSubnet {
  /** X of 127.0.X.0/24. */
  subnet: number;
  /** The address of host `n` (1–254) in it. */
  address(host: number): string;
}

export interface SubnetRequest {
  /** Host numbers that must be free (1–254). */
  hosts: readonly number[];
  /** Ports every one of those hosts must be able to listen on. */
  ports: readonly number[];
  /**
   * A path that exists for as long as the subnet is in use (a cluster's
   * folder): the reservation holds until it is gone, even while every node
   * reboots. Without one it lapses after two minutes.
   */
  owner?: string;
}

/** How long a reservation holds while its owner starts listening on the addresses. */
const reservationMs = 120_000;
const first = 10;
const last = 249;

/**
 * Allocates a loopback /24 (127.0.X.0) whose requested hosts can listen on
 * the requested ports, so each local node serves the standard ports at an
 * address of its own. Subnets are tried in order; one is taken only when a
 * bind on every address and port succeeds and a reservation file (created
 * exclusively, so two processes allocating at once never get the same one)
 * could be made. It holds while its owner exists.
 */
export async function allocateLoopbackSubnet(request: SubnetRequest): Promise<LoopbackSubnet> {
  for (let x = first; x <= last; x++) {
    const subnet = loopbackSubnet(x);
    if (!reserve(x, request.owner ?? "")) continue;
    if (await allFree(subnet, request)) return subnet;
    release(x);
  }
  throw new KeelsonError(
    "resourceExhausted",
    `no free loopback subnet 127.0.X.0/24 (X ${first}–${last}) for ${request.hosts.length} hosts`,
    "destroy local clusters you no longer need: keelctl cluster list",
  );
}

export function loopbackSubnet(x: number): LoopbackSubnet {
  return { subnet: x, address: (host) => `127.0.${x}.${host}` };
}

function reservationPath(x: number): string {
  return join(tmpdir(), `keelson-loopback-127.0.${x}.0`);
}

function reserve(x: number, owner: string): boolean {
  const path = reservationPath(x);
  if (existsSync(path)) {
    if (held(path)) return false;
    rmSync(path, { force: true });
  }
  try {
    writeFileSync(path, owner, { flag: "wx" });
    return true;
  } catch {
    return false; // Someone else reserved it just now.
  }
}

/** A reservation holds while its owner exists, or for a while when it has none. */
function held(path: string): boolean {
  try {
    const owner = readFileSync(path, "utf8");
    return owner ? existsSync(owner) : Date.now() - statSync(path).mtimeMs < reservationMs;
  } catch {
    return false;
  }
}

function release(x: number): void {
  rmSync(reservationPath(x), { force: true });
}

async function allFree(subnet: LoopbackSubnet, request: SubnetRequest): Promise<boolean> {
  for (const host of request.hosts)
    for (const port of request.ports)
      if (!(await canListen(subnet.address(host), port))) return false;
  return true;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
