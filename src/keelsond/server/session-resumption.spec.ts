import assert from "node:assert/strict";
import * as http2 from "node:http2";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect, type TLSSocket } from "node:tls";
import type { ConnectRouter } from "@connectrpc/connect";
import { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { type Credentials, connectMachine, type TlsSessionCache } from "../../machinery/client";
import { createCa, issue } from "../../machinery/pki";
import { isAllowed } from "../../machinery/roles";
import { type ApiServer, startApiServer } from "./api-server";

const service = MachineService.typeName;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A raw gRPC call over an already connected TLS socket: grpc-status and grpc-message. */
function rawCall(socket: TLSSocket, authority: string, method: string) {
  return new Promise<{ status?: string; message?: string }>((resolve, reject) => {
    const session = http2.connect(`https://${authority}`, { createConnection: () => socket });
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": `/${service}/${method}`,
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.end(Buffer.alloc(5));
    stream.resume();
    const trailers: http2.IncomingHttpHeaders = {};
    stream.on("response", (headers) => Object.assign(trailers, headers));
    stream.on("trailers", (headers) => Object.assign(trailers, headers));
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      resolve({
        status: trailers["grpc-status"] as string | undefined,
        message: decodeURIComponent(String(trailers["grpc-message"] ?? "")),
      });
    });
  });
}

describe("TLS session resumption", () => {
  let server: ApiServer;
  let address: string;
  let reader: Credentials;
  const tickets = new Map<string, Buffer>();
  const cache: TlsSessionCache = {
    get: (key) => tickets.get(key),
    set: (key, session) => tickets.set(key, session),
  };

  before(async () => {
    const ca = await createCa("test-ca");
    const serving = await issue({ commonName: "node", hosts: ["127.0.0.1"], usage: "server" }, ca);
    const client = await issue(
      { commonName: "resumed-reader", organizations: ["os:reader"], usage: "client" },
      ca,
    );
    reader = { ca: ca.cert, cert: client.cert, key: client.key };
    const port = await freePort();
    address = `127.0.0.1:${port}`;
    server = await startApiServer({
      address: "127.0.0.1",
      port,
      ca: ca.cert,
      ...serving,
      routes: (router: ConnectRouter) =>
        router.service(MachineService, { version: () => ({ node: "node" }) }),
    });
  });
  after(() => server.close());

  it("keeps the client's identity and roles on a resumed connection", async () => {
    assert.ok(!isAllowed(`${service}/Read`, ["os:reader"]), "Read must be denied to a reader");
    const first = connectMachine(address, reader, 5000, cache);
    assert.equal((await first.client.version({})).node, "node");
    first.close();
    const [ticket] = tickets.values();
    assert.ok(ticket, "the node issued a session ticket");

    const [host, port] = address.split(":");
    const socket = connect({
      host,
      port: Number(port),
      ...reader,
      ALPNProtocols: ["h2"],
      session: ticket,
    });
    await new Promise((resolve, reject) =>
      socket.once("secureConnect", resolve).once("error", reject),
    );
    assert.equal(socket.isSessionReused(), true);
    assert.equal(socket.authorized, true);

    const version = await rawCall(socket, address, "Version");
    assert.equal(version.status, "0");
    const socket2 = connect({
      host,
      port: Number(port),
      ...reader,
      ALPNProtocols: ["h2"],
      session: ticket,
    });
    const denied = await rawCall(socket2, address, "Read");
    assert.equal(socket2.isSessionReused(), true);
    assert.equal(denied.status, "7");
    assert.match(denied.message ?? "", /"resumed-reader" carries os:reader/);
  });

  it("falls back to a full, verified handshake when the node does not know the ticket", async () => {
    const foreign = new Map([...tickets].map(([k]) => [k, Buffer.from("not a ticket")]));
    const conn = connectMachine(address, reader, 5000, {
      get: (key) => foreign.get(key),
      set: () => {},
    });
    assert.equal((await conn.client.version({})).node, "node");
    conn.close();
  });
});
