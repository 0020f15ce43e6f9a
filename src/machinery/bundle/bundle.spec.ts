import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { KeelsonError } from "../errors";
import { readBundleHeader, readBundleLayout, streamPayload } from "./bundle-file";
import { installToDirectory, verifyDirectory } from "./install-directory";
import { generateSigningKey, publicKeyOf } from "./signing-key";
import { signBundle, writeBundle } from "./write-bundle";

const spec = {
  version: "1.2.3",
  arch: "amd64",
  target: "process",
  minUpgradeFrom: "1.0.0",
} as const;

async function refusal(promise: Promise<unknown>): Promise<KeelsonError> {
  return promise.then(
    () => assert.fail("expected the bundle to be refused"),
    (error: unknown) => {
      assert.ok(error instanceof KeelsonError, `a KeelsonError, not ${String(error)}`);
      return error;
    },
  );
}

describe("upgrade bundles", () => {
  const key = generateSigningKey();
  const trusted = [publicKeyOf(key.publicKey)];
  let dir: string;
  let bundle: string;
  const contents: Record<string, Buffer> = {
    "keelsond.mjs": randomBytes(300_000),
    "chunks/a.mjs": randomBytes(5_000),
    empty: Buffer.alloc(0),
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "keelson-bundle-"));
    const files = Object.entries(contents).map(([path, data]) => {
      const source = join(dir, path.replace("/", "-"));
      writeFileSync(source, data);
      return { path, source };
    });
    bundle = join(dir, "good.bundle");
    await writeBundle(bundle, spec, files, key);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const copy = (name: string, change: (bytes: Buffer) => Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, change(Buffer.from(readFileSync(bundle))));
    return path;
  };

  it("round trip: verified header, payload streamed and installed byte for byte", async () => {
    const header = await readBundleHeader(bundle, trusted);
    assert.equal(header.manifest.version, "1.2.3");
    assert.deepEqual(
      header.manifest.components.map((c) => [c.path, c.size]),
      Object.entries(contents).map(([p, d]) => [p, d.length]),
    );
    const slot = join(dir, "slot");
    await installToDirectory(bundle, header, slot);
    await verifyDirectory(slot, header.manifest);
    for (const [path, data] of Object.entries(contents))
      assert.ok(readFileSync(join(slot, path)).equals(data), path);
  });

  it("refuses an unsigned bundle, and takes it once signed", async () => {
    const unsigned = join(dir, "unsigned.bundle");
    const layout = await readBundleLayout(bundle);
    const files = layout.manifest.components.map((c) => ({
      path: c.path,
      source: join(dir, c.path.replace("/", "-")),
    }));
    await writeBundle(unsigned, spec, files, undefined);
    assert.match((await refusal(readBundleHeader(unsigned, trusted))).message, /not signed/);
    await signBundle(unsigned, unsigned, key);
    assert.equal((await readBundleHeader(unsigned, trusted)).manifest.version, "1.2.3");
  });

  it("refuses a bundle signed by a key the node does not trust", async () => {
    const other = generateSigningKey();
    const resigned = join(dir, "other-key.bundle");
    await signBundle(bundle, resigned, other);
    const e = await refusal(readBundleHeader(resigned, trusted));
    assert.equal(e.code, "permissionDenied");
    assert.match(e.message, /does not trust/);
  });

  it("refuses a tampered manifest (signature) and a tampered payload (digest)", async () => {
    const manifestTampered = copy("manifest.bundle", (b) => {
      const at = b.indexOf("1.2.3");
      b[at + 4] = "4".charCodeAt(0);
      return b;
    });
    assert.match((await refusal(readBundleHeader(manifestTampered, trusted))).message, /altered/);
    const payloadTampered = copy("payload.bundle", (b) => {
      b[b.length - 10_000] = (b[b.length - 10_000] ?? 0) ^ 0xff;
      return b;
    });
    const header = await readBundleHeader(payloadTampered, trusted);
    const sink = { start() {}, chunk() {}, end() {} };
    assert.match((await refusal(streamPayload(payloadTampered, header, sink))).message, /digest/);
  });

  it("refuses truncated, padded and foreign files, saying which", async () => {
    const truncated = copy("truncated.bundle", (b) => b.subarray(0, b.length - 1));
    assert.match((await refusal(readBundleHeader(truncated, trusted))).message, /truncated/);
    const padded = copy("padded.bundle", (b) => Buffer.concat([b, Buffer.from("x")]));
    assert.match(
      (await refusal(readBundleHeader(padded, trusted))).message,
      /more than its manifest/,
    );
    const foreign = copy("foreign.bundle", () => Buffer.from("PK\u0003\u0004 a zip file"));
    assert.match(
      (await refusal(readBundleHeader(foreign, trusted))).message,
      /not a Keelson bundle/,
    );
    const headerOnly = copy("short.bundle", (b) => b.subarray(0, 40));
    assert.match(
      (await refusal(readBundleHeader(headerOnly, trusted))).message,
      /truncated|corrupt/,
    );
  });

  it("fuzz: any corruption or truncation is refused with a KeelsonError, never taken", async () => {
    const good = readFileSync(bundle);
    const path = join(dir, "fuzz.bundle");
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant("flip"),
            at: fc.nat(good.length - 1),
            bits: fc.integer({ min: 1, max: 255 }),
          }),
          fc.record({
            kind: fc.constant("cut"),
            at: fc.nat(good.length - 1),
            bits: fc.constant(0),
          }),
        ),
        async ({ kind, at, bits }) => {
          const bytes = Buffer.from(good);
          if (kind === "flip") bytes[at] = (bytes[at] ?? 0) ^ bits;
          writeFileSync(path, kind === "cut" ? bytes.subarray(0, at) : bytes);
          if (kind === "cut") truncateSync(path, at);
          const taken = await readBundleHeader(path, trusted)
            .then((header) => streamPayload(path, header, { start() {}, chunk() {}, end() {} }))
            .then(
              () => true,
              (error: unknown) => {
                assert.ok(error instanceof KeelsonError, `unexpected ${String(error)}`);
                return false;
              },
            );
          assert.equal(taken, false, `${kind} at ${at} was taken`);
        },
      ),
      { numRuns: 150 },
    );
  });
});
