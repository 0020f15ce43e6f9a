import { connect } from "node:net";
import type { CallOptions } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { GuardedSessionManager } from "../../../machinery/client/guarded-session-manager";
import { containerdError } from "./containerd-error";
import { type ContainerdServices, containerdServices } from "./services";

/** Every call gets a deadline, so a hung or dead containerd never hangs the agent. */
export const defaultDeadlineMs = 5000;

export interface ContainerdOptions {
  /** containerd's gRPC Unix socket. */
  socket: string;
  deadlineMs?: number;
  /**
   * The cgroup under which this containerd's containers go (`/<parent>/<namespace>/<id>`);
   * one per node, so two local nodes running a container of the same id never collide.
   */
  cgroupParent?: string;
  /**
   * runc's state root for this containerd's containers. runc defaults to the
   * host-wide /run/containerd/runc/<namespace>, where two local nodes running
   * a container of the same id (every node's healthd) would collide.
   */
  runcRoot?: string;
}

export interface CallContext {
  /** containerd scopes containers, images and content by namespace (`system`, `k8s.io`). */
  namespace?: string;
  /** Overrides the default deadline for long calls (unpacking, pulling). */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** A lease that keeps what this call creates from garbage collection until it ends. */
  lease?: string;
}

/**
 * One containerd, reached over its Unix socket with gRPC (HTTP/2 with prior
 * knowledge). The session is reopened on the next call after containerd restarts.
 */
export class Containerd {
  readonly services: ContainerdServices;
  readonly deadlineMs: number;
  private readonly sessions: GuardedSessionManager;

  constructor(readonly options: ContainerdOptions) {
    this.deadlineMs = options.deadlineMs ?? defaultDeadlineMs;
    // No keepalive pings: containerd's gRPC server answers pings more frequent than every
    // 5 minutes with GOAWAY (ENHANCE_YOUR_CALM). A dead containerd closes the Unix socket,
    // which fails calls at once, and a hung one runs into the call deadlines.
    this.sessions = new GuardedSessionManager(
      "http://localhost",
      { idleConnectionTimeoutMs: 60_000 },
      { createConnection: () => connect(options.socket) },
    );
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      sessionManager: this.sessions,
      defaultTimeoutMs: this.deadlineMs,
    });
    this.services = containerdServices(transport);
  }

  /**
   * Runs one call with the namespace header and a deadline, turning failures
   * into KeelsonErrors that name the call (`what`).
   */
  async call<T>(
    what: string,
    run: (services: ContainerdServices, options: CallOptions) => Promise<T>,
    context: CallContext = {},
  ): Promise<T> {
    const deadlineMs = context.deadlineMs ?? this.deadlineMs;
    try {
      return await run(this.services, this.callOptions(context));
    } catch (error) {
      throw containerdError(error, what, this.options.socket, deadlineMs);
    }
  }

  callOptions(context: CallContext = {}): CallOptions {
    const headers: Record<string, string> = {};
    if (context.namespace) headers["containerd-namespace"] = context.namespace;
    if (context.lease) headers["containerd-lease"] = context.lease;
    return { timeoutMs: context.deadlineMs ?? this.deadlineMs, headers, signal: context.signal };
  }

  /** Fails with KeelsonError unless containerd answers in time. */
  async version(context: CallContext = {}): Promise<{ version: string; revision: string }> {
    const response = await this.call("version", (s, o) => s.version.version({}, o), context);
    return { version: response.version, revision: response.revision };
  }

  close(): void {
    this.sessions.abort();
  }
}
