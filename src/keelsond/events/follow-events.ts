import { AsyncQueue } from "../streams";
import type { EventLog, NodeEvent } from "./event-log";

/**
 * Yields the recent events, then (with follow) every new one until the signal
 * aborts. Subscribing before reading the backlog means none is lost between.
 */
export async function* followEvents(
  log: EventLog,
  options: { tail: number; follow: boolean; signal: AbortSignal },
): AsyncIterable<NodeEvent> {
  const queue = new AsyncQueue<NodeEvent>(options.signal);
  const unsubscribe = log.subscribe((event) => queue.push(event));
  try {
    const backlog = log.recent(options.tail);
    yield* backlog;
    if (!options.follow) return;
    const lastId = backlog.at(-1)?.id ?? 0;
    for await (const event of queue) if (event.id > lastId) yield event;
  } finally {
    unsubscribe();
  }
}
