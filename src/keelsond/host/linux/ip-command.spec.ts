import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { ipJson } from "./ip-command";

function hasIp(): boolean {
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("ipJson", () => {
  it("reports a missing ip command as unavailable with a fix", async () => {
    await assert.rejects(ipJson(["addr"], "keelson-no-such-ip"), (error) => {
      assert.ok(error instanceof KeelsonError);
      assert.equal(error.code, "unavailable");
      assert.match(error.message, /iproute2/);
      assert.match(error.hint ?? "", /PATH/);
      return true;
    });
  });

  it("reports a failing ip command with its stderr", {
    skip: !hasIp() && "no ip here",
  }, async () => {
    await assert.rejects(ipJson(["no-such-object"]), (error) => {
      assert.ok(error instanceof KeelsonError);
      assert.equal(error.code, "internal");
      assert.match(error.message, /no-such-object/);
      return true;
    });
  });
});
