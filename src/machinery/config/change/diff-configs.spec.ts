import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixture } from "../test-fixtures";
import { diffConfigs } from "./diff-configs";
import { unifiedDiff } from "./unified-diff";

describe("diffs", () => {
  it("writes a unified diff like diff -u", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n");
    const after = ["a", "b", "c", "D", "e", "f", "g", "h", "i", "j", "k"].join("\n");
    assert.equal(
      unifiedDiff(before, after, { context: 1 }),
      [
        "--- a",
        "+++ b",
        "@@ -3,3 +3,3 @@",
        " c",
        "-d",
        "+D",
        " e",
        "@@ -10,1 +10,2 @@",
        " j",
        "+k",
        "",
      ].join("\n"),
    );
    assert.equal(unifiedDiff("same\n", "same\n"), "");
    assert.equal(unifiedDiff("", "x\n"), "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n");
  });

  it("diffs configs, keeping text as written and hiding secrets when asked", async () => {
    const { workerText } = await fixture();
    const changed = workerText.replace("level: info", "level: debug");
    const diff = diffConfigs(workerText, changed);
    assert.match(diff, /^--- a\/config\n\+\+\+ b\/config\n@@ .+ @@\n/);
    assert.match(diff, /\n- {4}level: info\n\+ {4}level: debug\n/);
    const token = /token: (\S+)/.exec(workerText)?.[1] ?? "";
    const rotated = diffConfigs(
      workerText,
      workerText.replaceAll(token, "abcdef.0123456789abcdef"),
      { redact: true },
    );
    assert.equal(rotated, "");
    assert.doesNotMatch(
      diffConfigs(workerText, changed, { redact: true, context: 100 }),
      new RegExp(token.replace(".", "\\.")),
    );
  });
});
