import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

export interface NodeEvent {
  id: number;
  time: Date;
  kind: "service" | "action" | "node" | "config" | "upgrade";

  subject: string;
  message: string;
  actor?: string;
}

export type NewEvent = Omit<NodeEvent, "id" | "time">;

/** How many events are kept in memory and, after compaction, on disk. */
const keep = 1000;

/**
 * What the node did and why, kept across reboots in an append-only JSON-lines
 * file so an operator can still see why a node rebooted after it did.
 */
export class EventLog {
  private events: NodeEvent[] = [];
  private readonly listeners = new Set<(event: NodeEvent) => void>();
  private nextId = 1;
  private appended = 0;

  constructor(private readonly path: string) {
    this.events = loadEvents(path).slice(-keep);
    this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
  }

  record(event: NewEvent): NodeEvent {
    const full: NodeEvent = { ...event, id: this.nextId++, time: new Date() };
    this.events.push(full);
    if (this.events.length > keep) this.events.splice(0, this.events.length - keep);
    this.persist(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** The last `tail` events (all kept when 0). */
  recent(tail = 0): NodeEvent[] {
    return tail > 0 ? this.events.slice(-tail) : [...this.events];
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private persist(event: NodeEvent): void {
    appendFileSync(this.path, `${JSON.stringify(event)}\n`);
    // Rewrite the file now and then so it stays bounded like the memory copy.
    if (++this.appended >= keep) {
      this.appended = 0;
      writeFileSync(this.path, this.events.map((e) => `${JSON.stringify(e)}\n`).join(""));
    }
  }
}

function loadEvents(path: string): NodeEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const events: NodeEvent[] = [];
  for (const line of text.split("\n")) {
    // A torn last line (power loss mid-append) is skipped, not fatal.
    try {
      const raw = JSON.parse(line) as NodeEvent;
      events.push({ ...raw, time: new Date(raw.time) });
    } catch {}
  }
  return events;
}
