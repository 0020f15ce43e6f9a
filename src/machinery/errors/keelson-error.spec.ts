import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { LightHeaders } from "../web-headers/light-headers";
import { KeelsonError } from "./keelson-error";

describe("KeelsonError", () => {
  it("calls an aborted operation canceled and a timed-out one deadlineExceeded, never internal", async () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(KeelsonError.from(controller.signal.reason).code, "canceled");
    const timeout = AbortSignal.timeout(1);
    await new Promise((resolve) => timeout.addEventListener("abort", resolve));
    assert.equal(KeelsonError.from(timeout.reason).code, "deadlineExceeded");
    assert.equal(KeelsonError.from(new ConnectError("gone", Code.Canceled)).code, "canceled");
    // A refused stream was never processed (the node's API was closing): retry, not a bug.
    const refused = "Stream closed with error code NGHTTP2_REFUSED_STREAM";
    assert.equal(KeelsonError.from(new ConnectError(refused, Code.Internal)).code, "unavailable");
    assert.equal(KeelsonError.from(new Error(refused)).code, "unavailable");
  });

  it("carries its hint across the wire as a detail, and back", () => {
    const sent = new KeelsonError("notFound", 'no service "x"', "services on this node: apid");
    const wire = sent.toConnectError();
    assert.equal(wire.rawMessage, 'no service "x"');
    assert.equal(wire.code, Code.NotFound);
    // The gRPC trailers as they travel: grpc-status, grpc-message, grpc-status-details-bin.
    const trailer = setTrailerStatus(new LightHeaders(), wire);
    assert.ok(trailer.get("grpc-status-details-bin"));
    const received = KeelsonError.from(findTrailerError(trailer));
    assert.deepEqual(
      [received.code, received.message, received.hint],
      ["notFound", sent.message, sent.hint],
    );
  });
});
