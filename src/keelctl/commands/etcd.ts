import { createHash } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import type { Client } from "@connectrpc/connect";
import type { Command } from "commander";
import * as api from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../../machinery/errors";
import { callNodes } from "../lib/call-nodes";
import { bytes } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { addUnaryCommand } from "../lib/node-command";
import { printResults } from "../lib/print-results";
import { openSession } from "../lib/session";

type Machine = Client<typeof api.MachineService>;

/** `keelctl bootstrap` and `keelctl etcd …`: the control planes' etcd cluster. */
export function addEtcdCommands(program: Command): void {
  program
    .command("bootstrap")
    .description("form the etcd cluster on the first control plane (once per cluster)")
    .action(async (_opts, command: Command) => {
      // The node bounds the wait for its new member itself; no client deadline here.
      await run(command, (c) => c.etcdBootstrap({}).then((r) => r.message), ["result"], true);
    });
  const etcd = program.command("etcd").description("inspect and manage the etcd cluster");
  addUnaryCommand(etcd, {
    name: "members",
    description: "list the cluster's members, each checked for health",
    schema: api.EtcdMembersResponseSchema,
    call: (c) => c.etcdMembers({}),
    columns: ["id", "name", "healthy", "learner", "peer urls", "client urls", "quorum"],
    rows: (r) =>
      r.members.map((m) => [
        m.id,
        m.name || "(not started)",
        m.healthy,
        m.learner,
        m.peerUrls.join(","),
        m.clientUrls.join(","),
        r.quorum,
      ]),
  });
  addUnaryCommand(etcd, {
    name: "status",
    description: "this node's member: leader, version, database size, raft position",
    schema: api.EtcdStatusResponseSchema,
    call: (c) => c.etcdStatus({}),
    columns: ["member", "leader", "version", "db size", "in use", "raft index", "term", "errors"],
    rows: (s) => [
      [
        s.memberId,
        s.leaderId === s.memberId ? `${s.leaderId} (this)` : s.leaderId || "none",
        s.version,
        bytes(s.dbSizeBytes),
        bytes(s.dbSizeInUseBytes),
        s.raftIndex,
        s.raftTerm,
        s.errors.join("; "),
      ],
    ],
  });
  addUnaryCommand(etcd, {
    name: "alarms",
    description: "list the cluster's active alarms (NOSPACE, CORRUPT)",
    schema: api.EtcdAlarmsResponseSchema,
    call: (c) => c.etcdAlarms({}),
    columns: ["member", "alarm"],
    rows: (r) => r.alarms.map((a) => [a.memberId, a.alarm]),
  });
  addUnaryCommand(etcd, {
    name: "disarm",
    description: "clear the cluster's alarms (after freeing space or fixing the cause)",
    schema: api.EtcdAlarmDisarmResponseSchema,
    call: (c) => c.etcdAlarmDisarm({}),
    columns: ["member", "disarmed"],
    rows: (r) => r.disarmed.map((a) => [a.memberId, a.alarm]),
  });
  addActions(etcd);
}

function addActions(etcd: Command): void {
  const done = (what: string) => () => what;
  etcd
    .command("defrag")
    .description("defragment this node's member (it pauses while it runs)")
    .action((_o, cmd: Command) =>
      run(cmd, (c) => c.etcdDefragment({}).then(done("defragmented")), ["result"], true),
    );
  etcd
    .command("leave")
    .description("remove this node's member from the cluster and wipe its data")
    .action((_o, cmd: Command) => run(cmd, (c) => c.etcdLeave({}).then(done("left")), ["result"]));
  etcd
    .command("remove-member <id>")
    .description("remove a member by its hex id (as etcd members prints it)")
    .action((id: string, _o, cmd: Command) =>
      run(cmd, (c) => c.etcdRemoveMember({ id }).then(done(`removed ${id}`)), ["result"]),
    );
  etcd
    .command("forfeit-leadership")
    .description("if this node's member leads, hand leadership to another healthy member")
    .action((_o, cmd: Command) =>
      run(cmd, (c) => c.etcdForfeitLeadership({}).then((r) => r.newLeaderId), ["leader"]),
    );
  etcd
    .command("snapshot <file>")
    .description("stream a snapshot of the etcd database from one control plane to a file")
    .action((file: string, _o, cmd: Command) => snapshot(cmd, file));
}

/** One call per node whose result is a single string cell. */
async function run(
  command: Command,
  call: (client: Machine) => Promise<string>,
  columns: string[],
  unbounded = false,
): Promise<void> {
  const global = command.optsWithGlobals() as GlobalOptions;
  const results = await callNodes(await openSession(global), call, unbounded);
  const view = {
    columns,
    rows: (r: string) => [[r]],
    data: (r: string) => ({ [columns[0] ?? "result"]: r }),
  };
  if (!printResults(results, view, global.output)) process.exitCode = 1;
}

interface Saved {
  file: string;
  bytes: number;
  sha256: string;
}

/** Writes the stream to `file` (via a temporary file, so a failed stream leaves no half snapshot). */
async function snapshot(command: Command, file: string): Promise<void> {
  const global = command.optsWithGlobals() as GlobalOptions;
  const session = await openSession(global);
  if (session.targets.length !== 1)
    throw new KeelsonError(
      "invalidArgument",
      "a snapshot comes from exactly one node",
      "give one control plane with -n",
    );
  // No client deadline: the node ends a stalled stream itself.
  const results = await callNodes(session, (client) => saveSnapshot(client, file), true);
  const view = {
    columns: ["file", "size", "sha256"],
    rows: (s: Saved) => [[s.file, bytes(s.bytes), s.sha256]],
    data: (s: Saved) => s,
  };
  if (!printResults(results, view, global.output)) process.exitCode = 1;
}

async function saveSnapshot(client: Machine, file: string): Promise<Saved> {
  const partial = `${file}.part`;
  const out = await open(partial, "w", 0o600);
  const hash = createHash("sha256");
  let written = 0;
  try {
    for await (const { chunk } of client.etcdSnapshot({})) {
      await out.write(chunk);
      hash.update(chunk);
      written += chunk.length;
      process.stderr.write(`\rsnapshot: ${bytes(written)} received`);
    }
    await out.sync();
  } catch (error) {
    await out.close();
    await rm(partial, { force: true });
    throw error;
  } finally {
    process.stderr.write("\n");
  }
  await out.close();
  await rename(partial, file);
  return { file, bytes: written, sha256: hash.digest("hex") };
}
