import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { maintenanceCertificate } from "./maintenance-certificate";

describe("maintenance mode's certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-maint-cert-"));
  const files = {
    cert: join(dir, "pki", "maintenance.crt"),
    key: join(dir, "pki", "maintenance.key"),
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is made once and kept: the same fingerprint at every boot", async () => {
    const first = await maintenanceCertificate(files, "10.0.2.15");
    const again = await maintenanceCertificate(files, "10.0.2.15");
    assert.equal(again.cert, first.cert);
    assert.equal(again.key, first.key);
    assert.ok(new X509Certificate(first.cert).checkIP("10.0.2.15"));
  });

  it("is made again when the address changed or the kept one is damaged", async () => {
    const kept = await maintenanceCertificate(files, "10.0.2.15");
    const moved = await maintenanceCertificate(files, "10.0.2.16");
    assert.notEqual(moved.cert, kept.cert);
    assert.ok(new X509Certificate(moved.cert).checkIP("10.0.2.16"));
    writeFileSync(files.cert, "not a certificate");
    const repaired = await maintenanceCertificate(files, "10.0.2.16");
    assert.ok(new X509Certificate(repaired.cert).checkIP("10.0.2.16"));
    // A key that is not the certificate's (power lost between the two writes): a new pair.
    writeFileSync(files.key, kept.key);
    const matched = await maintenanceCertificate(files, "10.0.2.16");
    assert.notEqual(matched.cert, repaired.cert);
    assert.ok(new X509Certificate(matched.cert).checkPrivateKey(createPrivateKey(matched.key)));
  });
});
