import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { AgentContext, Handlers } from "../context";
import { followEvents } from "./follow-events";

export function eventsHandlers(ctx: AgentContext): Handlers {
  return {
    async *events(req, call) {
      const events = followEvents(ctx.events, {
        tail: req.tail,
        follow: req.follow,
        signal: call.signal,
      });
      for await (const e of events) {
        yield {
          event: { ...e, id: BigInt(e.id), time: timestampFromDate(e.time), actor: e.actor ?? "" },
        };
      }
    },
  };
}
