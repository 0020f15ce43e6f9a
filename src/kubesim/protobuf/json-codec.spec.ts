import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { KubeObject } from "../api";
import { decodeObject, encodeObject, unknownFields } from "./object-codec";

const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "web-0",
    namespace: "demo",
    uid: "7d0b3a1e-0000-4000-8000-000000000001",
    resourceVersion: "42",
    creationTimestamp: "2026-11-29T10:00:00Z",
    labels: { app: "web" },
    ownerReferences: [
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "u1", controller: true },
    ],
    managedFields: [
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: "2026-11-29T10:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } },
      },
    ],
  },
  spec: {
    containers: [
      {
        name: "web",
        image: "nginx:1.27",
        ports: [{ containerPort: 80, protocol: "TCP" }],
        resources: { requests: { cpu: "100m", memory: "64Mi" } },
        readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5 },
        env: [{ name: "KEY", valueFrom: { secretKeyRef: { name: "creds", key: "k" } } }],
      },
    ],
    volumes: [
      { name: "data", emptyDir: {} },
      { name: "cfg", configMap: { name: "web" } },
    ],
    terminationGracePeriodSeconds: 30,
  },
  status: {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2026-11-29T10:00:05Z" }],
  },
};

const roundTrip = (obj: KubeObject) => {
  const body = encodeObject(obj);
  assert.ok(body, `${obj.kind} has a message`);
  return decodeObject(body, { apiVersion: obj.apiVersion, kind: obj.kind });
};

describe("Kubernetes protobuf from kubesim's JSON objects", () => {
  it("round-trips a pod: inlined volume sources and probe handlers, times, quantities, int-or-strings, managedFields", () => {
    assert.deepEqual(roundTrip(pod), pod);
  });

  it("writes the k8s\\0 magic and a runtime.Unknown naming the kind", () => {
    const body = encodeObject(pod) as Buffer;
    assert.deepEqual([...body.subarray(0, 4)], [0x6b, 0x38, 0x73, 0x00]);
    assert.ok(body.includes(Buffer.from("Pod")));
  });

  it("round-trips Secret bytes, a Deployment's intstr maxSurge, a Lease's MicroTime and a CRD's JSON schema", () => {
    const objects: KubeObject[] = [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s" },
        data: { k: Buffer.from("v\u0000x").toString("base64") },
        type: "Opaque",
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "d" },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: "d" } },
          strategy: {
            type: "RollingUpdate",
            rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 },
          },
          template: {
            metadata: { labels: { app: "d" } },
            spec: { containers: [{ name: "c", image: "i" }] },
          },
        },
      },
      {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: "l", namespace: "kube-node-lease" },
        spec: {
          holderIdentity: "n",
          leaseDurationSeconds: 40,
          renewTime: "2026-11-29T10:00:00.123456Z",
        },
      },
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "widgets.example.com" },
        spec: {
          group: "example.com",
          scope: "Namespaced",
          names: { plural: "widgets", kind: "Widget" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: "object",
                  properties: {
                    spec: {
                      type: "object",
                      "x-kubernetes-preserve-unknown-fields": true,
                      properties: { size: { type: "integer", default: 3, enum: [1, 3, 5] } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    ];
    for (const obj of objects) assert.deepEqual(roundTrip(obj), obj, obj.kind);
  });

  it("names every field a kind does not have, as strict decoding does", () => {
    const withExtras = structuredClone(pod);
    (withExtras.spec as { containers: Record<string, unknown>[] }).containers[0]!.bogus = 1;
    (withExtras.metadata as Record<string, unknown>).colour = "red";
    assert.deepEqual(unknownFields(withExtras).sort(), [
      "metadata.colour",
      "spec.containers[0].bogus",
    ]);
  });

  it("refuses bodies that are not Kubernetes protobuf the way the API server words it", () => {
    const expected = { apiVersion: "v1", kind: "ConfigMap" };
    assert.throws(
      () => decodeObject(Buffer.from('{"kind":"ConfigMap"}'), expected),
      /must be of type ConfigMap\): provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\] \(\{"kind":"ConfigMap"\}\)/,
    );
    assert.throws(
      () => decodeObject(Buffer.from([0x6b, 0x38, 0x73, 0x00]), expected),
      /empty body/,
    );
    assert.throws(
      () => decodeObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0xff]), expected),
      /400|unrecognized|cannot be handled/,
    );
  });

  it("never crashes on arbitrary bytes: a 400 or an object", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), bytes]);
        try {
          decodeObject(body, { apiVersion: "v1", kind: "ConfigMap" });
        } catch (error) {
          assert.equal((error as { code?: number }).code, 400, String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps arbitrary labels, annotations and data through a round trip", () => {
    const text = fc.string({ maxLength: 20 });
    fc.assert(
      fc.property(fc.dictionary(text, text), fc.dictionary(text, text), (labels, data) => {
        const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels }, data };
        const back = roundTrip(cm);
        // Go's marshaller writes empty maps as nothing at all.
        const expected = structuredClone(cm) as Record<string, unknown> & {
          metadata: Record<string, unknown>;
        };
        if (Object.keys(labels).length === 0) delete expected.metadata.labels;
        if (Object.keys(data).length === 0) delete expected.data;
        assert.deepEqual(back, expected);
      }),
      // A key named __proto__ once vanished on the way back: assignment set the prototype instead.
      { numRuns: 300, examples: [[{}, JSON.parse('{"__proto__":"","constructor":"x"}')]] },
    );
  });
});
