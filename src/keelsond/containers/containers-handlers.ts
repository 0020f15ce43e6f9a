import { join } from "node:path";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { KeelsonError } from "../../machinery/errors";
import { volatileDir } from "../../machinery/platform/volatile-dir";
import type { AgentContext, Handlers } from "../context";
import { chunkedUploads } from "../uploads/chunked-uploads";
import { systemNamespace } from "./containerd/namespaces";
import type { ContainerdService } from "./daemon";

/** The containerd client and its generated API load on first use, not at agent start. */
const backend = () => import("./index");

/** The container RPCs; every one fails with the runtime's reason where there is none. */
export function containersHandlers(ctx: AgentContext): Handlers {
  const runtime = (): ContainerdService => {
    const rt = ctx.runtime;
    if (!rt?.availability.available) {
      throw new KeelsonError(
        "unavailable",
        `no container runtime on ${ctx.identity.name}: ${rt?.availability.reason ?? "disabled on this platform"}`,
      );
    }
    return rt;
  };
  const namespaces = async (namespace: string) =>
    namespace ? [namespace] : await (await backend()).listNamespaces(runtime().client);
  // In the volatile part of the state: an upload a reboot cut off is not left taking space.
  const uploads = chunkedUploads(join(volatileDir(ctx.stateDir), "uploads"));
  return {
    async containers(req) {
      if (!ctx.runtime?.availability.available) {
        return {
          unavailableReason:
            ctx.runtime?.availability.reason ?? "no container runtime on this platform",
        };
      }
      const containers = [];
      for (const namespace of await namespaces(req.namespace)) {
        for (const c of await (await backend()).listContainers(runtime().client, namespace)) {
          containers.push({
            ...c,
            namespace,
            created: c.createdAt ? timestampFromDate(c.createdAt) : undefined,
          });
        }
      }
      return { containers };
    },
    async *containerLogs(req, call) {
      const request = {
        logsDir: runtime().paths.logs,
        namespace: req.namespace || systemNamespace,
        id: req.id,
        tail: req.tailLines,
        follow: req.follow,
        signal: call.signal,
      };
      for await (const data of (await backend()).containerLogs(request)) yield { data };
    },
    async containerStats(req) {
      const stats = [];
      for (const namespace of await namespaces(req.namespace)) {
        const ids = req.id
          ? [req.id]
          : (await (await backend()).listContainers(runtime().client, namespace))
              .filter((c) => c.state === "running")
              .map((c) => c.id);
        for (const id of ids) {
          const s = await (await backend()).taskStats(runtime().client, namespace, id);
          stats.push({
            namespace,
            id,
            cpuNanoseconds: s.cpuUsageNs,
            memoryBytes: s.memoryUsageBytes,
            pids: BigInt(s.pids),
          });
        }
      }
      return { stats };
    },
    async images(req) {
      const images = [];
      for (const namespace of await namespaces(req.namespace)) {
        for (const i of await (await backend()).listImages(runtime().client, namespace)) {
          images.push({
            namespace,
            name: i.name,
            digest: i.digest,
            created: i.createdAt ? timestampFromDate(i.createdAt) : undefined,
          });
        }
      }
      return { images };
    },
    async imageImport(req) {
      const namespace = req.namespace || systemNamespace;
      const received = await uploads.append(req.uploadId, req.offset, req.chunk);
      if (!req.last) return { receivedBytes: received };
      const names = await uploads.finish(req.uploadId, (archive) =>
        importImagesInto(runtime(), namespace, archive),
      );
      // A system service that failed for want of its image (the kubelet's) need not wait out its backoff.
      if (namespace === systemNamespace) ctx.supervisor.retryFailed();
      return { receivedBytes: received, images: names.map((name) => ({ namespace, name })) };
    },
    async imagePull(req) {
      if (!req.reference)
        throw new KeelsonError(
          "invalidArgument",
          "an image reference is required",
          "e.g. registry.example.com/app:1.0",
        );
      const name = await (await backend()).pullImage(
        runtime().client,
        req.namespace || "k8s.io",
        req.reference,
      );
      return { image: { namespace: req.namespace || "k8s.io", name } };
    },
    async imageRemove(req) {
      await (await backend()).removeImage(runtime().client, req.namespace || "k8s.io", req.name);
      return {};
    },
  };
}

async function importImagesInto(
  runtime: ContainerdService,
  namespace: string,
  archive: Buffer,
): Promise<string[]> {
  return (await backend()).importImages(runtime.client, namespace, archive);
}
