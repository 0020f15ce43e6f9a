import type { Command } from "commander";
import { ApplyMode } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../../machinery/errors";
import { callNodes } from "../lib/call-nodes";
import { configLibrary } from "../lib/config-library";
import { printChangeResults } from "../lib/config-result";
import { parseDuration } from "../lib/duration";
import { age } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { printResults } from "../lib/print-results";
import { readInput } from "../lib/read-input";
import { openMaintenanceSession, openSession } from "../lib/session";

const modes: Record<string, ApplyMode> = {
  auto: ApplyMode.AUTO,
  "no-reboot": ApplyMode.NO_REBOOT,
  staged: ApplyMode.STAGED,
  try: ApplyMode.TRY,
};

interface ApplyOptions {
  file?: string;
  patch: string[];
  mode: string;
  dryRun: boolean;
  timeout: number;
  insecure: boolean;
  bootstrapToken?: string;
}

/** The machine configuration: apply, confirm, inspect history, diff and roll back. */
export function addMachineConfigCommands(program: Command, config: Command): void {
  applyOptions(program.command("apply-config"), false)
    .description("apply a machine configuration (a file, patches to the live one, or both)")
    .option("-f, --file <file>", "the whole configuration (@file, a path, or - for stdin)")
    .option(
      "--insecure",
      "for nodes in maintenance mode: no CA to verify yet (needs --bootstrap-token)",
      false,
    )
    .option("--bootstrap-token <token>", "the token a maintenance-mode node prints on its console")
    .action((opts: ApplyOptions, command: Command) =>
      applyConfig(opts, command.optsWithGlobals() as GlobalOptions),
    );

  applyOptions(config.command("patch"), true)
    .description("patch the live configuration of the nodes")
    .action((opts: Omit<ApplyOptions, "insecure">, command: Command) =>
      applyConfig({ ...opts, insecure: false }, command.optsWithGlobals() as GlobalOptions),
    );

  config
    .command("confirm")
    .description("keep a configuration applied with --mode try")
    .action(async (_opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const results = await callNodes(
        await openSession(global),
        async (c) => (await c.confirmConfiguration({})).revision,
      );
      exitOn(
        printResults(
          results,
          { columns: ["confirmed revision"], rows: (r) => [[r]], data: (r) => ({ revision: r }) },
          global.output,
        ),
      );
    });

  config
    .command("history")
    .description("list the configuration revisions of the nodes")
    .action(async (_opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const results = await callNodes(await openSession(global), (c) => c.configurationHistory({}));
      const state = (h: { committed: number; staged: number; trying: number }, rev: number) =>
        rev === h.trying
          ? "trying"
          : rev === h.staged
            ? "staged"
            : rev === h.committed
              ? "in force"
              : "";
      exitOn(
        printResults(
          results,
          {
            columns: ["revision", "state", "age", "mode", "author", "digest"],
            rows: (h) =>
              h.revisions.map((r) => [
                r.revision,
                state(h, r.revision),
                age(r.time),
                r.mode,
                r.author,
                r.digest.slice(0, 19),
              ]),
            data: (h) => ({
              committed: h.committed,
              staged: h.staged,
              trying: h.trying,
              revisions: h.revisions.map((r) => ({
                ...r,
                time: r.time ? new Date(Number(r.time.seconds) * 1000).toISOString() : "",
              })),
            }),
          },
          global.output,
        ),
      );
    });

  config
    .command("show [revision]")
    .alias("get")
    .description(
      "print the live configuration, or a stored revision (secrets redacted unless os:admin)",
    )
    .action(async (revision: string | undefined, _opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const rev = revision === undefined ? 0 : revisionNumber(revision);
      const results = await callNodes(await openSession(global), (c) =>
        c.getConfiguration({ revision: rev }),
      );
      if (global.output === "table" && results.length === 1 && "result" in results[0]!) {
        process.stdout.write(results[0].result.data);
        return;
      }
      exitOn(
        printResults(
          results,
          {
            columns: ["revision", "redacted", "configuration"],
            rows: (r) => [
              [
                r.revision,
                r.redacted,
                `${r.data.split("\n").length} lines (use -n with one node to print it)`,
              ],
            ],
            data: (r) => ({ revision: r.revision, redacted: r.redacted, data: r.data }),
          },
          global.output,
        ),
      );
    });

  config
    .command("diff <from> <to>")
    .description("diff two configuration revisions of each node")
    .action(async (from: string, to: string, _opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const [a, b] = [revisionNumber(from), revisionNumber(to)];
      const { diffConfigs } = await configLibrary();
      const results = await callNodes(await openSession(global), async (c) => {
        const [left, right] = await Promise.all([
          c.getConfiguration({ revision: a }),
          c.getConfiguration({ revision: b }),
        ]);
        return diffConfigs(left.data, right.data, {
          redact: left.redacted || right.redacted,
          fromLabel: `revision ${a}`,
          toLabel: `revision ${b}`,
        });
      });
      for (const r of results)
        if ("result" in r)
          process.stdout.write(results.length > 1 ? `--- ${r.node}\n${r.result}` : r.result);
      exitOn(
        printResults(
          results.filter((r) => "error" in r),
          { columns: [], rows: () => [], data: () => null },
          "table",
        ),
      );
    });

  config
    .command("rollback <revision>")
    .description("apply an earlier revision again (as a new revision)")
    .option("--mode <mode>", "auto, no-reboot, staged or try", "auto")
    .option("--dry-run", "show the diff and what would happen; change nothing", false)
    .action(async (revision: string, opts: { mode: string; dryRun: boolean }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const mode = modeOf(opts.mode);
      const results = await callNodes(
        await openSession(global),
        async (c) =>
          (
            await c.rollbackConfiguration({
              revision: revisionNumber(revision),
              mode,
              dryRun: opts.dryRun,
            })
          ).result,
      );
      exitOn(printChangeResults(results, global));
    });
}

async function applyConfig(opts: ApplyOptions, global: GlobalOptions): Promise<void> {
  if (opts.insecure !== Boolean(opts.bootstrapToken)) {
    throw new KeelsonError(
      "invalidArgument",
      "--insecure and --bootstrap-token go together",
      "they configure a node in maintenance mode",
    );
  }
  const mode = modeOf(opts.mode);
  const base = opts.file ? (await readInput(opts.file)).text : undefined;
  const { parsePatch, patchConfigText } = await configLibrary();
  const patches = await Promise.all(
    opts.patch.map(async (p) => {
      const input = await readInput(p);
      return parsePatch(input.text, input.source);
    }),
  );
  if (base === undefined && patches.length === 0) {
    throw new KeelsonError(
      "invalidArgument",
      "nothing to apply",
      "give the configuration with -f FILE, patches with --patch, or both",
    );
  }
  const session = opts.bootstrapToken
    ? openMaintenanceSession(global, opts.bootstrapToken)
    : await openSession(global);
  const results = await callNodes(session, async (client) => {
    let text = base;
    let expectedRevision = 0;
    if (text === undefined) {
      // Read-modify-write: the apply is refused if someone changed the config meanwhile.
      const live = await client.getConfiguration({});
      if (live.redacted)
        throw new KeelsonError(
          "permissionDenied",
          "patching needs os:admin: the live configuration came back redacted",
        );
      text = live.data;
      expectedRevision = live.revision;
    }
    const data = patchConfigText(text, patches);
    const { result } = await client.applyConfiguration({
      data,
      mode,
      dryRun: opts.dryRun,
      tryTimeoutSeconds: Math.ceil(opts.timeout),
      expectedRevision,
    });
    return result;
  });
  exitOn(printChangeResults(results, global));
}

/** The options apply-config and config patch share: patches, mode, dry run, try timeout. */
function applyOptions(command: Command, patchRequired: boolean): Command {
  const collect = (value: string, previous: string[]) => [...previous, value];
  const patch = "a strategic-merge or RFC 6902 patch (@file or inline); repeatable";
  if (patchRequired) command.requiredOption("-p, --patch <patch>", patch, collect, []);
  else command.option("-p, --patch <patch>", patch, collect, []);
  return command
    .option("--mode <mode>", "auto, no-reboot, staged or try", "auto")
    .option("--dry-run", "show the diff and what would happen; change nothing", false)
    .option(
      "--timeout <duration>",
      "with --mode try: revert unless confirmed within this",
      parseDuration,
      60,
    );
}

function modeOf(name: string): ApplyMode {
  const mode = modes[name];
  if (mode === undefined)
    throw new KeelsonError(
      "invalidArgument",
      `unknown mode "${name}"`,
      `use one of ${Object.keys(modes).join(", ")}`,
    );
  return mode;
}

function revisionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new KeelsonError(
      "invalidArgument",
      `"${value}" is not a revision number`,
      "list them with keelctl config history",
    );
  return n;
}

function exitOn(ok: boolean): void {
  if (!ok) process.exitCode = 1;
}
