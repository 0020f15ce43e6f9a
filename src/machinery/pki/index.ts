export { type CertRequest, type CertUsage, createCa, issue } from "./issue";
export type { PemPair } from "./pem";
