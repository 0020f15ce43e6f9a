import { type KubeObject, statusBody } from "../api";
import { type Filter, matchesFilter, parseFilter } from "../registry";
import { apiVersionOf, storageKey } from "../resources/resource-type";
import type { Entry, EventType, StoreEvent } from "../store";
import { eventLine } from "./event-line";
import { wantsTable } from "./http-io";
import type { Call } from "./server-context";
import { includeObjectOf, toTable } from "./table";
import { WatchStream } from "./watch-stream";

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

function encoder(call: Call): (type: EventType, entry: Entry) => Buffer | string {
  if (!wantsTable(call.req)) return eventLine;
  const include = includeObjectOf(call.info.query);
  return (type, entry) =>
    JSON.stringify({
      type,
      object: toTable(call.type, [entry.obj], include, { resourceVersion: String(entry.rv) }),
    });
}

function bookmark(call: Call, rv: number, initialEnd = false): string {
  const metadata: KubeObject["metadata"] = { resourceVersion: String(rv) };
  if (initialEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
  return JSON.stringify({
    type: "BOOKMARK",
    object: { kind: call.type.kind, apiVersion: apiVersionOf(call.type), metadata },
  });
}

/** Initial events: the current state for rv "" or "0", history after a given rv, or 410 when compacted. */
function initialEvents(
  call: Call,
  scope: WatchScope,
  rv: string,
): { events: [EventType, Entry][]; expired: boolean } {
  const store = call.ctx.registry.store;
  if (rv === "" || rv === "0" || call.info.query.get("sendInitialEvents") === "true") {
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
  const stream: WatchStream = new WatchStream(call.res, () => {
    ctx.watches.delete(stream);
    unsubscribe();
    clearTimeout(timers.bookmark);
    clearTimeout(timers.end);
  });
  ctx.watches.add(stream);
  const initial = initialEvents(call, scope, rv);
  if (initial.expired) {
    const status = statusBody(
      "Failure",
      410,
      `too old resource version: ${rv} (${store.log.oldestRv()})`,
      "Expired",
    );
    stream.send(JSON.stringify({ type: "ERROR", object: status }));
    stream.close();
    return;
  }
  for (const [type, entry] of initial.events) stream.send(encode(type, entry));
  const bookmarks = info.query.get("allowWatchBookmarks") === "true";
  if (bookmarks && info.query.get("sendInitialEvents") === "true")
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
  const timeout = Number(info.query.get("timeoutSeconds") ?? "");
  const limit =
    Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 1800_000 * (1 + Math.random());
  timers.end = setTimeout(() => stream.close(), limit).unref();
}
