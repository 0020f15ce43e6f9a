import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type Command, InvalidArgumentError } from "commander";
import {
  DmesgResponseSchema,
  EventSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { GlobalOptions } from "../lib/global-options";
import { streamNodes } from "../lib/stream-nodes";

const decoder = new TextDecoder();

/** Commands that stream: service logs, kernel messages and node events. */
export function addStreamCommands(program: Command): void {
  program
    .command("logs <name>")
    .description(
      "show a service's log, or with --namespace a container's (one node, a class of nodes or all nodes)",
    )
    .option("-f, --follow", "keep streaming new lines", false)
    .option("--tail <lines>", "only the last N lines (0: all)", toCount, 0)
    .option("--namespace <namespace>", "a container's log: system (OS services) or k8s.io")
    .action(
      (
        name: string,
        opts: { follow: boolean; tail: number; namespace?: string },
        command: Command,
      ) =>
        streamNodes<{ data: Uint8Array }>(command.optsWithGlobals() as GlobalOptions, {
          follow: opts.follow,
          open: (client, signal) =>
            opts.namespace
              ? client.containerLogs(
                  {
                    namespace: opts.namespace,
                    id: name,
                    tailLines: opts.tail,
                    follow: opts.follow,
                  },
                  { signal },
                )
              : client.logs(
                  { service: name, tailLines: opts.tail, follow: opts.follow },
                  { signal },
                ),
          text: (m) => decoder.decode(m.data).replace(/\n$/, ""),
          data: (m) => ({ lines: decoder.decode(m.data).replace(/\n$/, "").split("\n") }),
        }),
    );

  program
    .command("dmesg")
    .description("show kernel messages")
    .option("-f, --follow", "keep streaming new messages", false)
    .option("--tail <count>", "only the last N messages (0: all)", toCount, 0)
    .action((opts: { follow: boolean; tail: number }, command: Command) =>
      streamNodes(command.optsWithGlobals() as GlobalOptions, {
        follow: opts.follow,
        open: (client, signal) =>
          client.dmesg({ follow: opts.follow, tail: opts.tail }, { signal }),
        text: (m) =>
          `[${(Number(m.monotonicUs) / 1e6).toFixed(6).padStart(13)}] ${m.facility}.${m.priority}: ${m.message}`,
        data: (m) => toJson(DmesgResponseSchema, m),
      }),
    );

  program
    .command("events")
    .description("show what the node did and why")
    .option("-f, --follow", "keep streaming new events", false)
    .option("--tail <count>", "only the last N events (0: all kept)", toCount, 0)
    .action((opts: { follow: boolean; tail: number }, command: Command) =>
      streamNodes(command.optsWithGlobals() as GlobalOptions, {
        follow: opts.follow,
        open: async function* (client, signal) {
          const stream = client.events({ follow: opts.follow, tail: opts.tail }, { signal });
          for await (const m of stream) if (m.event) yield m.event;
        },
        text: (e) =>
          `${e.time ? timestampDate(e.time).toISOString() : ""} ${e.kind} ${e.subject}: ${e.message}${e.actor ? ` (by ${e.actor})` : ""}`,
        data: (e) => toJson(EventSchema, e),
      }),
    );
}

export function toCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return n;
}
