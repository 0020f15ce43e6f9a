import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TlsSessionFile } from "./tls-session-file";

describe("TlsSessionFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-tls-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ticket = Buffer.from("ticket bytes");
  let n = 0;
  const fresh = () => join(dir, `cache-${n++}`, "tls-sessions.json");

  it("keeps tickets across runs in a file only its owner can read", () => {
    const path = fresh();
    const first = TlsSessionFile.load(path);
    first.set("k", ticket);
    first.save();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, "..")).mode & 0o777, 0o700);
    assert.deepEqual(TlsSessionFile.load(path).get("k"), ticket);
  });

  it("writes nothing when a run got no new ticket", () => {
    const path = fresh();
    TlsSessionFile.load(path).save();
    assert.equal(existsSync(path), false);
  });

  it("ignores tickets older than the agent's session lifetime, or from the future", () => {
    const path = fresh();
    let now = 1_000_000_000;
    const cache = TlsSessionFile.load(path, () => now);
    cache.set("k", ticket);
    cache.save();
    now += 5 * 60 * 1000;
    assert.equal(TlsSessionFile.load(path, () => now).get("k"), undefined);
    assert.equal(TlsSessionFile.load(path, () => 0).get("k"), undefined);
  });

  it("ignores a file others could read or write, and one that is not JSON", () => {
    const path = fresh();
    const cache = TlsSessionFile.load(path);
    cache.set("k", ticket);
    cache.save();
    chmodSync(path, 0o644);
    assert.equal(TlsSessionFile.load(path).get("k"), undefined);
    writeFileSync(path, "{not json", { mode: 0o600 });
    chmodSync(path, 0o600);
    assert.equal(TlsSessionFile.load(path).get("k"), undefined);
  });
});
