import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { planCrd } from "./plan-crd";

type Spec = { required: string[]; properties: Record<string, Record<string, unknown>> };

describe("the UpgradePlan CRD in deploy/", () => {
  it("is the one generated from the plan schema (regenerate it with npm run gen:deploy)", () => {
    const file = parse(readFileSync(join(import.meta.dirname, "../../../deploy/crd.yaml"), "utf8"));
    assert.deepEqual(file, planCrd());
  });

  it("is structural: count-or-percent fields are int-or-string, no markers the API server refuses", () => {
    const text = JSON.stringify(planCrd());
    assert.ok(!text.includes('"propertyNames"') && !text.includes('"$schema"'));
    const crd = planCrd() as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: Spec } } } }[] };
    };
    const spec = crd.spec.versions[0]?.schema.openAPIV3Schema.properties.spec as Spec;
    assert.equal(spec.properties.maxUnavailable?.["x-kubernetes-int-or-string"], true);
    assert.deepEqual(spec.required, ["image"]);
  });
});
