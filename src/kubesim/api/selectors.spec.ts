import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchesFields, parseFieldSelector } from "./field-selector";
import { fromLabelSelectorObject, matchesLabels, parseLabelSelector } from "./label-selector";
import { StatusError } from "./status-error";

describe("label selectors", () => {
  it("parses equality, set and existence terms", () => {
    const selector = parseLabelSelector(
      "app=web,tier!=db,env in (prod, staging),zone notin (a),canary,!legacy",
    );
    assert.equal(selector.length, 6);
    assert.ok(matchesLabels(selector, { app: "web", env: "prod", zone: "b", canary: "" }));
    assert.ok(!matchesLabels(selector, { app: "web", env: "dev", canary: "" }));
    assert.ok(!matchesLabels(selector, { app: "web", env: "prod", canary: "", legacy: "1" }));
  });

  it("rejects garbage with 400", () => {
    assert.throws(
      () => parseLabelSelector("a=(b"),
      (e: unknown) => e instanceof StatusError && e.code === 400,
    );
  });

  it("converts metav1.LabelSelector objects", () => {
    const selector = fromLabelSelectorObject({
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["fe"] }],
    });
    assert.ok(matchesLabels(selector, { app: "web", tier: "fe" }));
    assert.ok(!matchesLabels(selector, { app: "web" }));
  });
});

describe("field selectors", () => {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "ns" },
    spec: { nodeName: "n1" },
  };
  it("matches the paths kubectl uses", () => {
    assert.ok(matchesFields(parseFieldSelector("spec.nodeName=n1", ["spec.nodeName"]), pod));
    assert.ok(
      matchesFields(
        parseFieldSelector("metadata.name==p,spec.nodeName!=n2", [
          "metadata.name",
          "spec.nodeName",
        ]),
        pod,
      ),
    );
    assert.ok(!matchesFields(parseFieldSelector("spec.nodeName=n2", ["spec.nodeName"]), pod));
  });

  it("refuses unsupported fields with 400", () => {
    assert.throws(
      () => parseFieldSelector("spec.foo=1", ["spec.nodeName"]),
      (e: unknown) => e instanceof StatusError && e.code === 400,
    );
  });
});
