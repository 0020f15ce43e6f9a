import { type ServiceSpec, TaskRunner } from "../supervisor";

/**
 * A bundle built with `--test-fault unhealthy` sets KEELSON_TEST_FAULT: the
 * agent then runs one service that never passes its health check, so the
 * node boots, serves its API, and never becomes healthy: the upgrade health
 * gate's failure, made on purpose to prove the fallback.
 */
export function testFaultService(env: NodeJS.ProcessEnv = process.env): ServiceSpec | undefined {
  if (env.KEELSON_TEST_FAULT !== "unhealthy") return undefined;
  return {
    id: "test-fault",
    restart: "forever",
    stopGraceMs: 1000,
    runner: () =>
      new TaskRunner(async (log) => {
        log.line("test fault: this image never becomes healthy");
        return { stop: async () => {} };
      }),
    health: {
      intervalMs: 1000,
      timeoutMs: 1000,
      check: async () => {
        throw new Error(
          "test fault: this image never becomes healthy (built with --test-fault unhealthy)",
        );
      },
    },
  };
}
