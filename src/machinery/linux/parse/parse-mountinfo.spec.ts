import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeOctalEscapes, parseMountinfo } from "./parse-mountinfo";

// From this machine's /proc/self/mountinfo, plus a shared mount with optional fields and an escaped path.
const fixture = `22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
28 27 0:25 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755
90 27 0:40 / /var/lib/my\\040data rw,relatime shared:12 master:3 - tmpfs tmp\\134fs rw,size=1024k
`;

describe("parseMountinfo", () => {
  it("reads source, target, filesystem and merged options", () => {
    const mounts = parseMountinfo(fixture);
    assert.equal(mounts.length, 4);
    assert.deepEqual(mounts[1], {
      source: "/dev/vda",
      target: "/",
      filesystem: "ext4",
      options: ["rw", "relatime", "discard", "resv_strict", "resuid=65534", "resgid=65534"],
    });
    assert.deepEqual(mounts[2]?.options, [
      "ro",
      "nosuid",
      "nodev",
      "relatime",
      "size=4k",
      "mode=755",
    ]);
  });

  it("skips optional fields and decodes octal escapes", () => {
    assert.deepEqual(parseMountinfo(fixture)[3], {
      source: "tmp\\fs",
      target: "/var/lib/my data",
      filesystem: "tmpfs",
      options: ["rw", "relatime", "size=1024k"],
    });
  });

  it("skips lines without the separator", () => {
    assert.deepEqual(parseMountinfo("1 2 3 4 /x rw tmpfs tmpfs rw\n\n"), []);
  });
});

describe("decodeOctalEscapes", () => {
  it("decodes space, tab, newline and backslash", () => {
    assert.equal(decodeOctalEscapes("a\\040b\\011c\\012d\\134e"), "a b\tc\nd\\e");
  });

  it("leaves text that is not an escape alone", () => {
    assert.equal(decodeOctalEscapes("\\9\\04"), "\\9\\04");
  });
});
