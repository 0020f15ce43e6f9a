import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StatusCause } from "../api";
import { type Schema, validateSchema } from "./schema-validator";

const schema: Schema = {
  type: "object",
  required: ["spec"],
  properties: {
    spec: {
      type: "object",
      properties: {
        replicas: { type: "integer" },
        labels: { type: "object", additionalProperties: { type: "string" } },
      },
    },
  },
};

function validate(value: unknown) {
  const causes: StatusCause[] = [];
  const pruned: string[] = [];
  return { value: validateSchema(value, schema, "", causes, pruned), causes, pruned };
}

describe("custom resource schema validation", () => {
  it("names the path of a wrong type and of a missing required field", () => {
    const wrong = validate({ spec: { replicas: "3" } });
    assert.deepEqual(
      wrong.causes.map((c) => c.field),
      ["spec.replicas"],
    );
    assert.deepEqual(
      validate({}).causes.map((c) => [c.reason, c.field]),
      [["FieldValueRequired", "spec"]],
    );
  });

  it("prunes unknown fields, even ones named like Object's own properties", () => {
    const input = JSON.parse('{"spec":{"replicas":1,"constructor":{},"__proto__":{"x":1}}}');
    const { value, causes, pruned } = validate(input);
    assert.deepEqual(causes, []);
    assert.deepEqual(value, { spec: { replicas: 1 } });
    assert.deepEqual(pruned.sort(), ["spec.__proto__", "spec.constructor"]);
  });

  it("keeps such keys as data where any key is allowed", () => {
    const input = JSON.parse('{"spec":{"labels":{"__proto__":"a","constructor":"b"}}}');
    const { value, causes } = validate(input);
    assert.deepEqual(causes, []);
    const labels = (value as { spec: { labels: object } }).spec.labels;
    assert.deepEqual(Object.keys(labels).sort(), ["__proto__", "constructor"]);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });
});
