export { type ErrorCode, errorCodes, KeelsonError } from "./keelson-error";
