import assert from "node:assert/strict";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { KeelsonError } from "../../../machinery/errors";
import { inspectRoot } from "./root-inspection";

describe("inspecting the root filesystem", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "root-"));
    mkdirSync(join(root, "usr/bin"), { recursive: true });
    mkdirSync(join(root, "usr/lib"), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("lists the programs the kernel could run: executable ELF programs, not libraries or data", () => {
    copyFileSync(process.execPath, join(root, "usr/bin/node"));
    chmodSync(join(root, "usr/bin/node"), 0o755);
    // The same program without an exec bit cannot be run.
    copyFileSync(process.execPath, join(root, "usr/lib/not-executable"));
    chmodSync(join(root, "usr/lib/not-executable"), 0o644);
    writeFileSync(join(root, "usr/lib/agent.mjs"), "#!/usr/bin/env node\nconsole.log(1)\n");
    assert.deepEqual(inspectRoot(root), ["/usr/bin/node"]);
  });

  for (const [what, path, content, mode] of [
    ["a shell by name", "usr/bin/sh", "\x7fELF", 0o755],
    ["busybox, which carries one", "usr/bin/busybox", "\x7fELF", 0o755],
    ["an executable script, which needs one", "usr/bin/tool", "#!/bin/sh\necho hi\n", 0o755],
  ] as const)
    it(`fails the build on ${what}`, () => {
      writeFileSync(join(root, path), content);
      chmodSync(join(root, path), mode);
      assert.throws(
        () => inspectRoot(root),
        (e: KeelsonError) => e.code === "failedPrecondition" && e.message.includes(`/${path}`),
      );
    });
});
