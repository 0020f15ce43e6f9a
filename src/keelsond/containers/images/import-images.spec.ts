import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { ociArchive } from "../../../machinery/image-builder";
import type { ImageManifest, OciImage } from "../../../machinery/oci";
import { writeTar } from "../../../machinery/tar";
import {
  busyboxImage,
  type Harness,
  runToEnd,
  skipReason,
  startContainerd,
} from "../testing/containerd-harness";
import { listImages, removeImage } from "./image-store";
import { importImages } from "./import-images";

const ns = "system";
const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof KeelsonError && e.code === "invalidArgument" && pattern.test(e.message);

/** The image as `docker save` writes it: manifest.json, the config and one tar per layer. */
function dockerArchive(image: OciImage, tag: string): Buffer {
  const manifest = JSON.parse(image.blobs.get(image.manifest.digest)!.toString()) as ImageManifest;
  const file = (path: string, digest: string) => ({
    path,
    type: "file" as const,
    mode: 0o644,
    data: image.blobs.get(digest)!,
  });
  const layers = manifest.layers.map((layer, i) => file(`layer${i}/layer.tar`, layer.digest));
  const entry = { Config: "config.json", RepoTags: [tag], Layers: layers.map((l) => l.path) };
  return writeTar([
    file("config.json", manifest.config.digest),
    ...layers,
    {
      path: "manifest.json",
      type: "file",
      mode: 0o644,
      data: Buffer.from(JSON.stringify([entry])),
    },
  ]);
}

describe("importing image archives into containerd", { skip: skipReason() }, () => {
  let h: Harness;
  before(async () => {
    h = await startContainerd();
  });
  after(async () => h?.close());

  it("imports an OCI archive (gzipped layers) and runs it", async () => {
    const image = busyboxImage("keelson.local/test/oci:1", ["sh", "-c", "exit 0"], { gzip: true });
    assert.deepEqual(await importImages(h.client, ns, ociArchive(image)), [
      "keelson.local/test/oci:1",
    ]);
    assert.equal(await runToEnd(h, ns, "oci", "keelson.local/test/oci:1"), 0);
  });

  it("imports a Docker archive under its normalised name and runs it", async () => {
    const image = busyboxImage("ignored", ["sh", "-c", "exit 4"]);
    assert.deepEqual(await importImages(h.client, ns, dockerArchive(image, "dockerimg:2")), [
      "docker.io/library/dockerimg:2",
    ]);
    assert.equal(await runToEnd(h, ns, "docker", "dockerimg:2"), 4);
    const names = (await listImages(h.client, ns)).map((i) => i.name);
    assert.ok(names.includes("docker.io/library/dockerimg:2"));
    await removeImage(h.client, ns, "dockerimg:2");
    assert.ok(
      !(await listImages(h.client, ns)).some((i) => i.name === "docker.io/library/dockerimg:2"),
    );
    await assert.rejects(
      removeImage(h.client, ns, "dockerimg:2"),
      (e: unknown) => e instanceof KeelsonError && e.code === "notFound",
    );
  });

  it("rejects what is not an image archive with invalidArgument and a clear message", async () => {
    await assert.rejects(
      importImages(h.client, ns, Buffer.from("definitely not a tar archive\n".repeat(40))),
      invalid(/not a valid tar archive/),
    );
    await assert.rejects(
      importImages(h.client, ns, Buffer.alloc(0)),
      invalid(/not a valid tar archive: it holds no files/),
    );
    const plain = writeTar([
      { path: "hello.txt", type: "file", mode: 0o644, data: Buffer.from("hi") },
    ]);
    await assert.rejects(
      importImages(h.client, ns, plain),
      invalid(/neither an OCI archive .* nor a Docker archive/),
    );
    const image = busyboxImage("keelson.local/test/broken:1", ["sh"]);
    const [digest] = [...image.blobs.keys()].filter((d) => d !== image.manifest.digest);
    image.blobs.set(digest!, Buffer.from("tampered"));
    await assert.rejects(importImages(h.client, ns, ociArchive(image)), invalid(/is corrupt/));
  });
});
