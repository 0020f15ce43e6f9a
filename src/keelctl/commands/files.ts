import { toJson } from "@bufbuild/protobuf";
import type { Command } from "commander";
import {
  type FileInfo,
  FileInfoSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { callNodes } from "../lib/call-nodes";
import { age, bytes } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { printResults } from "../lib/print-results";
import { openSession } from "../lib/session";
import { streamNodes } from "../lib/stream-nodes";
import { toCount } from "./streams";

/** Admin-only file access, confined on the node to its allow-list of paths. */
export function addFileCommands(program: Command): void {
  program
    .command("read <path>")
    .description("print a file from the node (admin only; paths are confined to an allow-list)")
    .action(async (path: string, _opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      if (session.targets.length === 1 && global.output === "table") {
        // One node: the bytes exactly as stored, so binary files survive a pipe.
        const results = await callNodes(session, async (client) => {
          for await (const m of client.read({ path })) process.stdout.write(m.data);
        });
        if (!printResults(results, { columns: [], rows: () => [], data: () => null }, "table"))
          process.exitCode = 1;
        return;
      }
      const decoder = new TextDecoder();
      return streamNodes(global, {
        follow: false,
        open: (client, signal) => client.read({ path }, { signal }),
        text: (m) => decoder.decode(m.data).replace(/\n$/, ""),
        data: (m) => ({ data: Buffer.from(m.data).toString("base64") }),
      });
    });

  program
    .command("list <path>")
    .alias("ls")
    .description("list a directory on the node (admin only)")
    .option("-d, --depth <levels>", "descend this many levels below path", toCount, 0)
    .action(async (path: string, opts: { depth: number }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      const results = await callNodes(session, async (client) => {
        const entries: FileInfo[] = [];
        for await (const m of client.list({ path, depth: opts.depth }))
          if (m.info) entries.push(m.info);
        return entries;
      });
      const ok = printResults(
        results,
        {
          columns: ["type", "mode", "size", "modified", "path"],
          rows: (entries) =>
            entries.map((e) => [
              e.type,
              (e.mode & 0o7777).toString(8).padStart(4, "0"),
              e.type === "file" ? bytes(e.sizeBytes) : "",
              age(e.modified),
              e.error
                ? `${e.path} (${e.error})`
                : e.linkTarget
                  ? `${e.path} -> ${e.linkTarget}`
                  : e.path,
            ]),
          data: (entries) => entries.map((e) => toJson(FileInfoSchema, e)),
        },
        global.output,
      );
      if (!ok) process.exitCode = 1;
    });
}
