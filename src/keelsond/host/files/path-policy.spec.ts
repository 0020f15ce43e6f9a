import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { isWithin, PathPolicy } from "./path-policy";
import { makeTestTree } from "./test-tree";

function rejects(code: string) {
  return (error: unknown) => error instanceof KeelsonError && error.code === code;
}

describe("PathPolicy", () => {
  const tree = makeTestTree();
  const policy = new PathPolicy([tree.root]);
  after(() => tree.remove());

  it("rejects relative paths, NUL bytes and paths over 4096 bytes", async () => {
    await assert.rejects(policy.resolve("etc/passwd"), rejects("invalidArgument"));
    await assert.rejects(policy.resolve(""), rejects("invalidArgument"));
    await assert.rejects(policy.resolve(`${tree.root}/file.txt\0`), rejects("invalidArgument"));
    await assert.rejects(
      policy.resolve(`${tree.root}/${"a".repeat(4096)}`),
      rejects("invalidArgument"),
    );
  });

  it("resolves paths inside the root to their real path", async () => {
    assert.equal(
      await policy.resolve(`${tree.root}/inside/inner.txt`),
      `${tree.root}/sub/inner.txt`,
    );
    assert.equal(
      await policy.resolve(`${tree.root}/self/./sub/../file.txt`),
      `${tree.root}/file.txt`,
    );
    assert.equal(await policy.resolve(`${tree.root}/`), tree.root);
  });

  it("denies symlinks that lead outside and names the roots in the hint", async () => {
    for (const breakout of ["out/secret.txt", "secret-link", "abs/passwd", "up", "up/outside"]) {
      await assert.rejects(policy.resolve(`${tree.root}/${breakout}`), (error: unknown) => {
        assert.ok(error instanceof KeelsonError && error.code === "permissionDenied", breakout);
        assert.ok(error.hint?.includes(tree.root));
        return true;
      });
    }
  });

  it("denies a sibling that merely shares the root's prefix", async () => {
    await assert.rejects(
      policy.resolve(`${tree.base}/rootx/secret.txt`),
      rejects("permissionDenied"),
    );
    await assert.rejects(new PathPolicy(["/proc"]).resolve("/procx"), rejects("permissionDenied"));
  });

  it("says notFound only inside the roots, so it does not reveal what exists outside", async () => {
    await assert.rejects(policy.resolve(`${tree.root}/nope`), rejects("notFound"));
    await assert.rejects(policy.resolve(`${tree.root}/dangling`), rejects("notFound"));
    await assert.rejects(policy.resolve(`${tree.base}/nope`), rejects("permissionDenied"));
  });

  it("reports a symlink loop as invalid", async () => {
    await assert.rejects(policy.resolve(`${tree.root}/loop`), rejects("invalidArgument"));
  });

  it("admits paths under a root that is itself a symlink", async () => {
    const viaLink = new PathPolicy([`${tree.root}/inside`]);
    assert.equal(
      await viaLink.resolve(`${tree.root}/inside/inner.txt`),
      `${tree.root}/sub/inner.txt`,
    );
  });

  it("refuses to be built without roots or with a relative one", () => {
    assert.throws(() => new PathPolicy([]), rejects("invalidArgument"));
    assert.throws(() => new PathPolicy(["var/log"]), rejects("invalidArgument"));
  });
});

describe("isWithin", () => {
  it("matches whole path segments only", () => {
    assert.ok(isWithin("/proc", "/proc"));
    assert.ok(isWithin("/proc/1/status", "/proc"));
    assert.ok(!isWithin("/procx", "/proc"));
    assert.ok(!isWithin("/pro", "/proc"));
    assert.ok(isWithin("/anything", "/"));
  });
});
