import type { AgentContext, Handlers } from "../context";

export function filesHandlers(ctx: AgentContext): Handlers {
  return {
    async *read(req, call) {
      for await (const data of ctx.files.read(req.path, call.signal)) yield { data };
    },
    async *list(req, call) {
      for await (const info of ctx.files.list(req.path, req.depth, call.signal)) yield { info };
    },
  };
}
