/** Deliberately broken images, for proving that every kind of failure falls back. */
export const testFaults = ["crash", "hang", "unhealthy"] as const;
export type TestFault = (typeof testFaults)[number];

/** The agent's bundled entry point in a faulty image: the real one sits beside it. */
export const realEntryPoint = "keelsond-real.mjs";

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
  }
}
