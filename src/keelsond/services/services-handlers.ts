import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { KeelsonError } from "../../machinery/errors";
import type { AgentContext, Handlers } from "../context";
import { unacknowledged } from "../inspection/inspection-handlers";
import { followFile, readTail } from "../supervisor";

export function servicesHandlers(ctx: AgentContext): Handlers {
  return {
    serviceList() {
      const services = ctx.supervisor.list().map((s) => ({
        ...s,
        dependsOn: [...s.dependsOn],
        lastChange: timestampFromDate(s.lastChange),
      }));
      return { services };
    },

    async health() {
      const kernel = await ctx.host.kernel();
      const services = ctx.supervisor.list().map((s) => ({
        id: s.id,
        state: s.state,
        healthy: s.healthy,
        message: s.healthMessage,
        lastChange: timestampFromDate(s.lastChange),
      }));
      // Ready means every daemon is up and healthy and no power action is under way.
      const ready =
        !ctx.lifecycle.inProgress() &&
        ctx.supervisor
          .list()
          .every((s) => (s.state === "running" && s.healthy) || s.state === "finished");
      return {
        ready,
        services,
        bootTime: timestampFromDate(kernel.bootTime),
        uptimeSeconds: BigInt(Math.floor(ctx.host.uptimeSeconds())),
        bootId: ctx.bootId,
        bootOnTrial: ctx.image.onTrial && ctx.upgrade.boot.control.state().trialFile !== undefined,
        ...unacknowledged(ctx),
      };
    },

    async *logs(req, call) {
      if (!req.service)
        throw new KeelsonError(
          "invalidArgument",
          "service is required",
          "list them with keelctl services",
        );
      const path = ctx.supervisor.get(req.service).log.path;
      const { data, end } = await readTail(path, req.tailLines);
      if (data.length) yield { data };
      if (!req.follow) return;
      for await (const chunk of followFile(path, end, call.signal)) yield { data: chunk };
    },
  };
}
