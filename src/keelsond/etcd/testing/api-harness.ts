import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MachineService } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { upsertContext } from "../../../machinery/clientconfig";
import { createCa, issue } from "../../../machinery/pki";
import { startApiServer } from "../../server";
import { etcdHandlers } from "../etcd-handlers";
import type { EtcdMember } from "../etcd-member";

/**
 * The node API serving only the etcd RPCs for one member, behind the real
 * mTLS server and roles table, and a keelctl that talks to it.
 */
export async function startEtcdApi(member: EtcdMember, name: string, address: string) {
  const os = await createCa("os-ca");
  const serving = await issue({ commonName: name, hosts: [address], usage: "server" }, os);
  const admin = await issue(
    { commonName: "admin", organizations: ["os:admin"], usage: "client" },
    os,
  );
  const server = await startApiServer({
    address,
    port: 0,
    ca: os.cert,
    cert: serving.cert,
    key: serving.key,
    routes: (router) => router.service(MachineService, etcdHandlers({ etcd: member })),
  });
  const home = mkdtempSync(join(tmpdir(), "keelson-etcd-api-"));
  const config = join(home, "config");
  const endpoints = [{ name, address: `${address}:${server.port}`, role: "controlplane" as const }];
  await upsertContext(config, "etcd", {
    ca: os.cert,
    crt: admin.cert,
    key: admin.key,
    endpoints,
    nodes: [],
  });
  return {
    home,
    /** Runs `keelctl -o json --config … <args>`; returns what it printed and its exit code. */
    keelctl: (...args: string[]) => keelctl(["--config", config, "-o", "json", ...args]),
    close: async () => {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** keelctl in a process of its own, as a user runs it. */
async function keelctl(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  const main = fileURLToPath(new URL("../../../keelctl/main.ts", import.meta.url));

  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", main, ...args],
      { timeout: 60_000 },
      (error, stdout) => resolve({ stdout, exitCode: error ? Number(error.code ?? 1) : 0 }),
    );
  });
}
