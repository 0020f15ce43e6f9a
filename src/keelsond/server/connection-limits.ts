import type { Http2SecureServer, ServerHttp2Session } from "node:http2";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  /** A connection with no open call for this long is closed. */
  idleMs: number;
  /** Connections one client address may hold; more are closed before the TLS handshake. */
  perAddress: number;
}

/** How long a peer has to let an idle session close before it is cut. */
const closeGraceMs = 1000;

export const defaultConnectionLimits: ConnectionLimits = { idleMs: 60_000, perAddress: 64 };

/**
 * Keeps a server's connections in check: a client that opens connections
 * and never uses them (or never closes them) cannot exhaust the node. (A
 * handshake that never finishes is cut by the server's handshakeTimeout.)
 * Counting is per remote address and happens at accept time, before any
 * TLS work is spent on a connection that will be refused.
 */
export function limitConnections(server: Http2SecureServer, limits: ConnectionLimits): void {
  const perAddress = new Map<string, number>();
  // The TCP socket under each session: an idle peer that never closes its side is cut there.
  const sockets = new Map<string, Socket>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const count = (perAddress.get(address) ?? 0) + 1;
    if (count > limits.perAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, count);
    const key = `${address}:${socket.remotePort}`;
    sockets.set(key, socket);
    socket.once("close", () => {
      sockets.delete(key);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
  server.on("session", (session: ServerHttp2Session) => {
    const socket = sockets.get(`${session.socket.remoteAddress}:${session.socket.remotePort}`);
    closeWhenIdle(session, limits.idleMs, () => socket?.destroy());
  });
}

/**
 * Closes the session after `idleMs` without an open stream (GOAWAY, so a
 * client simply reconnects), and cuts it if the peer does not let it close;
 * a stream that stays open (logs -f) keeps it.
 */
function closeWhenIdle(session: ServerHttp2Session, idleMs: number, cut: () => void): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      session.close();
      setTimeout(cut, closeGraceMs).unref();
    }, idleMs);
    timer.unref();
  };
  session.on("stream", (stream) => {
    open++;
    clearTimeout(timer);
    stream.once("close", () => {
      if (--open === 0) arm();
    });
  });
  session.once("close", () => clearTimeout(timer));
  arm();
}
