import { KeelsonError } from "../../machinery/errors";

/** Deliberately broken images, for proving that every kind of failure falls back. */
export const testFaults = ["crash", "hang", "unhealthy", "panic"] as const;
export type TestFault = (typeof testFaults)[number];

/** Faults only a whole machine can have: a process node shares its host's kernel. */
const metalOnly: readonly TestFault[] = ["panic"];

/** The agent's bundled entry point in a faulty image: the real one sits beside it. */
export const realEntryPoint = "keelsond-real.mjs";

/** Refuses a fault the target cannot have, before anything is built. */
export function checkTestFault(fault: TestFault | undefined, target: "process" | "metal"): void {
  if (fault && target !== "metal" && metalOnly.includes(fault))
    throw new KeelsonError(
      "invalidArgument",
      `--test-fault ${fault} needs --target metal: a process node shares its host's kernel`,
    );
}

/** What stands at the agent's entry point in a faulty image (process and metal alike). */
export function faultyEntryPoint(fault: TestFault): string {
  const banner =
    "#!/usr/bin/env node\n// A deliberately broken image (keelctl image build --test-fault).\n";
  switch (fault) {
    case "crash":
      return `${banner}console.error("keelsond: test fault: crashing at start");\nprocess.exit(1);\n`;
    case "hang":
      // Alive and silent: no API, no watchdog pets, no CPU burnt.
      return `${banner}console.error("keelsond: test fault: hanging at start");\nsetInterval(() => {}, 1 << 30);\n`;
    case "unhealthy":
      return `${banner}process.env.KEELSON_TEST_FAULT = "unhealthy";\nawait import("./${realEntryPoint}");\n`;
    case "panic":
      // Only ever under keelson-init, PID 1 of the metal image: never the kernel of a host.
      return `${banner}import { readlinkSync, writeFileSync } from "node:fs";
if (!readlinkSync("/proc/1/exe").endsWith("/keelson-init")) {
  console.error("keelsond: test fault: a kernel panic needs the metal image; exiting");
  process.exit(1);
}
console.error("keelsond: test fault: panicking the kernel");
writeFileSync("/proc/sysrq-trigger", "c");
`;
  }
}
