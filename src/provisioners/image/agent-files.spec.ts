import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { programFiles } from "./agent-files";

describe("programFiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-agent-files-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => writeFileSync(join(dir, path), text);
  mkdirSync(join(dir, "chunks"));

  it("follows every relative import, spaced or minified, and nothing else", () => {
    write(
      "main.mjs",
      [
        'import { a } from "./chunks/static.mjs";',
        'import"./chunks/effect-min.mjs";',
        "import './chunks/effect.mjs';",
        'export{b}from"./chunks/reexport-min.mjs";',
        'const c=()=>import("./chunks/dynamic.mjs");',
        'import { d } from "node:fs";',
        'const text = "./chunks/not-an-import.mjs";',
      ].join("\n"),
    );
    for (const name of ["static", "effect-min", "effect", "reexport-min", "dynamic"])
      write(`chunks/${name}.mjs`, name === "dynamic" ? 'import"./nested.mjs";' : "");
    write("chunks/nested.mjs", "");
    write("chunks/not-an-import.mjs", "");
    write("chunks/stale.mjs", "");
    assert.deepEqual(programFiles(join(dir, "main.mjs")), [
      "chunks/dynamic.mjs",
      "chunks/effect-min.mjs",
      "chunks/effect.mjs",
      "chunks/nested.mjs",
      "chunks/reexport-min.mjs",
      "chunks/static.mjs",
      "main.mjs",
    ]);
  });
});
