export { pkiHandlers } from "./pki-handlers";
