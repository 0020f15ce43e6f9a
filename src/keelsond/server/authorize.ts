import type { Interceptor } from "@connectrpc/connect";
import { KeelsonError } from "../../machinery/errors";
import { isAllowed, rolesFor } from "../../machinery/roles";
import { peerIdentityKey } from "./peer-identity";

/**
 * Checks every call against the one roles table before any handler runs, so a
 * capability cannot forget to authorise.
 */
export const authorize: Interceptor = (next) => async (req) => {
  const peer = req.contextValues.get(peerIdentityKey);
  const procedure = `${req.service.typeName}/${req.method.name}`;
  if (!peer) {
    throw new KeelsonError("unauthenticated", "no client certificate").toConnectError();
  }
  if (!isAllowed(procedure, peer.organizations)) {
    const needed = rolesFor(procedure).join(" or ");
    const held = peer.organizations.join(", ") || "none";
    throw new KeelsonError(
      "permissionDenied",
      `${req.method.name} needs role ${needed}; the certificate of "${peer.commonName}" carries ${held}`,
      "ask an administrator for a client config with that role (keelctl config new --roles …)",
    ).toConnectError();
  }
  return next(req);
};
