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
 * A signal that something changed: `next()` resolves at the next change or
 * after `ms` (whichever is first), so waits are event-driven with a backstop.
 */
export class ChangeSignal {
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  next(ms: number, signal?: AbortSignal): Promise<void> {
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
