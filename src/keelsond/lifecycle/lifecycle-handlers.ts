import type { AgentContext, Handlers } from "../context";
import { actorOf } from "../server/peer-identity";
import type { InFlight, PowerAction } from "./lifecycle";

export function lifecycleHandlers(ctx: AgentContext): Handlers {
  const request = (action: PowerAction, actor: string, force: boolean) => {
    const reason = `${action} requested through the API`;
    const { inFlight, joined } = ctx.lifecycle.request({ action, actor, reason, force });
    return { message: describe(ctx.identity.name, action, inFlight, joined) };
  };
  return {
    reboot: (req, call) => request("reboot", actorOf(call), req.force),
    shutdown: (req, call) => request("shutdown", actorOf(call), req.force),
  };
}

/** What the caller is told: the action under way, which a later request joins. */
function describe(node: string, asked: PowerAction, inFlight: InFlight, joined: boolean): string {
  const doing = inFlight.action === "reboot" ? "rebooting" : "shutting down";
  if (!joined) return `${node} is ${doing}`;
  const since = `requested by ${inFlight.actor || "the node"} at ${inFlight.requestedAt.toISOString()}`;
  if (asked === "shutdown" && inFlight.wasReboot)
    return `${node} was rebooting; it will power off instead (${since})`;
  return `${node} is already ${doing} (${since})`;
}
