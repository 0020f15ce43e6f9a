import { badRequest, field, type KubeObject } from "../api";
import { pods } from "../resources/core/pod";
import { podPhase } from "../resources/pod-helpers";
import type { Call } from "./server-context";

function startedAt(pod: KubeObject): number {
  const statuses = field(pod, "status", "containerStatuses");
  const running = Array.isArray(statuses) ? statuses[0]?.state?.running?.startedAt : undefined;
  return (
    Date.parse(typeof running === "string" ? running : (pod.metadata.creationTimestamp ?? "")) ||
    Date.now()
  );
}

/** The simulated output of a container: a start line, then one line per interval since it started. */
export function simulatedLine(
  pod: KubeObject,
  container: string,
  index: number,
  at: number,
  timestamps: boolean,
): string {
  const node = (field(pod, "spec", "nodeName") as string | undefined) ?? "";
  const text =
    index === 0
      ? `kubesim: container ${container} of pod ${pod.metadata.namespace}/${pod.metadata.name} started on node ${node}`
      : `kubesim: ${container} is serving (simulated line ${index})`;
  return timestamps ? `${new Date(at).toISOString()} ${text}` : text;
}

function containerOf(call: Call, pod: KubeObject): string {
  const containers = (field(pod, "spec", "containers") ?? []) as { name: string }[];
  const wanted = call.info.query.get("container");
  if (!wanted && containers.length > 1) {
    throw badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(" ")}]`,
    );
  }
  const name = wanted ?? containers[0]?.name ?? "";
  if (!containers.some((c) => c.name === name))
    throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  return name;
}

/** GET pods/{name}/log, with container, tailLines, timestamps and follow. */
export function handleLog(call: Call): void {
  const { registry, logLineIntervalMs } = call.ctx;
  const pod = registry.get(pods, call.namespace, call.info.name ?? "");
  const container = containerOf(call, pod);
  if (podPhase(pod) !== "Running") {
    throw badRequest(
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
    );
  }
  const timestamps = call.info.query.get("timestamps") === "true";
  const start = startedAt(pod);
  const count = Math.floor((Date.now() - start) / logLineIntervalMs) + 1;
  const tail = Number(call.info.query.get("tailLines") ?? "-1");
  const first = tail >= 0 ? Math.max(0, count - tail) : 0;
  const lines: string[] = [];
  for (let i = first; i < count; i++)
    lines.push(simulatedLine(pod, container, i, start + i * logLineIntervalMs, timestamps));
  call.res.writeHead(200, { "Content-Type": "text/plain" });
  call.res.write(lines.map((l) => `${l}\n`).join(""));
  if (call.info.query.get("follow") !== "true") {
    call.res.end();
    return;
  }
  let next = count;
  const timer = setInterval(() => {
    const current = registry.tryGet(pods, call.namespace, pod.metadata.name ?? "");
    if (!current || current.metadata.uid !== pod.metadata.uid) {
      clearInterval(timer);
      call.res.end();
      return;
    }
    call.res.write(`${simulatedLine(pod, container, next, Date.now(), timestamps)}\n`);
    next++;
  }, logLineIntervalMs);
  call.res.on("close", () => clearInterval(timer));
}
