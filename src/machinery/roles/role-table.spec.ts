import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { roleTableEnd, roleTableStart, withRoleTable } from "./role-table";

const readme = readFileSync(join(import.meta.dirname, "../../../README.md"), "utf8");

describe("the README's role table", () => {
  it("is there, between its markers", () => {
    assert.ok(readme.includes(roleTableStart) && readme.includes(roleTableEnd));
  });

  it("matches the code's table (regenerate it with npm run gen:readme)", () => {
    assert.equal(readme, withRoleTable(readme));
  });
});
