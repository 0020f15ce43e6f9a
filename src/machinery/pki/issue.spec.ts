import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { createCa, issue } from "./index";

describe("pki", () => {
  it("issues a client certificate whose Subject O carries the roles and verifies against the CA", async () => {
    const ca = await createCa("keelson-test");
    const client = await issue(
      { commonName: "alice", organizations: ["os:reader", "os:operator"], usage: "client" },
      ca,
    );
    const cert = new X509Certificate(client.cert);
    assert.ok(cert.verify(new X509Certificate(ca.cert).publicKey));
    assert.match(cert.subject, /CN=alice/);
    assert.deepEqual(
      cert.subject.split("\n").filter((l) => l.startsWith("O=")),
      ["O=os:reader", "O=os:operator"],
    );
    assert.equal(cert.ca, false);
    assert.equal(new X509Certificate(ca.cert).ca, true);
    assert.match(client.key, /BEGIN PRIVATE KEY/);
  });

  it("puts IP and DNS names into the server certificate's SANs", async () => {
    const ca = await createCa("keelson-test");
    const server = await issue(
      { commonName: "cp-1", hosts: ["127.0.1.1", "cp-1"], usage: "server" },
      ca,
    );
    const cert = new X509Certificate(server.cert);
    assert.equal(cert.checkIP("127.0.1.1"), "127.0.1.1");
    assert.equal(cert.checkHost("cp-1"), "cp-1");
    assert.equal(cert.checkIP("127.0.1.2"), undefined);
  });
});
