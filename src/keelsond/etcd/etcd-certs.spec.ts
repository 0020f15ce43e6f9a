import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createCa } from "../../machinery/pki";
import { writeEtcdCertificates } from "./etcd-certs";
import { etcdPaths } from "./etcd-paths";

const dir = mkdtempSync(join(tmpdir(), "etcd-certs-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const subject = { name: "cp-1", address: "127.0.3.1" };

describe("writeEtcdCertificates", () => {
  it("keeps the certificates on disk while they fit, and issues new ones when not", async () => {
    const paths = etcdPaths(join(dir, "node"));
    const ca = await createCa("etcd");
    const first = await writeEtcdCertificates(paths, ca, subject);
    const server = readFileSync(paths.serverCert, "utf8");

    const again = await writeEtcdCertificates(paths, ca, subject);
    assert.deepEqual(again, first);
    assert.equal(readFileSync(paths.serverCert, "utf8"), server);

    const moved = await writeEtcdCertificates(paths, ca, { ...subject, address: "127.0.3.2" });
    assert.notEqual(readFileSync(paths.serverCert, "utf8"), server);
    assert.notEqual(moved.cert, first.cert);

    const otherCa = await createCa("etcd");
    const rotated = await writeEtcdCertificates(paths, otherCa, subject);
    assert.equal(rotated.ca, otherCa.cert);
    assert.equal(readFileSync(paths.ca, "utf8"), otherCa.cert);

    writeFileSync(paths.peerCert, "not a certificate");
    await writeEtcdCertificates(paths, otherCa, subject);
    assert.match(readFileSync(paths.peerCert, "utf8"), /BEGIN CERTIFICATE/);
  });
});
