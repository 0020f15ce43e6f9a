export { certificateFits } from "./certificate-fits";
export { pkiHandlers } from "./pki-handlers";
