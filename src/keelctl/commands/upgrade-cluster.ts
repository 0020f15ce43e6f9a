import type { Command } from "commander";
import type { GlobalOptions } from "../lib/global-options";

/** `keelctl upgrade cluster -f plan.yaml`: the controller's engine, run from a workstation. */
export function addUpgradeClusterCommand(upgrade: Command): void {
  upgrade
    .command("cluster")
    .description(
      "run an UpgradePlan over the cluster from here: stage, cordon, drain, reboot, verify, uncordon",
    )
    .requiredOption("-f, --file <plan.yaml>", "the UpgradePlan (upgrade.keelson.io/v1alpha1)")
    .option(
      "--kubeconfig <file>",
      "the cluster's kubeconfig (default: $KUBECONFIG, the local cluster's, ~/.kube/config)",
    )
    .action(async (opts: { file: string; kubeconfig?: string }, command: Command) => {
      // Loaded only here: the Kubernetes client is large, and every other command starts without it.
      const { runUpgradeCluster } = await import("./upgrade-cluster-run");
      await runUpgradeCluster(opts, command.optsWithGlobals() as GlobalOptions);
    });
  upgrade
    .command("status [plan]")
    .description("where each upgrade plan stands: every node's phase and why it waits")
    .option("-w, --watch", "follow it live until the plans finish", false)
    .option("--kubeconfig <file>", "the cluster's kubeconfig (default as for upgrade cluster)")
    .action(
      async (
        plan: string | undefined,
        opts: { watch: boolean; kubeconfig?: string },
        command: Command,
      ) => {
        const { runUpgradeStatus } = await import("./upgrade-status-run");
        await runUpgradeStatus(plan, opts, command.optsWithGlobals() as GlobalOptions);
      },
    );
}
