import { Watch } from "@kubernetes/client-node";
import type { KubeApis } from "./kube-apis";

/**
 * Calls `onChange` on every event of a watch, and keeps the watch open: when
 * the server ends or drops it, it is opened again after a short jittered
 * pause, and `onChange` is called once more (something may have changed
 * while no watch was open). Returns the stop function.
 */
export function watchChanges(
  apis: KubeApis,
  path: string,
  query: Record<string, string>,
  onChange: (type: string, object: unknown) => void,
): () => void {
  let stopped = false;
  let current: AbortController | undefined;
  let retry: NodeJS.Timeout | undefined;
  const open = () => {
    if (stopped) return;
    new Watch(apis.config)
      .watch(path, query, (type, object) => onChange(type, object), reopen)
      .then((controller) => {
        current = controller;
        if (stopped) controller.abort();
      }, reopen);
  };
  function reopen() {
    if (stopped) return;
    onChange("REOPEN", undefined);
    clearTimeout(retry);
    retry = setTimeout(open, 200 + Math.random() * 800);
    retry.unref();
  }
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    current?.abort();
  };
}

/**
 * Calls `onChange` only when what `digest` keeps of an object differs from
 * the last event of the same name: a Node's heartbeat rewrites timestamps
 * nobody waits for, and at a thousand nodes that is many events a second.
 * Deletions, reopened watches and errors always pass.
 */
export function whenChanged(
  digest: (object: unknown) => string,
  onChange: (type: string, object: unknown) => void,
): (type: string, object: unknown) => void {
  const last = new Map<string, string>();
  return (type, object) => {
    const metadata = (object as { metadata?: { name?: string; namespace?: string } } | undefined)
      ?.metadata;
    // Namespaced objects of one name (two namespaces' "web" budgets) are different objects.
    const name = metadata?.name && `${metadata.namespace ?? ""}/${metadata.name}`;
    if (type === "REOPEN") last.clear();
    if (name && type === "DELETED") last.delete(name);
    if (name && (type === "ADDED" || type === "MODIFIED")) {
      const now = digest(object);
      if (last.get(name) === now) return;
      last.set(name, now);
    }
    onChange(type, object);
  };
}

/**
 * A signal that something changed: `next()` resolves at the next change or
 * after `ms` (whichever is first), so waits are event-driven with a backstop.
 */
export class ChangeSignal {
  private waiters: (() => void)[] = [];
  private count = 0;

  /** How many changes so far: read before a piece of work, passed to next() after it. */
  get version(): number {
    return this.count;
  }

  notify(): void {
    this.count++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /**
   * With `since` (a version read earlier) it resolves at once if something
   * changed after that: a change during a pass is not lost because no one
   * was waiting at that moment.
   */
  next(ms: number, signal?: AbortSignal, since?: number): Promise<void> {
    if (since !== undefined && since !== this.count) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      this.waiters.push(done);
    });
  }
}
