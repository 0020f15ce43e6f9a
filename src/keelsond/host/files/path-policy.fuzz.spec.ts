import assert from "node:assert/strict";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { KeelsonError } from "../../../machinery/errors";
import { AllowListFiles } from "./allow-list-files";
import { isWithin, PathPolicy } from "./path-policy";
import { makeTestTree } from "./test-tree";

const tree = makeTestTree();
after(() => tree.remove());

const segment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("..", ".", "", "sub", "deeper", "inner.txt", "file.txt"),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "up",
      "out",
      "abs",
      "self",
      "loop",
      "inside",
      "dangling",
      "secret-link",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom("outside", "secret.txt", "root", "rootx", "etc", "passwd"),
  },
  { weight: 1, arbitrary: fc.constantFrom("\0", "é", "\u{1F600}", "..\0", " ", "\\") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
);
const prefix = fc.constantFrom(
  tree.root,
  `${tree.root}/`,
  tree.base,
  "/",
  `${tree.base}/rootx`,
  "",
  "./",
);
const candidate = fc
  .tuple(prefix, fc.array(fc.tuple(segment, fc.constantFrom("/", "//", "/./")), { maxLength: 8 }))
  .map(([start, parts]) => start + parts.map(([name, sep]) => sep + name).join(""));

/** The kernel's view (libc realpath), not Node's JS realpathSync, which folds ".." lexically first. */
function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

describe("PathPolicy under generated paths", () => {
  const policy = new PathPolicy([tree.root]);

  it("never admits a path whose real path is outside the root, and admits those inside", async () => {
    let admitted = 0;
    await fc.assert(
      fc.asyncProperty(candidate, async (path) => {
        const real = path.includes("\0") ? undefined : realpathOrUndefined(path);
        const inside = real !== undefined && isWithin(real, tree.root);
        const lexicallyInside = path.startsWith("/") && isWithin(resolve(path), tree.root);
        try {
          const resolved = await policy.resolve(path);
          admitted++;
          assert.equal(resolved, real);
          assert.ok(isWithin(resolved, tree.root), `${path} -> ${resolved}`);
        } catch (error) {
          assert.ok(error instanceof KeelsonError, String(error));
          assert.ok(["invalidArgument", "permissionDenied", "notFound"].includes(error.code));
          assert.ok(
            !(inside && lexicallyInside && Buffer.byteLength(path) <= 4096),
            `wrongly refused ${path}`,
          );
        }
      }),
      { numRuns: 1500 },
    );
    assert.ok(admitted > 50, `only ${admitted} generated paths were admitted`);
  });

  it("lists only entries inside the root, whatever path the listing starts from", async () => {
    const files = new AllowListFiles([tree.root]);
    const signal = new AbortController().signal;
    await fc.assert(
      fc.asyncProperty(candidate, async (path) => {
        try {
          for await (const info of files.list(path, 8, signal)) {
            assert.ok(isWithin(info.path ?? "", tree.root), `${path} listed ${info.path}`);
          }
        } catch (error) {
          assert.ok(error instanceof KeelsonError, String(error));
        }
      }),
      { numRuns: 300 },
    );
  });
});
