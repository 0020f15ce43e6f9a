import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import pc from "picocolors";
import { stringifyClientConfig } from "../../machinery/clientconfig";
import type { ConfigPatch, ConfigResult, MachineType } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import { configLibrary } from "../lib/config-library";
import type { GlobalOptions } from "../lib/global-options";
import { renderData } from "../lib/output";

/** Offline config tools: secrets and configs generated locally, and validation. */
export function addConfigToolCommands(program: Command): void {
  const gen = program
    .command("gen")
    .description("generate secrets bundles and machine configs (offline)");
  addGenSecrets(gen);
  addGenConfig(gen);
  addValidate(program);
}

function addGenSecrets(gen: Command): void {
  gen
    .command("secrets")
    .description(
      "generate a secrets bundle: the OS, etcd and Kubernetes CAs and the cluster tokens",
    )
    // Not -o: that is the global --output format, parsed before any subcommand sees it.
    .option("--output-file <file>", "where to write the bundle (- for stdout)", "secrets.yaml")
    .option("--force", "overwrite an existing file")
    .action(async (opts: { outputFile: string; force?: boolean }) => {
      const { generateSecrets, stringifySecrets, writeNewFiles } = await configLibrary();
      const text = stringifySecrets(await generateSecrets());
      if (opts.outputFile === "-") return void process.stdout.write(text);
      await writeNewFiles([{ path: opts.outputFile, content: text }], opts.force);
      process.stderr.write(
        `${pc.green("✓")} wrote ${opts.outputFile}; keep it out of version control\n`,
      );
    });
}

interface GenConfigOptions {
  withSecrets?: string;
  outputDir: string;
  configPatch: string[];
  configPatchControlPlane: string[];
  configPatchWorker: string[];
  kubernetesVersion?: string;
  installDisk?: string;
  installImage?: string;
  force?: boolean;
}

function addGenConfig(gen: Command): void {
  gen
    .command("config <cluster-name> <endpoint>")
    .description(
      "generate controlplane.yaml, worker.yaml and a client config (keelconfig) for a cluster",
    )
    .option(
      "--with-secrets <file>",
      "use this secrets bundle (default: generate one and write secrets.yaml)",
    )
    .option("--output-dir <dir>", "where to write the files", ".")
    .option(
      "--config-patch <patch>",
      "patch both configs: @file or inline YAML/JSON (repeatable)",
      collect,
      [],
    )
    .option(
      "--config-patch-control-plane <patch>",
      "patch the control-plane config (repeatable)",
      collect,
      [],
    )
    .option("--config-patch-worker <patch>", "patch the worker config (repeatable)", collect, [])
    .option("--kubernetes-version <version>", "Kubernetes version to pin")
    .option("--install-disk <path>", "disk to install to")
    .option("--install-image <image>", "installer image")
    .option("--force", "overwrite existing files")
    .action(async (clusterName: string, endpoint: string, opts: GenConfigOptions) => {
      const config = await configLibrary();
      const { generateSecrets, parseSecrets, stringifyConfig, stringifySecrets } = config;
      const fresh = opts.withSecrets === undefined;
      const secrets = fresh
        ? await generateSecrets()
        : parseSecrets(await readFile(opts.withSecrets as string, "utf8"), opts.withSecrets);
      const configs = await config.generateConfigs({
        clusterName,
        endpoint,
        secrets,
        ...pick(opts, ["kubernetesVersion", "installDisk", "installImage"]),
        patches: await readPatches(opts.configPatch),
        controlPlanePatches: await readPatches(opts.configPatchControlPlane),
        workerPatches: await readPatches(opts.configPatchWorker),
      });
      const out = (name: string) => join(opts.outputDir, name);
      const files = [
        { path: out("controlplane.yaml"), content: stringifyConfig(configs.controlplane) },
        { path: out("worker.yaml"), content: stringifyConfig(configs.worker) },
        { path: out("keelconfig"), content: stringifyClientConfig(configs.clientConfig) },
        ...(fresh ? [{ path: out("secrets.yaml"), content: stringifySecrets(secrets) }] : []),
      ];
      await config.writeNewFiles(files, opts.force);
      for (const file of files) process.stderr.write(`${pc.green("✓")} wrote ${file.path}\n`);
    });
}

function addValidate(program: Command): void {
  program
    .command("validate")
    .description("validate a machine config offline, reporting every problem with its line")
    .requiredOption("-c, --file <file>", "the config to validate")
    .option("--strict", "treat recommendations (warnings) as errors")
    .addOption(
      new Option("--role <role>", "the role the config must be for").choices([
        "controlplane",
        "worker",
      ]),
    )
    .option("--cluster <name>", "the cluster the config must be for")
    .action(
      async (
        opts: { file: string; strict?: boolean; role?: MachineType; cluster?: string },
        command: Command,
      ) => {
        const global = command.optsWithGlobals() as GlobalOptions;
        const config = await configLibrary();
        const result = config.validateConfig(await readFile(opts.file, "utf8"), {
          ...(opts.strict ? { strict: true } : {}),
          ...(opts.role ? { expectRole: opts.role } : {}),
          ...(opts.cluster ? { expectCluster: opts.cluster } : {}),
        });
        printValidation(config, result, opts.file, global.output ?? "table");
      },
    );
}

function printValidation(
  { errorsOf, formatProblems }: Awaited<ReturnType<typeof configLibrary>>,
  result: ConfigResult,
  file: string,
  format: GlobalOptions["output"],
): void {
  const errors = errorsOf(result.problems);
  if (format !== "table") {
    const items = result.problems.map(({ segments: _, ...p }) => ({ file, ...p }));
    process.stdout.write(`${renderData(format, { valid: result.valid, problems: items })}\n`);
  } else if (result.problems.length > 0) {
    process.stdout.write(`${formatProblems(result.problems, file)}\n`);
  }
  if (errors.length > 0) {
    const count = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
    throw new KeelsonError(
      "invalidArgument",
      `${file} has ${count}`,
      "fix every field named above",
    );
  }
  const kinds = result.documents.map((d) => d.kind).join(", ");
  process.stderr.write(`${pc.green("✓")} ${file} is valid (${kinds})\n`);
}

/** `@file` reads a file; anything else is the patch itself. */
async function readPatches(specs: readonly string[]): Promise<ConfigPatch[]> {
  const { parsePatch } = await configLibrary();
  return Promise.all(
    specs.map(async (spec) =>
      spec.startsWith("@")
        ? parsePatch(await readFile(spec.slice(1), "utf8"), spec.slice(1))
        : parsePatch(spec),
    ),
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function pick<T extends object, K extends keyof T>(
  source: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  return Object.fromEntries(
    keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]),
  ) as Partial<Pick<T, K>>;
}
