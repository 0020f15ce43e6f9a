import type { Command } from "commander";
import * as api from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { importImage } from "../../machinery/client";
import { callNodes } from "../lib/call-nodes";
import { age, bytes } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { addUnaryCommand } from "../lib/node-command";
import { printResults } from "../lib/print-results";
import { openSession } from "../lib/session";

/** Containers and images, through each node's container runtime. */
export function addContainerCommands(program: Command): void {
  const namespaceOf = (command: Command) =>
    (command.opts() as { namespace?: string }).namespace ?? "";
  addUnaryCommand(program, {
    name: "containers",
    aliases: ["ctr"],
    description: "list containers (--namespace system|k8s.io; all by default)",
    schema: api.ContainersResponseSchema,
    options: [["--namespace <namespace>", "system (OS services) or k8s.io (Kubernetes)"]],
    call: (c, command) => c.containers({ namespace: namespaceOf(command) }),
    columns: ["namespace", "id", "image", "state", "pid", "age"],
    rows: (r) =>
      r.unavailableReason
        ? [["-", "-", `container runtime unavailable: ${r.unavailableReason}`, "", "", ""]]
        : r.containers.map((x) => [
            x.namespace,
            x.id,
            x.image,
            x.state,
            x.pid || "",
            age(x.created),
          ]),
  });
  addUnaryCommand(program, {
    name: "stats",
    description: "CPU and memory of running containers",
    schema: api.ContainerStatsResponseSchema,
    options: [["--namespace <namespace>", "system or k8s.io; all by default"]],
    call: (c, command) => c.containerStats({ namespace: namespaceOf(command) }),
    columns: ["namespace", "id", "cpu time", "memory", "pids"],
    rows: (r) =>
      r.stats.map((s) => [
        s.namespace,
        s.id,
        `${(Number(s.cpuNanoseconds) / 1e9).toFixed(2)}s`,
        bytes(s.memoryBytes),
        s.pids,
      ]),
  });
  addUnaryCommand(program, {
    name: "images",
    description: "list container images",
    schema: api.ImagesResponseSchema,
    options: [["--namespace <namespace>", "system or k8s.io; all by default"]],
    call: (c, command) => c.images({ namespace: namespaceOf(command) }),
    columns: ["namespace", "image", "digest", "age"],
    rows: (r) => r.images.map((i) => [i.namespace, i.name, i.digest.slice(0, 19), age(i.created)]),
  });

  const image = program
    .command("image")
    .description(
      "container images on the nodes (import, pull, rm) and OS image bundles (build, sign, verify)",
    );
  image
    .command("import <archive>")
    .description("import an OCI or Docker archive on the nodes")
    .option("--namespace <namespace>", "system or k8s.io", "k8s.io")
    .action(async (archive: string, opts: { namespace: string }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const results = await callNodes(await openSession(global), (client) =>
        importImage(client, archive, opts.namespace),
      );
      if (
        !printResults(
          results,
          {
            columns: ["imported"],
            rows: (names) => names.map((n) => [n]),
            data: (names) => ({ images: names }),
          },
          global.output,
        )
      ) {
        process.exitCode = 1;
      }
    });
  image
    .command("pull <reference>")
    .description("pull an image from a registry onto the nodes")
    .option("--namespace <namespace>", "system or k8s.io", "k8s.io")
    .action(async (reference: string, opts: { namespace: string }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const results = await callNodes(
        await openSession(global),
        async (c) =>
          (await c.imagePull({ namespace: opts.namespace, reference })).image?.name ?? "",
      );
      if (
        !printResults(
          results,
          { columns: ["pulled"], rows: (n) => [[n]], data: (n) => ({ image: n }) },
          global.output,
        )
      )
        process.exitCode = 1;
    });
  image
    .command("rm <name>")
    .description("remove an image from the nodes")
    .option("--namespace <namespace>", "system or k8s.io", "k8s.io")
    .action(async (name: string, opts: { namespace: string }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const results = await callNodes(await openSession(global), async (c) => {
        await c.imageRemove({ namespace: opts.namespace, name });
        return name;
      });
      if (
        !printResults(
          results,
          { columns: ["removed"], rows: (n) => [[n]], data: (n) => ({ image: n }) },
          global.output,
        )
      )
        process.exitCode = 1;
    });
}
