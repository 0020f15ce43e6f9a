/**
 * Node's garbage collector tuned for a process that serves or makes many
 * small requests: a 1 MiB young generation is scavenged often but in well
 * under a millisecond, where the default 16 MiB one pauses for 5 ms and more
 * (the tail of every latency figure); one V8 helper thread, so collection
 * does not compete for the node's few cores.
 */
export const smallRequestNodeFlags = ["--max-semi-space-size=1", "--v8-pool-size=1"] as const;

/**
 * How Node is started for the agent, wherever it runs (the process
 * provisioner's launcher, the image's init): small requests, and a capped old
 * generation so resident memory returns near its idle size after bursts.
 */
export const agentNodeFlags = [...smallRequestNodeFlags, "--max-old-space-size=64"] as const;

/**
 * libuv threads for file I/O: the agent reads small /proc files, two
 * suffice. One malloc arena: the main thread makes nearly every allocation,
 * and a helper thread's own arena only keeps what it freed (0.3–1 MiB of
 * resident memory, measured on a process node).
 */
export const agentEnv = { UV_THREADPOOL_SIZE: "2", MALLOC_ARENA_MAX: "1" } as const;
