import type { AgentContext, Handlers } from "../context";
import { actorOf } from "../server/peer-identity";

export function lifecycleHandlers(ctx: AgentContext): Handlers {
  return {
    reboot(_req, call) {
      ctx.lifecycle.request("reboot", actorOf(call), "reboot requested through the API");
      return { message: `${ctx.identity.name} is rebooting` };
    },
    shutdown(_req, call) {
      ctx.lifecycle.request("shutdown", actorOf(call), "shutdown requested through the API");
      return { message: `${ctx.identity.name} is shutting down` };
    },
  };
}
