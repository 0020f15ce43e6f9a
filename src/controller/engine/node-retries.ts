import { describeError } from "../kube/kube-apis";

/**
 * Nodes whose worker ended on a transient error (the API server away, a
 * node's API not answering): each is resumed from its record once its
 * backoff (1 s, doubling to 16 s) has passed, and says meanwhile why it waits.
 */
export class NodeRetries {
  private readonly byNode = new Map<string, { at: number; count: number; why: string }>();

  failed(node: string, error: unknown, now = Date.now()): void {
    const count = (this.byNode.get(node)?.count ?? 0) + 1;
    const why = describeError(error);
    this.byNode.set(node, { at: now + 1000 * 2 ** Math.min(count - 1, 4), count, why });
  }

  succeeded(node: string): void {
    this.byNode.delete(node);
  }

  /** Whether the node must wait before its worker starts again. */
  waiting(node: string, now = Date.now()): boolean {
    return (this.byNode.get(node)?.at ?? 0) > now;
  }

  message(node: string, now = Date.now()): string | undefined {
    const retry = this.byNode.get(node);
    if (!retry || retry.at <= now) return undefined;
    return `retrying in ${Math.ceil((retry.at - now) / 1000)} s: ${retry.why}`;
  }

  /** How long until the next node may start again (Infinity when none waits). */
  nextInMs(now = Date.now()): number {
    return Math.min(...[...this.byNode.values()].map((r) => Math.max(0, r.at - now)));
  }
}
