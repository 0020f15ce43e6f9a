import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Interceptor } from "@connectrpc/connect";
import { bootstrapTokenHeader } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";

/** 24 random characters: printed on the console, never stored. */
export function newBootstrapToken(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * Lets a call through only with the token this boot printed on its console:
 * proof of access to the machine's console, without any secret in the image.
 */
export function requireBootstrapToken(token: string): Interceptor {
  const expected = Buffer.from(token);
  return (next) => async (req) => {
    const given = Buffer.from(req.header.get(bootstrapTokenHeader) ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new KeelsonError(
        "unauthenticated",
        "this node is in maintenance mode and needs its bootstrap token",
        "read it on the node's console and pass --bootstrap-token",
      ).toConnectError();
    }
    return next(req);
  };
}
