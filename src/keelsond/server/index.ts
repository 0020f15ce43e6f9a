export { accessLog } from "./access-log";
export { type ApiServer, type ApiServerOptions, startApiServer } from "./api-server";
export { type PeerIdentity, peerIdentityKey } from "./peer-identity";
