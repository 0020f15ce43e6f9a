import { existsSync } from "node:fs";
import { buildImage } from "../../machinery/image-builder";
import type { ServiceSpec } from "../supervisor";
import type { ContainerdService } from "./daemon";
import { containerService } from "./runner";

/** Where the OS's static busybox lives; on the Keelson image it is part of the root. */
const busybox = "/bin/busybox";

export const healthdPort = 50001;

/**
 * healthd: the node's plain-HTTP health endpoint for load balancers
 * (GET /healthz on port 50001), an OS service that runs as a container from
 * an image the agent builds itself, with no registry. Undefined where there
 * is no runtime or no busybox to build it from.
 */
export function healthdService(
  runtime: ContainerdService,
  address: string,
): ServiceSpec | undefined {
  if (!runtime.availability.available || !existsSync(busybox)) return undefined;
  const name = "keelson.local/system/healthd:1";
  const build = () =>
    buildImage({
      name,
      layers: [
        {
          "bin/busybox": { type: "file", source: busybox, mode: 0o755 },
          "www/healthz": { type: "file", content: Buffer.from("ok\n"), mode: 0o644 },
        },
      ],
      entrypoint: [
        "/bin/busybox",
        "httpd",
        "-f",
        "-v",
        "-p",
        `${address}:${healthdPort}`,
        "-h",
        "/www",
      ],
    });
  return containerService({
    id: "healthd",
    image: { name, build },
    containerd: runtime,
    hostNetwork: true,
    stopGraceMs: 2000,
  });
}
