import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { listImages } from "../images";
import {
  busyboxImage,
  type Harness,
  runToEnd,
  skipReason,
  startContainerd,
} from "../testing/containerd-harness";
import { startTestRegistry, type TestRegistry } from "../testing/test-registry";
import { pullImage } from "./pull-image";

const ns = "k8s.io";
const hasCode = (code: string) => (e: unknown) => e instanceof KeelsonError && e.code === code;

describe("pulling from a registry", { skip: skipReason() }, () => {
  let h: Harness;
  let registry: TestRegistry;
  before(async () => {
    h = await startContainerd();
    registry = await startTestRegistry({
      "apps/hello:1": busyboxImage("x", ["sh", "-c", "exit 5"], { gzip: true }),
    });
  });
  after(async () => {
    await registry?.close();
    await h?.close();
  });

  it("pulls with token auth over TLS, unpacks, and runs the image", async () => {
    const name = await pullImage(h.client, ns, `${registry.host}/apps/hello:1`, {
      ca: registry.ca,
    });
    assert.equal(name, `${registry.host}/apps/hello:1`);
    assert.ok((await listImages(h.client, ns)).some((i) => i.name === name));
    assert.equal(await runToEnd(h, ns, "hello", name), 5);
  });

  it("says notFound for an unknown tag, and refuses an untrusted certificate", async () => {
    await assert.rejects(
      pullImage(h.client, ns, `${registry.host}/apps/hello:nope`, { ca: registry.ca }),
      hasCode("notFound"),
    );
    await assert.rejects(
      pullImage(h.client, ns, `${registry.host}/apps/hello:1`),
      hasCode("unavailable"),
    );
  });

  it("says unavailable when the registry is unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      pullImage(h.client, ns, `127.0.0.1:${port}/apps/hello:1`, { timeoutMs: 2000 }),
      (e: unknown) => hasCode("unavailable")(e) && /unreachable/.test(String(e)),
    );
  });
});
