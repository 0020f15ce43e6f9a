import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { AllowListFiles } from "./allow-list-files";
import { CHUNK_BYTES } from "./read-file";
import { makeTestTree } from "./test-tree";

const signal = new AbortController().signal;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function rejects(code: string) {
  return (error: unknown) => error instanceof KeelsonError && error.code === code;
}

describe("AllowListFiles.read", () => {
  const tree = makeTestTree();
  const files = new AllowListFiles([tree.root, "/proc"]);
  after(() => tree.remove());

  it("streams a file in 64 KiB chunks", async () => {
    const content = Buffer.alloc(CHUNK_BYTES * 2 + 10, "k");
    writeFileSync(`${tree.root}/big.bin`, content);
    const chunks = await collect(files.read(`${tree.root}/big.bin`, signal));
    assert.deepEqual(
      chunks.map((c) => c.length),
      [CHUNK_BYTES, CHUNK_BYTES, 10],
    );
    assert.deepEqual(Buffer.concat(chunks), content);
  });

  it("reads /proc files, which report size 0, until EOF", async () => {
    const chunks = await collect(files.read("/proc/self/status", signal));
    const text = Buffer.concat(chunks).toString();
    assert.match(text, new RegExp(`^Pid:\\s+${process.pid}$`, "m"));
  });

  it("refuses directories, FIFOs and files outside the roots", async () => {
    await assert.rejects(
      collect(files.read(`${tree.root}/sub`, signal)),
      rejects("invalidArgument"),
    );
    execFileSync("mkfifo", [`${tree.root}/fifo`]);
    await assert.rejects(
      collect(files.read(`${tree.root}/fifo`, signal)),
      rejects("invalidArgument"),
    );
    await assert.rejects(
      collect(files.read(`${tree.root}/out/secret.txt`, signal)),
      rejects("permissionDenied"),
    );
    await assert.rejects(collect(files.read("/etc/hostname", signal)), rejects("permissionDenied"));
    await assert.rejects(collect(files.read(`${tree.root}/nope`, signal)), rejects("notFound"));
  });

  it("fails a read over the limit instead of truncating it", async () => {
    const small = new AllowListFiles([tree.root, "/proc"], { maxReadBytes: 4 });
    await assert.rejects(
      collect(small.read(`${tree.root}/file.txt`, signal)),
      rejects("resourceExhausted"),
    );
    await assert.rejects(
      collect(small.read("/proc/self/status", signal)),
      rejects("resourceExhausted"),
    );
  });

  it("stops without an error once the signal is aborted", async () => {
    assert.deepEqual(await collect(files.read(`${tree.root}/file.txt`, AbortSignal.abort())), []);
  });
});

describe("AllowListFiles.list", () => {
  const tree = makeTestTree();
  const files = new AllowListFiles([tree.root]);
  after(() => tree.remove());

  it("lists a directory's own entries at depth 0, sorted, symlinks not followed", async () => {
    const entries = await collect(files.list(tree.root, 0, signal));
    assert.deepEqual(
      entries.map((e) => [e.path?.slice(tree.root.length), e.type]),
      [
        ["/abs", "symlink"],
        ["/dangling", "symlink"],
        ["/file.txt", "file"],
        ["/inside", "symlink"],
        ["/loop", "symlink"],
        ["/out", "symlink"],
        ["/secret-link", "symlink"],
        ["/self", "symlink"],
        ["/sub", "directory"],
        ["/up", "symlink"],
      ],
    );
    const file = entries.find((e) => e.path === `${tree.root}/file.txt`);
    assert.equal(file?.sizeBytes, 7n);
    assert.equal(file?.mode, 0o644 & ~process.umask());
    assert.equal(entries.find((e) => e.path === `${tree.root}/out`)?.linkTarget, "../outside");
  });

  it("descends as deep as asked", async () => {
    const paths = (await collect(files.list(`${tree.root}/sub`, 1, signal))).map((e) => e.path);
    assert.deepEqual(paths, [`${tree.root}/sub/deeper`, `${tree.root}/sub/inner.txt`]);
    // The 10 top-level entries plus sub/deeper and sub/inner.txt; no symlink is followed.
    assert.equal((await collect(files.list(tree.root, 2, signal))).length, 12);
  });

  it("lists a file as itself, at its real path", async () => {
    const [info, ...rest] = await collect(files.list(`${tree.root}/inside/inner.txt`, 0, signal));
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [info?.path, info?.type, info?.sizeBytes],
      [`${tree.root}/sub/inner.txt`, "file", 6n],
    );
    const mtime = statSync(`${tree.root}/sub/inner.txt`).mtime;
    assert.equal(info?.modified?.seconds, BigInt(Math.floor(mtime.getTime() / 1000)));
  });

  it("rejects depths beyond the cap and stops at the entry cap with a clear error", async () => {
    await assert.rejects(collect(files.list(tree.root, 9, signal)), rejects("invalidArgument"));
    await assert.rejects(collect(files.list(tree.root, -1, signal)), rejects("invalidArgument"));
    const capped = new AllowListFiles([tree.root], { maxEntries: 3 });
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const info of capped.list(tree.root, 2, signal)) seen.push(info.path ?? "");
    }, rejects("resourceExhausted"));
    assert.equal(seen.length, 3);
  });

  it("closes every descriptor when the consumer stops early", async () => {
    const openFds = () => readdirSync("/proc/self/fd").length;
    const before = openFds();
    for await (const info of files.list(tree.root, 2, signal)) {
      // At "sub" the walk holds the root and, already opened, sub itself.
      if (info.path === `${tree.root}/sub`) break;
    }
    assert.equal(openFds(), before);
  });

  it("denies listing outside the roots, including through a symlink", async () => {
    await assert.rejects(
      collect(files.list(`${tree.root}/out`, 0, signal)),
      rejects("permissionDenied"),
    );
    await assert.rejects(
      collect(files.list(`${tree.root}/up`, 0, signal)),
      rejects("permissionDenied"),
    );
  });
});
