import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { linkKind } from "./link-kind";

describe("linkKind", () => {
  it("prefers DEVTYPE from uevent", () => {
    assert.equal(linkKind("DEVTYPE=bridge\nINTERFACE=cni0\nIFINDEX=5\n", 1), "bridge");
  });

  it("falls back to the hardware type, as this machine's eth0 and lo need", () => {
    assert.equal(linkKind("INTERFACE=eth0\nIFINDEX=4\n", 1), "ether");
    assert.equal(linkKind("INTERFACE=lo\nIFINDEX=1\n", 772), "loopback");
    assert.equal(linkKind(undefined, 9999), "arphrd-9999");
    assert.equal(linkKind(undefined, undefined), "");
  });
});
