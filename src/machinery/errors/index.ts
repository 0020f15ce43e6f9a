export { type ErrorCode, errorCodes, isRefusedStream, KeelsonError } from "./keelson-error";
