import { X509Certificate } from "node:crypto";
import type { ConnectRouter } from "@connectrpc/connect";
import { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../../machinery/errors";
import { keelsonVersion } from "../../machinery/version";
import type { RunningAgent } from "../agent";
import { applyHandler } from "../config/config-handlers";
import type { ConfigManager } from "../config/config-manager";
import type { EventLog } from "../events";
import { LinuxHost } from "../host";
import type { Power } from "../lifecycle";
import { startApiServer } from "../server";
import { type BootedImage, listenAddress, type Platform } from "../state";
import { newBootstrapToken, requireBootstrapToken } from "./bootstrap-token";
import { maintenanceCertificate } from "./maintenance-certificate";

export interface MaintenanceBoot {
  platform: Platform;
  image: BootedImage;
  config: ConfigManager;
  events: EventLog;
  power: Power;
  /** Where its self-signed certificate is kept between boots. */
  certificate: { cert: string; key: string };
  /**
   * Why the node is in maintenance mode when more than a missing
   * configuration holds it there: the platform's user data was refused, or
   * its state cannot be kept.
   */
  reason?: string;
  /** The state cannot be kept (an unusable STATE partition): every configuration is refused. */
  cannotKeep?: boolean;
}

/**
 * An unconfigured node: it serves only Version and ApplyConfiguration, over
 * TLS with a certificate it made for this boot, to callers holding the token
 * it printed on its console. Once a configuration is applied it reboots into
 * it, so the configured node starts exactly as it will on every later boot.
 */
export async function startMaintenance(boot: MaintenanceBoot): Promise<RunningAgent> {
  const { platform, events } = boot;
  const token = newBootstrapToken();
  const self = await maintenanceCertificate(boot.certificate, platform.address);
  const host = new LinuxHost();
  let rebooting = false;
  const apply = applyHandler(boot.config, "maintenance mode (bootstrap token)");
  const routes = (router: ConnectRouter) =>
    router.service(MachineService, {
      async version() {
        const kernel = await host.kernel();
        return {
          node: platform.hostname ?? "",
          role: "maintenance",
          agentVersion: keelsonVersion,
          osImageVersion: boot.image.version,
          slot: boot.image.slot,
          kernel: kernel.release,
          arch: kernel.arch,
          platform: platform.platform,
          maintenanceReason: boot.reason ?? "",
        };
      },
      async applyConfiguration(req, call) {
        if (boot.cannotKeep)
          throw new KeelsonError(
            "failedPrecondition",
            `this node cannot keep a configuration: ${boot.reason}`,
            "its committed image still boots; repair or replace the disk (the STATE partition), then apply again",
          );
        const response = await apply.applyConfiguration?.(req, call);
        if (!req.dryRun && boot.config.configured() && !rebooting) {
          rebooting = true;
          events.record({
            kind: "node",
            subject: "maintenance",
            message: "configuration applied; rebooting into it",
          });
          setTimeout(() => void server.close().finally(() => boot.power.reboot()), 100);
        }
        return response as never;
      },
    });
  const server = await startApiServer({
    address: listenAddress(platform),
    port: platform.port,
    cert: self.cert,
    key: self.key,
    routes,
    authorize: requireBootstrapToken(token),
  });
  const fingerprint = new X509Certificate(self.cert).fingerprint256;
  events.record({
    kind: "node",
    subject: "maintenance",
    message: boot.reason
      ? `held in maintenance mode: ${boot.reason}`
      : "no configuration: waiting in maintenance mode",
  });
  console.log(
    [
      boot.reason
        ? `keelson: maintenance mode — ${boot.reason}.`
        : "keelson: maintenance mode — this node has no configuration.",
      `  bootstrap token: ${token}`,
      `  API certificate sha256: ${fingerprint}`,
      `  apply one: keelctl apply-config --insecure --bootstrap-token ${token} -n ${platform.address} -f <config.yaml>`,
    ].join("\n"),
  );
  return { shutdown: () => void server.close().finally(() => boot.power.poweroff()) };
}
