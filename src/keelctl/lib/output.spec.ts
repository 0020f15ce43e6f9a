import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { prepareOutput, renderData, renderTable } from "./output";

describe("output", () => {
  it("aligns columns under a capitalised header and trims trailing space", () => {
    const table = renderTable(
      ["node", "state"],
      [
        ["cp-1", "running"],
        ["worker-10", undefined],
      ],
    );
    assert.equal(table, "NODE        STATE\ncp-1        running\nworker-10");
  });

  it("keeps one row per line when a cell holds a newline", () => {
    assert.equal(renderTable(["a"], [["x\ny"]]), "A\nx y");
  });

  it("renders bigints in JSON as strings and YAML that parses back", async () => {
    await prepareOutput("yaml");
    assert.equal(renderData("json", { n: 2n ** 64n }), '{\n  "n": "18446744073709551616"\n}');
    assert.deepEqual(parse(renderData("yaml", [{ node: "a", result: { x: 1 } }])), [
      { node: "a", result: { x: 1 } },
    ]);
  });
});
