import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readImageArchive } from "../../keelsond/containers/archive";
import type { ImageConfig, ImageManifest } from "../oci";
import { readTar } from "../tar";
import { buildImage, type ImageRecipe } from "./build-image";
import { ociArchive, writeOciLayout } from "./oci-layout";

const longPath = `${"deep/".repeat(30)}file.txt`;

const recipe = (): ImageRecipe => ({
  name: "keelson.local/system/echo:1",
  layers: [
    {
      "/bin/tool": { type: "file", content: "#!/bin/sh\necho hi\n", mode: 0o755 },
      "etc/motd": { type: "file", content: "héllo\n" },
      "bin/alias": { type: "symlink", target: "tool" },
      [longPath]: { type: "file", content: "x" },
    },
    { "var/lib/state": { type: "dir", mode: 0o700 } },
  ],
  entrypoint: ["/bin/tool"],
  env: { MODE: "test" },
  workingDir: "/var/lib/state",
});

describe("buildImage", () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-img-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is deterministic: the same recipe gives the same digests and archive bytes", () => {
    const a = buildImage(recipe());
    const b = buildImage(recipe());
    assert.equal(a.manifest.digest, b.manifest.digest);
    assert.ok(ociArchive(a).equals(ociArchive(b)));
    const changed = recipe();
    changed.env = { MODE: "other" };
    assert.notEqual(buildImage(changed).manifest.digest, a.manifest.digest);
    assert.notEqual(buildImage({ ...recipe(), gzip: true }).manifest.digest, a.manifest.digest);
    assert.equal(
      buildImage({ ...recipe(), gzip: true }).manifest.digest,
      buildImage({ ...recipe(), gzip: true }).manifest.digest,
    );
  });

  it("writes sorted layers with parents, modes, links and long paths that tar(1) reads back", () => {
    const image = buildImage(recipe());
    const manifest = JSON.parse(
      image.blobs.get(image.manifest.digest)!.toString(),
    ) as ImageManifest;
    const layer = image.blobs.get(manifest.layers[0]!.digest)!;
    const entries = readTar(layer);
    const paths = entries.map((e) => e.path);
    assert.deepEqual(paths.slice(0, 5), ["bin", "bin/alias", "bin/tool", "deep", "deep/deep"]);
    assert.ok(paths.includes(longPath));
    assert.equal(entries.find((e) => e.path === "bin/tool")?.mode, 0o755);
    assert.equal(entries.find((e) => e.path === "bin/alias")?.linkTarget, "tool");
    assert.equal(entries.find((e) => e.path === "etc/motd")?.data?.toString(), "héllo\n");
    const file = join(dir, "layer.tar");
    writeFileSync(file, layer);
    const listing = execFileSync("tar", ["-tvf", file], { encoding: "utf8" });
    assert.match(listing, /^-rwxr-xr-x 0\/0\s+18 1970-01-01 00:00 bin\/tool$/m);
    assert.match(listing, /bin\/alias -> tool/);
    assert.ok(listing.includes(longPath));
  });

  it("records the process config and diff IDs, and round-trips through an OCI archive and layout", () => {
    const image = buildImage(recipe());
    const manifest = JSON.parse(
      image.blobs.get(image.manifest.digest)!.toString(),
    ) as ImageManifest;
    const config = JSON.parse(image.blobs.get(manifest.config.digest)!.toString()) as ImageConfig;
    assert.deepEqual(config.config?.Entrypoint, ["/bin/tool"]);
    assert.deepEqual(config.config?.Env, ["MODE=test"]);
    assert.equal(config.rootfs.diff_ids.length, 2);
    const [back] = readImageArchive(ociArchive(image));
    assert.equal(back?.name, image.name);
    assert.equal(back?.manifest.digest, image.manifest.digest);
    writeOciLayout(join(dir, "layout"), image);
    const index = JSON.parse(readFileSync(join(dir, "layout", "index.json"), "utf8"));
    assert.equal(index.manifests[0].annotations["org.opencontainers.image.ref.name"], image.name);
    const blob = readFileSync(
      join(dir, "layout", "blobs", "sha256", image.manifest.digest.slice(7)),
    );
    assert.ok(blob.equals(image.blobs.get(image.manifest.digest)!));
  });
});
