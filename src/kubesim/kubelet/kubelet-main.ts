import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { kubeletVersionOf } from "../../machinery/config/kubelet/kubelet-image";
import { startSimulatedKubelet } from "./simulated-kubelet";

export const kubeletUsage =
  "usage: kubesim kubelet --kubeconfig FILE --hostname-override NAME --node-ip IP [--node-labels k=v,…] [--register-with-taints k=v:Effect,…] [--healthz-bind-address IP] [--healthz-port 10248] [--time-scale 1]";

/**
 * `kubesim kubelet`: the simulated kubelet as a program of its own, with the
 * real kubelet's flags and its /healthz endpoint, so a node's kubelet slot
 * runs it exactly as it would run a real kubelet. It reports the version of
 * the image it stands in for, which the node hands over in KUBELET_IMAGE.
 */
export async function runKubelet(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: "string" },
      "hostname-override": { type: "string" },
      "node-ip": { type: "string" },
      "node-labels": { type: "string", default: "" },
      "register-with-taints": { type: "string", default: "" },
      "healthz-bind-address": { type: "string", default: "127.0.0.1" },
      "healthz-port": { type: "string", default: "10248" },
      "time-scale": { type: "string", default: "1" },
    },
  });
  const name = values["hostname-override"];
  if (!values.kubeconfig || !name || !values["node-ip"]) throw new Error(kubeletUsage);
  const version = kubeletVersionOf(process.env.KUBELET_IMAGE ?? "");
  const kubelet = await startSimulatedKubelet({
    ...(version ? { kubeletVersion: version } : {}),
    kubeconfigPath: values.kubeconfig,
    nodeName: name,
    address: values["node-ip"],
    labels: parseLabels(values["node-labels"]),
    taints: parseTaints(values["register-with-taints"]),
    timeScale: Number(values["time-scale"]),
    onError: (error) =>
      console.error(`kubelet: ${error instanceof Error ? error.message : String(error)}`),
  });
  const healthz = createServer((req, res) => {
    const problem = req.url === "/healthz" ? kubelet.problem() : "not found";
    res.writeHead(problem ? (req.url === "/healthz" ? 500 : 404) : 200).end(problem ?? "ok");
  });
  await new Promise<void>((resolve, reject) => {
    healthz.once("error", reject);
    healthz.listen(Number(values["healthz-port"]), values["healthz-bind-address"], resolve);
  });
  console.log(
    `registered node ${name} (simulated kubelet); /healthz on ${values["healthz-bind-address"]}:${values["healthz-port"]}`,
  );
  const stop = () => {
    kubelet.stop();
    healthz.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** `--node-labels`: comma-separated key=value pairs, as the kubelet takes them. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`--node-labels: "${pair}" is not key=value`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

/** `--register-with-taints`: comma-separated key[=value]:Effect, as the kubelet takes them. */
export function parseTaints(text: string): { key: string; value?: string; effect: string }[] {
  return text
    .split(",")
    .filter(Boolean)
    .map((taint) => {
      const match = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(taint);
      if (!match?.[1] || !match[3])
        throw new Error(`--register-with-taints: "${taint}" is not key[=value]:Effect`);
      return {
        key: match[1],
        ...(match[2] !== undefined ? { value: match[2] } : {}),
        effect: match[3],
      };
    });
}
