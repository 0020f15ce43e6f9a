import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { appendFileSync, closeSync, constants, openSync } from "node:fs";
import { describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { readDmesg } from "./dmesg";

function canOpen(path: string, flags: number): boolean {
  try {
    closeSync(openSync(path, flags));
    return true;
  } catch {
    return false;
  }
}

const readable = canOpen("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK);
const writable = canOpen("/dev/kmsg", constants.O_WRONLY);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("readDmesg", () => {
  it("explains how to fix a kernel log it cannot open", async () => {
    const signal = new AbortController().signal;
    await assert.rejects(
      collect(readDmesg("/nonexistent/kmsg", { follow: false, tail: 0, signal })),
      (error) => {
        assert.ok(error instanceof KeelsonError);
        assert.equal(error.code, "unavailable");
        assert.match(error.message, /\/nonexistent\/kmsg does not exist/);
        assert.match(error.hint ?? "", /CAP_SYSLOG/);
        return true;
      },
    );
  });

  it("returns only the last N records of the buffer", {
    skip: !readable && "cannot read /dev/kmsg",
  }, async () => {
    const signal = new AbortController().signal;
    const all = await collect(readDmesg("/dev/kmsg", { follow: false, tail: 0, signal }));
    const last = await collect(readDmesg("/dev/kmsg", { follow: false, tail: 3, signal }));
    assert.equal(last.length, Math.min(3, all.length));
    const sequences = last.map((r) => r.sequence ?? 0n);
    assert.deepEqual(
      sequences,
      [...sequences].sort((a, b) => (a < b ? -1 : 1)),
    );
    assert.ok((sequences.at(-1) ?? 0n) >= (all.at(-1)?.sequence ?? 0n));
  });

  it("follows new messages until the signal aborts", {
    skip: !writable && "cannot write /dev/kmsg",
    timeout: 30_000,
  }, async () => {
    const marker = `keelson-test-${randomUUID()}`;
    const controller = new AbortController();
    let injected = false;
    let seen: { facility?: string; priority?: string } | undefined;
    for await (const record of readDmesg("/dev/kmsg", {
      follow: true,
      tail: 1,
      signal: controller.signal,
    })) {
      if (!injected) {
        // The backlog (one record) is out, so the marker can only arrive through follow.
        // <14> is user.info; without it the kernel picks its default level.
        appendFileSync("/dev/kmsg", `<14>${marker}\n`);
        injected = true;
      } else if (record.message === marker) {
        seen = record;
        controller.abort();
      }
    }
    assert.deepEqual([seen?.facility, seen?.priority], ["user", "info"]);
  });
});
