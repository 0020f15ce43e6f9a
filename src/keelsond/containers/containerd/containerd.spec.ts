import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { storeImage } from "../images";
import { containerLogPath, createContainer, listContainers, startTask } from "../runtime";
import {
  busyboxImage,
  type Harness,
  skipReason,
  startContainerd,
} from "../testing/containerd-harness";
import { Containerd } from "./containerd";
import { listNamespaces } from "./namespaces";

const hasCode = (code: string) => (e: unknown) => e instanceof KeelsonError && e.code === code;

describe("Containerd client without containerd", () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-cd-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("fails with unavailable when nothing listens on the socket", async () => {
    const cd = new Containerd({ socket: join(dir, "missing.sock") });
    await assert.rejects(
      cd.version(),
      (e: unknown) => hasCode("unavailable")(e) && /not reachable/.test(String(e)),
    );
    cd.close();
  });

  it("fails with deadlineExceeded when the socket accepts but never answers", async () => {
    const socket = join(dir, "hung.sock");
    const hung: Server = createServer(() => {
      // Accept and say nothing, like a stopped containerd.
    });
    await new Promise<void>((resolve) => hung.listen(socket, resolve));
    const cd = new Containerd({ socket, deadlineMs: 300 });
    await assert.rejects(
      cd.version(),
      (e: unknown) => hasCode("deadlineExceeded")(e) && /300 ms/.test(String(e)),
    );
    cd.close();
    hung.close();
  });
});

describe("Containerd client on a real containerd", { skip: skipReason() }, () => {
  let h: Harness;
  before(async () => {
    h = await startContainerd();
  });
  after(async () => h?.close());

  it("reads the version and namespaces", async () => {
    assert.match((await h.client.version()).version, /^1\./);
    await storeImage(
      h.client,
      "system",
      busyboxImage("keelson.local/test/busybox:1", ["sleep", "1000"]),
    );
    assert.deepEqual(await listNamespaces(h.client), ["system"]);
  });

  it("fails fast while containerd is down and works again once it is back; containers live on", async () => {
    await createContainer(h.client, "system", {
      id: "survivor",
      image: "keelson.local/test/busybox:1",
    });
    const pid = await startTask(
      h.client,
      "system",
      "survivor",
      containerLogPath(h.paths.logs, "system", "survivor"),
    );
    await h.kill();
    await assert.rejects(h.client.version(), hasCode("unavailable"));
    await assert.rejects(listContainers(h.client, "system"), hasCode("unavailable"));
    await h.restart();
    const [survivor] = await listContainers(h.client, "system");
    assert.deepEqual([survivor?.id, survivor?.state, survivor?.pid], ["survivor", "running", pid]);
  });
});
