import type { Http2Session } from "node:http2";
import { Http2SessionManager } from "@connectrpc/connect-node";

const guarded = new WeakSet<Http2Session>();

/**
 * connect-node's session manager, minus a crash: when a GOAWAY arrives on a
 * connection without open calls (a node closing an idle connection, or
 * shutting down), connect-node destroys it with an error that Node raises
 * after the manager has removed its listeners, so it becomes an uncaught
 * exception (connectrpc/connect-es#1768). Every session it opens gets a
 * listener of its own that keeps such late errors from crashing the process;
 * calls still see their failures through the manager.
 */
export class GuardedSessionManager extends Http2SessionManager {
  override async request(
    ...args: Parameters<Http2SessionManager["request"]>
  ): ReturnType<Http2SessionManager["request"]> {
    const stream = await super.request(...args);
    const session = stream.session;
    if (session && !guarded.has(session)) {
      guarded.add(session);
      session.on("error", () => {});
    }
    return stream;
  }
}
