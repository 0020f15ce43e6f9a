export { errorsToStatus } from "./errors-to-status";
export { type ErrorCode, errorCodes, isRefusedStream, KeelsonError } from "./keelson-error";
