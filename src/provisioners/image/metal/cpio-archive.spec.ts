import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cpioArchive } from "./cpio-archive";

describe("the initramfs archive (cpio newc)", () => {
  it("unpacks with GNU cpio to the same files and modes, and the same input gives the same bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "cpio-"));
    try {
      const entries = [
        { path: "lib", type: "dir", mode: 0o755 },
        { path: "init", type: "file", mode: 0o755, data: Buffer.from("\x7fELF...") },
        { path: "lib/modules", type: "dir", mode: 0o700 },
        { path: "lib/modules/a.ko", type: "file", mode: 0o644, data: Buffer.alloc(4099, 7) },
      ] as const;
      const archive = cpioArchive(entries);
      assert.deepEqual(cpioArchive([...entries].reverse()), archive);
      execFileSync("cpio", ["-id", "--quiet"], { cwd: dir, input: archive });
      assert.equal(readFileSync(join(dir, "init"), "utf8"), "\x7fELF...");
      assert.equal(statSync(join(dir, "init")).mode & 0o777, 0o755);
      assert.deepEqual(readFileSync(join(dir, "lib/modules/a.ko")), Buffer.alloc(4099, 7));
      assert.equal(statSync(join(dir, "lib/modules")).mode & 0o777, 0o700);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("aligns every header to 4 bytes, whatever the names and sizes", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 6 }),
        fc.nat(64),
        (names, size) => {
          const archive = cpioArchive(
            names.map((path) => ({ path, type: "file", mode: 0o644, data: Buffer.alloc(size) })),
          );
          let at = 0;
          let seen = 0;
          for (;;) {
            assert.equal(at % 4, 0);
            assert.equal(archive.subarray(at, at + 6).toString(), "070701");
            const field = (i: number) =>
              Number.parseInt(archive.subarray(at + 6 + i * 8, at + 14 + i * 8).toString(), 16);
            const nameSize = field(11);
            const name = archive.subarray(at + 110, at + 110 + nameSize - 1).toString();
            if (name === "TRAILER!!!") break;
            seen++;
            const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
            at = Math.ceil((dataAt + field(6)) / 4) * 4;
          }
          assert.equal(seen, names.length);
        },
      ),
    );
  });
});
