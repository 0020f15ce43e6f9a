import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parsePlanText } from "../plan";

const dir = join(import.meta.dirname, "../../../deploy/examples");

describe("the example plans in deploy/examples", () => {
  for (const file of readdirSync(dir))
    it(`${file} is a valid UpgradePlan`, () => {
      assert.doesNotThrow(() => parsePlanText(readFileSync(join(dir, file), "utf8"), file));
    });
});
