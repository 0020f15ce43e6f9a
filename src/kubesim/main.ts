import { parseArgs } from "node:util";
import { startKubesim } from "./cluster/kubesim";
import { applyDemoWorkload } from "./demo/demo-workload";
import { kubeletUsage, runKubelet } from "./kubelet/kubelet-main";

const usage = `usage: kubesim serve --dir DIR [--address 127.0.0.1] [--also-at IP]... [--port 6443] [--time-scale 1] [--virtual-nodes N] [--demo-workload]
       ${kubeletUsage.replace("usage: ", "")}`;

/** The kubesim CLI: a thin shell over startKubesim. */
async function main(argv: string[]): Promise<void> {
  if (argv[0] === "kubelet") return runKubelet(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      address: { type: "string", default: "127.0.0.1" },
      "also-at": { type: "string", multiple: true, default: [] },
      port: { type: "string", default: "6443" },
      "time-scale": { type: "string", default: "1" },
      "virtual-nodes": { type: "string", default: "0" },
      "demo-workload": { type: "boolean", default: false },
    },
  });
  if (positionals[0] !== "serve" || !values.dir) {
    console.error(usage);
    process.exit(2);
  }
  const sim = await startKubesim({
    dir: values.dir,
    address: values.address,
    alsoAt: values["also-at"],
    port: Number(values.port),
    timeScale: Number(values["time-scale"]),
    virtualNodes: Number(values["virtual-nodes"]),
  });
  await sim.fleet?.ready;
  if (values["demo-workload"]) await applyDemoWorkload({ credentials: sim.credentials });
  console.log(
    `kubesim (a Kubernetes API simulator) serving ${sim.url}; kubeconfig ${sim.kubeconfigPath}`,
  );
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`kubesim: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
