export { bootstrapTokenHeader } from "./bootstrap-token";
export { fanOut, type NodeResult } from "./fan-out";
export { type Credentials, connectMachine, type MachineConnection } from "./machine-client";
export { connectMaintenance } from "./maintenance-client";
export { chunkBytes, sendChunks } from "./send-chunks";
export { type TlsSessionCache, tlsSessionKey } from "./tls-session-cache";
export { type UpgradeOutcome, upgradeOutcome } from "./upgrade-outcome";
export { type BundleLocation, isBundleUrl, upgradeSource } from "./upgrade-source";
export { type HealthProbe, type WaitReadyOptions, waitingFor, waitUntilReady } from "./wait-ready";
