import assert from "node:assert/strict";
import * as http2 from "node:http2";
import { connect as tcpConnect } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import type { ConnectRouter } from "@connectrpc/connect";
import { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { connectMachine } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { createCa, issue, type PemPair } from "../../machinery/pki";
import { eventually } from "../../testing/eventually";
import { type ApiServer, startApiServer } from "./api-server";

const host = "127.0.0.1";

/** A node API with two methods: Version, and Events that stays open until the client leaves. */
function routes(router: ConnectRouter) {
  router.service(MachineService, {
    version: () => ({ node: "test" }),
    async *events(_req, ctx) {
      yield { event: { message: "open" } };
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    },
    logs() {
      throw new KeelsonError(
        "invalidArgument",
        "service is required",
        "list them with keelctl services",
      );
    },
  });
}

describe("API connection limits", () => {
  let ca: PemPair;
  let client: PemPair;
  let server: ApiServer;
  let port = 0;

  before(async () => {
    ca = await createCa("limits-test");
    const serving = await issue({ commonName: "node", hosts: [host], usage: "server" }, ca);
    client = await issue({ commonName: "c", organizations: ["os:admin"], usage: "client" }, ca);
    server = await startApiServer({
      address: host,
      port: 0,
      ca: ca.cert,
      cert: serving.cert,
      key: serving.key,
      routes,
      limits: { idleMs: 400, perAddress: 5 },
    });
    port = server.port;
  });
  after(() => server?.close());

  const credentials = () => ({ ca: ca.cert, cert: client.cert, key: client.key });

  /** Opens a raw TLS connection from `localAddress`; `closed` settles when the server closes it. */
  const openTls = (localAddress: string) => {
    const tcp = tcpConnect({ host, port, localAddress });
    tcp.on("error", () => {});
    const socket = tlsConnect({
      socket: tcp,
      ca: ca.cert,
      cert: client.cert,
      key: client.key,
      ALPNProtocols: ["h2"],
      // The certificate names 127.0.0.1 but the socket was handed over, so TLS has no host to check.
      checkServerIdentity: () => undefined,
    });
    socket.on("error", () => {});
    socket.resume(); // Read (and drop) what the server sends, so its close is seen.
    const secured = new Promise<boolean>((resolve) => {
      socket.once("secureConnect", () => resolve(true));
      tcp.once("close", () => resolve(false));
    });
    const closed = new Promise<void>((resolve) => tcp.once("close", () => resolve()));
    return { socket, secured, closed };
  };

  it("caps the connections of one client address, and others still get in", async () => {
    const opened = Array.from({ length: 12 }, () => openTls("127.0.0.9"));
    // Seven of the twelve are over the cap and are closed before the handshake.
    const secured = await Promise.all(opened.map((o) => o.secured));
    assert.equal(secured.filter(Boolean).length, 5);
    const other = connectMachine(`${host}:${port}`, credentials(), 2000);
    assert.equal((await other.client.version({})).node, "test");
    other.close();
    for (const o of opened) o.socket.destroy();
  });

  it("closes a connection that stays idle, and keeps one with an open stream", async () => {
    const idle = openTls("127.0.0.10");
    assert.equal(await idle.secured, true);
    await idle.closed;
    const session = http2.connect(`https://${host}:${port}`, {
      ca: ca.cert,
      cert: client.cert,
      key: client.key,
    });
    const sessionClosed = new Promise<void>((resolve) => session.once("close", () => resolve()));
    const streaming = connectMachine(`${host}:${port}`, credentials());
    const events = streaming.client.events({})[Symbol.asyncIterator]();
    assert.equal((await events.next()).value?.event?.message, "open");
    await sessionClosed; // The idle session went away...
    // ...while the one with the open stream still answers after several idle periods.
    const started = Date.now();
    await eventually("three idle periods", () => Date.now() - started > 1200);
    assert.equal((await streaming.client.version({})).node, "test");
    streaming.close();
  });

  it("sends an error's hint as a structured detail of its status", async () => {
    const connection = connectMachine(`${host}:${port}`, credentials(), 2000);
    const stream = connection.client.logs({})[Symbol.asyncIterator]();
    const denied = await stream.next().catch((e: unknown) => e);
    const error = KeelsonError.from(denied);
    assert.equal(error.message, "service is required");
    assert.equal(error.hint, "list them with keelctl services");
    connection.close();
  });

  it("lets a client whose idle connection was closed go on calling, without an uncaught error", async () => {
    const connection = connectMachine(`${host}:${port}`, credentials(), 2000);
    // Ten rounds around the moment the server closes: some calls race its GOAWAY and are refused
    // unprocessed, which the client sends again (a flake once, under load, before it did).
    for (let round = 0; round < 10; round++) {
      assert.equal((await connection.client.version({})).node, "test");
      const idleSince = Date.now();
      // The server closes the idle connection (GOAWAY) after 400 ms; call right around then.
      await eventually("the idle period", () => Date.now() - idleSince > 370 + round * 5);
      await Promise.all([connection.client.version({}), connection.client.version({})]);
    }
    connection.close();
  });
});
