import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeObject, encodeObject } from "../protobuf";
import { rawRequest, startTestCluster, type TestCluster } from "../testing";

const pb = "application/vnd.kubernetes.protobuf";
const configMap = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name },
    data: { a: "1" },
    ...extra,
  });

/** Requests as the API server's own clients spell them, and what they must get back. */
describe("kubesim answers requests as kube-apiserver does", () => {
  let c: TestCluster;
  const call = (
    path: string,
    options: Parameters<typeof rawRequest>[1] extends infer O
      ? Omit<O & object, "path">
      : never = {},
  ) => rawRequest(c.sim.credentials, { path, ...options });
  const json = { "Content-Type": "application/json" };
  const cms = "/api/v1/namespaces/default/configmaps";

  before(async () => {
    c = await startTestCluster();
  });
  after(async () => c.stop());

  it("takes every strconv.ParseBool spelling of watch, and refuses one it does not know", async () => {
    await call(cms, { method: "POST", headers: json, body: configMap("watched") });
    for (const spelling of ["1", "t", "T", "TRUE", "true", "True"]) {
      const watch = await call(`${cms}?watch=${spelling}&timeoutSeconds=1`, { untilBytes: 1 });
      assert.equal(watch.status, 200, spelling);
      assert.match(watch.body.toString(), /"type":"ADDED"|^\{/, spelling);
      assert.equal(watch.headers["transfer-encoding"], "chunked", `watch=${spelling} streams`);
    }
    for (const spelling of ["0", "f", "F", "FALSE", "false", "False"]) {
      const list = await call(`${cms}?watch=${spelling}`);
      assert.equal(list.json?.kind, "ConfigMapList", spelling);
    }
    const bad = await call(`${cms}?watch=maybe`);
    assert.equal(bad.status, 400);
    assert.match(
      String(bad.json?.message),
      /watch: strconv.ParseBool: parsing "maybe": invalid syntax/,
    );
  });

  it("ends a watch after timeoutSeconds, and sends bookmarks when allowWatchBookmarks=1", async () => {
    const started = Date.now();
    const ended = await call(
      `${cms}?watch=1&timeoutSeconds=1&allowWatchBookmarks=1&sendInitialEvents=T&resourceVersionMatch=NotOlderThan`,
    );
    assert.equal(ended.status, 200);
    assert.ok(Date.now() - started >= 900, "open for about the timeout");
    assert.match(ended.body.toString(), /"type":"BOOKMARK".*k8s.io\/initial-events-end/s);
  });

  it("applies fieldValidation: Warn (the default) warns, Strict refuses, Ignore drops, anything else is a 422", async () => {
    const extra = { bogus: 1, spec: { x: 1 } };
    const warned = await call(cms, {
      method: "POST",
      headers: json,
      body: configMap("warned", extra),
    });
    assert.equal(warned.status, 201);
    assert.deepEqual(
      warned.headers.warning,
      '299 - "unknown field \\"bogus\\"", 299 - "unknown field \\"spec\\""',
    );
    const ignored = await call(`${cms}?fieldValidation=Ignore`, {
      method: "POST",
      headers: json,
      body: configMap("ignored", extra),
    });
    assert.equal(ignored.status, 201);
    assert.equal(ignored.headers.warning, undefined);
    const strict = await call(`${cms}?fieldValidation=Strict`, {
      method: "POST",
      headers: json,
      body: configMap("strict", extra),
    });
    assert.equal(strict.status, 400);
    assert.equal(
      strict.json?.message,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus", unknown field "spec"',
    );
    const patch = await call(`${cms}/warned?fieldValidation=Strict`, {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: '{"data":{"b":"2"},"colour":"red"}',
    });
    assert.equal(patch.status, 422);
    assert.match(
      String(patch.json?.message),
      /^ "" is invalid: patch: Invalid value: .*strict decoding error: unknown field "colour"/,
    );
    const unknown = await call(`${cms}?fieldValidation=Foo`, {
      method: "POST",
      headers: json,
      body: configMap("foo"),
    });
    assert.equal(unknown.status, 422);
    assert.deepEqual(unknown.json, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Foo": supported values: "", "Ignore", "Strict", "Warn"',
      reason: "Invalid",
      details: {
        group: "meta.k8s.io",
        kind: "CreateOptions",
        causes: [
          {
            reason: "FieldValueNotSupported",
            message: 'Unsupported value: "Foo": supported values: "", "Ignore", "Strict", "Warn"',
            field: "fieldValidation",
          },
        ],
      },
      code: 422,
    });
  });

  it("checks server-side apply requests as the API server does", async () => {
    const apply = (query: string, body: string) =>
      call(`${cms}/applied${query}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/apply-patch+yaml" },
        body,
      });
    const good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {a: '1'}\n";
    const missing = await apply("", good);
    assert.equal(missing.status, 422);
    assert.equal(
      missing.json?.message,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    assert.equal((await apply("?fieldManager=t", "a: [unclosed")).status, 400);
    const wrongVersion = await apply(
      "?fieldManager=t",
      good.replace("apiVersion: v1", "apiVersion: apps/v1"),
    );
    assert.equal(wrongVersion.status, 400);
    assert.match(
      String(wrongVersion.json?.message),
      /Incorrect version specified in apply patch. Specified patch version: apps\/v1, expected: v1/,
    );
    const created = await apply("?fieldManager=t", good);
    assert.equal(created.status, 201);
    const forcedWithoutApply = await call(`${cms}/applied?force=true`, {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: "{}",
    });
    assert.equal(forcedWithoutApply.status, 422);
    assert.match(
      String(forcedWithoutApply.json?.message),
      /force: Forbidden: may not be specified for non-apply patch/,
    );
  });

  it("reads and writes Kubernetes protobuf: create, get, list and watch", async () => {
    const body = encodeObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "pb" },
      data: { k: "v" },
    });
    const created = await call(cms, {
      method: "POST",
      headers: { "Content-Type": pb, Accept: `${pb},application/json` },
      body,
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers["content-type"], pb);
    const back = decodeObject(created.body, { apiVersion: "v1", kind: "ConfigMap" });
    assert.deepEqual(back.data, { k: "v" });
    assert.ok(back.metadata.uid);
    const list = await call(cms, { headers: { Accept: pb } });
    const decoded = decodeObject(list.body, { apiVersion: "v1", kind: "ConfigMapList" });
    assert.ok(
      (decoded.items as { metadata: { name: string } }[]).some((i) => i.metadata.name === "pb"),
    );
    const watch = await call(`${cms}?watch=true&fieldSelector=metadata.name%3Dpb`, {
      headers: { Accept: pb },
      untilBytes: 4,
    });
    assert.equal(watch.headers["content-type"], `${pb};stream=watch`);
    const frame = watch.body.readUInt32BE(0);
    assert.ok(frame > 10, "a length-prefixed WatchEvent frame");
  });

  it("answers a body that is not protobuf, or not decodable, with the API server's 400", async () => {
    const notProtobuf = await call(cms, {
      method: "POST",
      headers: { "Content-Type": pb },
      body: configMap("x"),
    });
    assert.equal(notProtobuf.status, 400);
    // The API server shows the first 30 bytes of what it got.
    assert.equal(
      notProtobuf.json?.message,
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"apiVersion":"v1","kind":"Con ...)',
    );
    const garbled = await call(cms, {
      method: "POST",
      headers: { "Content-Type": pb },
      body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x7f]),
    });
    assert.equal(garbled.status, 400);
    const crOnlyProtobuf = await call("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      headers: { Accept: "application/cbor" },
    });
    assert.equal(crOnlyProtobuf.status, 406);
  });

  it("answers DELETE with a Status for most kinds, the object for pods, and the object while deletion is pending", async () => {
    await call(cms, { method: "POST", headers: json, body: configMap("doomed") });
    const deleted = await call(`${cms}/doomed`, { method: "DELETE" });
    assert.equal(deleted.status, 200);
    assert.equal(deleted.json?.kind, "Status");
    assert.equal(deleted.json?.status, "Success");
    assert.equal((deleted.json?.details as { kind: string } | undefined)?.kind, "configmaps");
    assert.equal(deleted.json?.code, undefined);
    const pod = (name: string, finalizers?: string[]) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, finalizers },
        spec: { containers: [{ name: "c", image: "i" }] },
      });
    const pods = "/api/v1/namespaces/default/pods";
    await call(pods, { method: "POST", headers: json, body: pod("gone") });
    const now = await call(`${pods}/gone`, { method: "DELETE" });
    assert.equal(now.json?.kind, "Pod", "a pod deleted at once comes back itself");
    await call(pods, { method: "POST", headers: json, body: pod("held", ["keelson.dev/hold"]) });
    const pending = await call(`${pods}/held`, { method: "DELETE" });
    assert.equal(pending.json?.kind, "Pod");
    const marked = (pending.json?.metadata as { deletionTimestamp?: string } | undefined)
      ?.deletionTimestamp;
    assert.ok(marked, "pending: the object, marked");
    await call(`${pods}/held`, {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: '{"metadata":{"finalizers":null}}',
    });
  });
});
