import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { digestOf, RevisionStore } from "./revision-store";

const tempDir = () => mkdtempSync(join(tmpdir(), "keelson-rev-"));

describe("RevisionStore", () => {
  it("numbers revisions, verifies digests and names the known range for a missing one", () => {
    const store = new RevisionStore(tempDir());
    const first = store.add("a: 1\n", [], "CN=alice", "auto");
    store.setPointer({ committed: first.revision });
    const second = store.add("a: 2\n", [], "CN=bob", "staged");
    store.setPointer({ committed: 1, staged: second.revision });
    assert.deepEqual(
      store.list().map((r) => [r.revision, r.author, r.mode]),
      [
        [1, "CN=alice", "auto"],
        [2, "CN=bob", "staged"],
      ],
    );
    assert.equal(store.get(2).digest, digestOf("a: 2\n"));
    assert.throws(() => store.get(9), /revision 9 does not exist.*|revisions are 1–2/);
  });

  it("never runs a damaged revision", () => {
    const dir = tempDir();
    const store = new RevisionStore(dir);
    store.setPointer({ committed: store.add("a: 1\n", [], "", "auto").revision });
    const file = join(dir, "revisions", readdirSync(join(dir, "revisions"))[0] ?? "");
    writeFileSync(file, JSON.stringify({ ...store.get(1), yaml: "a: 666\n" }));
    assert.throws(() => store.get(1), /damaged/);
  });

  it("drops a revision orphaned by a crash before its pointer was written", () => {
    const store = new RevisionStore(tempDir());
    store.setPointer({ committed: store.add("a: 1\n", [], "", "auto").revision });
    store.add("orphan: true\n", [], "", "auto");
    assert.deepEqual(
      store.list().map((r) => r.revision),
      [1],
    );
    const next = store.add("a: 3\n", [], "", "auto");
    store.setPointer({ committed: next.revision });
    assert.deepEqual(
      store.list().map((r) => r.yaml),
      ["a: 1\n", "a: 3\n"],
    );
  });

  it("leaves one whole revision in force however often the writer is killed with SIGKILL", async () => {
    const dir = tempDir();
    // The writer commits revisions as fast as it can until it is killed.
    const writer = `
      import { RevisionStore } from ${JSON.stringify(join(import.meta.dirname, "revision-store.ts"))};
      const store = new RevisionStore(${JSON.stringify(dir)});
      for (let i = 0; ; i++) {
        const big = "x".repeat(1000 + (i % 50) * 997);
        const r = store.add("value: " + i + "\\npad: " + big + "\\n", [], "CN=writer", "auto");
        store.setPointer({ committed: r.revision });
        if (i === 0) process.stdout.write("committing\\n");
      }`;
    let lastSeen = 0;
    for (let round = 0; round < 25; round++) {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", writer],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      // Kill at a random instant once it is writing, so kills land in every step of a commit.
      await new Promise((resolve) => child.stdout.once("data", resolve));
      await sleep(Math.floor(Math.random() * 40));
      child.kill("SIGKILL");

      await new Promise((resolve) => child.once("exit", resolve));
      const store = new RevisionStore(dir);
      const pointer = store.pointer();
      if (!pointer) continue;
      const current = store.get(pointer.committed);
      assert.match(current.yaml, /^value: \d+\npad: x+\n$/);
      assert.ok(pointer.committed >= lastSeen, "the revision in force never goes back");
      lastSeen = pointer.committed;
    }
    assert.ok(lastSeen > 0, "the writer committed at least once");
  });
});
