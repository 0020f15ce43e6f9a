/**
 * How Node is started for the agent, wherever it runs (the process
 * provisioner's launcher, the image's init). A node agent serves small,
 * bursty requests: a 1 MiB young generation and a capped old generation keep
 * its resident memory near its idle size after bursts, at a small GC cost.
 */
export const agentNodeFlags = [
  "--max-semi-space-size=1",
  "--max-old-space-size=64",
  "--v8-pool-size=1",
] as const;

/** libuv threads for file I/O: the agent reads small /proc files, two suffice. */
export const agentEnv = { UV_THREADPOOL_SIZE: "2" } as const;
