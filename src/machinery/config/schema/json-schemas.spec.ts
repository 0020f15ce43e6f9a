import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jsonSchemas } from "./json-schemas";

const dir = join(import.meta.dirname, "..", "..", "..", "..", "schemas");

describe("JSON Schemas in schemas/", () => {
  it("equal a fresh export (run src/machinery/config/export-schemas.ts after changing a schema)", () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      const checkedIn = JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown;
      assert.deepEqual(checkedIn, JSON.parse(JSON.stringify(schema)), `schemas/${file} is stale`);
    }
  });

  it("refuse unknown fields, as the validator does", () => {
    const machine = jsonSchemas()["machine-config.json"] as {
      additionalProperties: boolean;
      required: string[];
    };
    assert.equal(machine.additionalProperties, false);
    assert.deepEqual(machine.required, ["apiVersion", "kind", "machine"]);
  });
});
