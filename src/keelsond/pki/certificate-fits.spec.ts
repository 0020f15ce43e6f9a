import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCa, issue } from "../../machinery/pki";
import { certificateFits } from "./certificate-fits";

describe("certificateFits", () => {
  it("wants the right CA, the address and a certificate valid now", async () => {
    const ca = await createCa("os");
    const other = await createCa("os");
    const hosts = ["127.0.4.1", "node-1"];
    const good = await issue({ commonName: "n", hosts, usage: "server" }, ca);
    const expired = await issue(
      {
        commonName: "n",
        hosts,
        usage: "server",
        notBefore: new Date(Date.now() - 2 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      },
      ca,
    );
    assert.equal(certificateFits(good.cert, ca.cert, "127.0.4.1"), true);
    assert.equal(certificateFits(good.cert, ca.cert), true);
    assert.equal(certificateFits(good.cert, ca.cert, "127.0.4.2"), false);
    assert.equal(certificateFits(good.cert, other.cert, "127.0.4.1"), false);
    assert.equal(certificateFits(expired.cert, ca.cert, "127.0.4.1"), false);
    assert.equal(certificateFits("garbage", ca.cert), false);
  });
});
