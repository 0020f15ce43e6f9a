import { type KubeObject, statusBody } from "../api";
import { type Filter, matchesFilter, parseFilter } from "../registry";
import { apiVersionOf, storageKey } from "../resources/resource-type";
import type { Entry, EventType, StoreEvent } from "../store";
import { eventLine } from "./event-line";
import { wantsTable } from "./http-io";
import { boolParam, intParam } from "./query-options";
import { served } from "./served-version";
import type { Call } from "./server-context";
import { includeObjectOf, toTable } from "./table";
import { varint } from "./varint";
import { WatchStream } from "./watch-stream";
import { codec, protobufType } from "./wire-format";

interface WatchScope {
  key: string;
  namespace: string | undefined;
  filter: Filter;
}

function inScope(scope: WatchScope, entry: Entry | undefined): boolean {
  if (!entry) return false;
  if (scope.namespace !== undefined && entry.namespace !== scope.namespace) return false;
  return matchesFilter(scope.filter, entry);
}

/** An object leaving the selector is DELETED for this watcher, one entering it ADDED. */
function translate(scope: WatchScope, event: StoreEvent): EventType | undefined {
  if (event.resource !== scope.key) return undefined;
  const now = event.type !== "DELETED" && inScope(scope, event.entry);
  const before = event.type !== "ADDED" && inScope(scope, event.previous ?? event.entry);
  if (event.type === "DELETED") return before ? "DELETED" : undefined;
  if (now && before) return "MODIFIED";
  if (now) return "ADDED";
  if (before) return "DELETED";
  return undefined;
}

type WatchEventType = EventType | "BOOKMARK" | "ERROR";

/** How each event goes on the wire: a JSON line, a Table line, or a protobuf frame. */
function encoder(call: Call): (type: EventType, entry: Entry) => Buffer | string {
  if (call.format === "protobuf")
    return (type, entry) => protobufEvent(type, protobufObject(call, entry));
  if (call.type.storedAs)
    return (type, entry) => JSON.stringify({ type, object: served(call.type, entry.obj) });
  if (!wantsTable(call.req)) return eventLine;
  const include = includeObjectOf(call.info.query);
  return (type, entry) =>
    JSON.stringify({
      type,
      object: toTable(call.type, [entry.obj], include, { resourceVersion: String(entry.rv) }),
    });
}

function bookmark(call: Call, rv: number, initialEnd = false): Buffer | string {
  const metadata: KubeObject["metadata"] = { resourceVersion: String(rv) };
  if (initialEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
  const object = { kind: call.type.kind, apiVersion: apiVersionOf(call.type), metadata };
  return special(call, "BOOKMARK", object);
}

/** An event not made from a stored entry (a bookmark, an error), in the stream's format. */
function special(
  call: Call,
  type: WatchEventType,
  object: Record<string, unknown>,
): Buffer | string {
  if (call.format !== "protobuf") return JSON.stringify({ type, object });
  return protobufEvent(type, codec().encodeObject(object as KubeObject) ?? Buffer.alloc(0));
}

/** A stored object's protobuf body, from the entry's cached message. */
function protobufObject(call: Call, entry: Entry): Buffer {
  const { encodeMessage, encodeObject, wrap } = codec();
  if (call.type.storedAs) return encodeObject(served(call.type, entry.obj)) ?? Buffer.alloc(0);
  const raw = entry.protobufMessage((obj) => encodeMessage(obj) ?? new Uint8Array());
  return wrap(entry.obj.apiVersion, entry.obj.kind, raw);
}

/**
 * A protobuf watch frame: 4-byte big-endian length, then a WatchEvent
 * message {type, object: RawExtension{raw: the object's whole protobuf body}}.
 */
function protobufEvent(type: WatchEventType, body: Uint8Array): Buffer {
  const typeBytes = Buffer.from(type);
  const raw = Buffer.concat([Buffer.from([0x0a]), varint(body.length), body]);
  const event = Buffer.concat([
    Buffer.from([0x0a]),
    varint(typeBytes.length),
    typeBytes,
    Buffer.from([0x12]),
    varint(raw.length),
    raw,
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(event.length);
  return Buffer.concat([length, event]);
}

/** Initial events: the current state for rv "" or "0", history after a given rv, or 410 when compacted. */
function initialEvents(
  call: Call,
  scope: WatchScope,
  rv: string,
): { events: [EventType, Entry][]; expired: boolean } {
  const store = call.ctx.registry.store;
  if (rv === "" || rv === "0" || boolParam(call.info.query, "sendInitialEvents")) {
    const table = store.table(scope.key);
    const entries = table
      .list(call.type.namespaced ? scope.namespace : undefined)
      .filter((e) => inScope(scope, e));
    return { events: entries.map((e) => ["ADDED", e]), expired: false };
  }
  const history = store.log.since(Number(rv));
  if (!history) return { events: [], expired: true };
  const events: [EventType, Entry][] = [];
  for (const event of history) {
    const type = translate(scope, event);
    if (type) events.push([type, event.entry]);
  }
  return { events, expired: false };
}

export function handleWatch(call: Call): void {
  const { ctx, info } = call;
  const scope: WatchScope = {
    key: storageKey(call.type),
    namespace: call.type.namespaced && info.namespace !== undefined ? info.namespace : undefined,
    filter: parseFilter(call.type, {
      labelSelector: info.query.get("labelSelector"),
      fieldSelector: info.query.get("fieldSelector"),
    }),
  };
  if (info.name)
    scope.filter.fields.push({ path: "metadata.name", negate: false, value: info.name });
  const rv = info.query.get("resourceVersion") ?? "";
  const encode = encoder(call);
  const store = ctx.registry.store;
  const timers: { bookmark?: NodeJS.Timeout; end?: NodeJS.Timeout } = {};
  let unsubscribe = () => {};
  const contentType =
    call.format === "protobuf" ? `${protobufType};stream=watch` : "application/json";
  const bookmarks = boolParam(info.query, "allowWatchBookmarks");
  const timeout = intParam(info.query, "timeoutSeconds");
  const stream: WatchStream = new WatchStream(
    call.res,
    () => {
      ctx.watches.delete(stream);
      unsubscribe();
      clearTimeout(timers.bookmark);
      clearTimeout(timers.end);
    },
    contentType,
  );
  ctx.watches.add(stream);
  const initial = initialEvents(call, scope, rv);
  if (initial.expired) {
    const status = statusBody(
      "Failure",
      410,
      `too old resource version: ${rv} (${store.log.oldestRv()})`,
      "Expired",
    );
    stream.send(special(call, "ERROR", status));
    stream.close();
    return;
  }
  for (const [type, entry] of initial.events) stream.send(encode(type, entry));
  if (bookmarks && boolParam(info.query, "sendInitialEvents"))
    stream.send(bookmark(call, store.resourceVersion, true));
  unsubscribe = store.subscribe((event) => {
    const type = translate(scope, event);
    if (type) stream.send(encode(type, event.entry));
  });
  if (bookmarks) {
    const tick = () => {
      stream.send(bookmark(call, store.resourceVersion));
      timers.bookmark = setTimeout(tick, ctx.bookmarkIntervalMs).unref();
    };
    timers.bookmark = setTimeout(tick, ctx.bookmarkIntervalMs).unref();
  }
  const limit =
    timeout !== undefined && timeout > 0 ? timeout * 1000 : 1800_000 * (1 + Math.random());
  timers.end = setTimeout(() => stream.close(), limit).unref();
}
