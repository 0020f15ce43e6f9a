import type { Entry, EventType } from "../store";

const prefixes = {
  ADDED: Buffer.from('{"type":"ADDED","object":'),
  MODIFIED: Buffer.from('{"type":"MODIFIED","object":'),
  DELETED: Buffer.from('{"type":"DELETED","object":'),
};
const suffix = Buffer.from("}\n");

let last: { entry: Entry; type: EventType; line: Buffer } | undefined;

/**
 * The wire line of a watch event, encoded once for every watcher: the store
 * notifies all watchers of one change in a row, so remembering the last line
 * turns twenty serializations and UTF-8 encodings of a pod into one.
 */
export function eventLine(type: EventType, entry: Entry): Buffer {
  if (last?.entry === entry && last.type === type) return last.line;
  const line = Buffer.concat([prefixes[type], entry.json, suffix]);
  last = { entry, type, line };
  return line;
}
