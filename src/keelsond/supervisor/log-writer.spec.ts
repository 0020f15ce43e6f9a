import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { LogWriter } from "./log-writer";

const dir = mkdtempSync(join(tmpdir(), "log-writer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.replace(/^\S+ /, ""));

describe("LogWriter", () => {
  it("writes the lines of one turn together at its end, whole lines only", async () => {
    const path = join(dir, "turn.log");
    const log = new LogWriter(path);
    log.line("first");
    log.write("second\nthi");
    assert.equal(readFileSync(path, "utf8"), "");
    await nextTurn();
    assert.deepEqual(lines(path), ["first", "second"]);
    log.write("rd\n");
    await nextTurn();
    assert.deepEqual(lines(path), ["first", "second", "third"]);
    log.close();
  });

  it("flushes held lines and the partial one on close", () => {
    const path = join(dir, "close.log");
    const log = new LogWriter(path);
    log.line("held");
    log.write("no newline");
    log.close();
    assert.deepEqual(lines(path), ["held", "no newline"]);
  });

  it("writes what it holds when the process exits in the same turn", () => {
    const path = join(dir, "exit.log");
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import { LogWriter } from ${JSON.stringify(`${import.meta.dirname}/log-writer.ts`)};
         new LogWriter(${JSON.stringify(path)}).line("last words");
         process.exit(75);`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(child.status, 75, child.stderr);
    assert.deepEqual(lines(path), ["last words"]);
  });

  it("rotates to .1 past 8 MiB, counting bytes, not characters", async () => {
    const path = join(dir, "rotate.log");
    const log = new LogWriter(path);
    const line = "é".repeat(50_000); // 100,000 bytes as UTF-8
    for (let i = 0; i < 90; i++) {
      log.line(line);
      await nextTurn();
    }
    log.close();
    assert.ok(existsSync(`${path}.1`));
    assert.ok(statSync(`${path}.1`).size <= 8 * 1024 * 1024);
    assert.ok(statSync(path).size < statSync(`${path}.1`).size);
  });
});
