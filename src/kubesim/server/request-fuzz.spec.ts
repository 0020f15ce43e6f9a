import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { ClusterCredentials } from "../../machinery/kube/kubeconfig";
import { startTestCluster, type TestCluster } from "../testing";

interface Reply {
  status: number;
  body: string;
}

function send(
  c: ClusterCredentials,
  method: string,
  path: string,
  body: string | undefined,
  contentType: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c.server),
      {
        method,
        ca: c.ca,
        cert: c.cert,
        key: c.key,
        // Node's client sends a GET, DELETE or OPTIONS body with no length unless told,
        // and a server then rightly reads that body as the next request on the connection.
        headers: {
          "Content-Type": contentType,
          ...(body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) }),
        },
        timeout: 10_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request ${method} ${path} hung`)));
    req.on("error", reject);
    req.end(body);
  });
}

const segments = [
  "api",
  "apis",
  "v1",
  "apps",
  "policy",
  "namespaces",
  "default",
  "pods",
  "nodes",
  "deployments",
  "status",
  "eviction",
  "log",
  "x",
  "scale",
  "binding",
  "watch",
  "configmaps",
  "%zz",
  "..",
];
const path = fc
  .array(fc.constantFrom(...segments), { maxLength: 7 })
  .chain((parts) =>
    fc
      .constantFrom(
        "",
        "?watch=true&timeoutSeconds=1",
        "?limit=2&continue=abc",
        "?labelSelector=a%20in%20(",
        "?fieldSelector=spec.nope%3D1",
        "?dryRun=All",
      )
      .map((q) => `/${parts.join("/")}${q}`),
  );
const body = fc.oneof(
  fc.constant(undefined),
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({
      apiVersion: fc.constantFrom("v1", "apps/v1", "policy/v1", "bogus"),
      kind: fc.constantFrom("Pod", "ConfigMap", "Eviction", "Deployment", "Node", ""),
      metadata: fc.record({ name: fc.string({ maxLength: 70 }) }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .array(
      fc.record({
        op: fc.constantFrom("add", "remove", "replace", "move", "test", "bad"),
        path: fc.string(),
        value: fc.jsonValue(),
      }),
    )
    .map((v) => JSON.stringify(v)),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/yaml",
  "text/plain",
  "application/vnd.kubernetes.protobuf",
);
const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

/** What a real API server may answer to garbage: never a 5xx, never silence. */
const allowed = new Set([200, 201, 202, 400, 403, 404, 405, 409, 410, 413, 415, 422, 429]);

describe("request handling under fuzzing", () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => c.stop());

  it("answers every request with an allowed status and a Status body on failure", async () => {
    await fc.assert(
      fc.asyncProperty(method, path, body, contentType, async (m, p, b, t) => {
        const reply = await send(c.sim.credentials, m, p, b, t);
        // The connection is reused: a request left half-read would garble the next one.
        const health = await send(c.sim.credentials, "GET", "/healthz", undefined, "text/plain");
        assert.equal(health.body, "ok", `the request after ${m} ${p}`);
        assert.ok(
          allowed.has(reply.status),
          `${m} ${p} -> ${reply.status}: ${reply.body.slice(0, 200)}`,
        );
        if (reply.status >= 400) {
          const status = JSON.parse(reply.body) as { kind: string; code: number };
          assert.equal(status.kind, "Status");
          assert.equal(status.code, reply.status);
        }
      }),
      { numRuns: 400, examples: [["GET", "/", "A", "application/json"]] },
    );
  });

  it("returns the Kubernetes status codes for malformed JSON, bad names and unknown resources", async () => {
    const creds = c.sim.credentials;
    assert.equal(
      (
        await send(
          creds,
          "POST",
          "/api/v1/namespaces/default/configmaps",
          "{not json",
          "application/json",
        )
      ).status,
      400,
    );
    assert.equal(
      (
        await send(
          creds,
          "POST",
          "/api/v1/namespaces/default/configmaps",
          JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "UPPER" } }),
          "application/json",
        )
      ).status,
      422,
    );
    assert.equal(
      (await send(creds, "GET", "/apis/example.com/v1/widgets", undefined, "application/json"))
        .status,
      404,
    );
    assert.equal(
      (
        await send(
          creds,
          "PATCH",
          "/api/v1/namespaces/default",
          '[{"op":"remove","path":"/nope"}]',
          "application/json-patch+json",
        )
      ).status,
      422,
    );
  });
});
