import { type ErrorCode, KeelsonError } from "../../../machinery/errors";

/** Whether the call found its object: notFound gives false, any other failure is rethrown. */
export async function found(call: Promise<unknown>): Promise<boolean> {
  return (
    (await unless(
      "notFound",
      call.then(() => true),
    )) ?? false
  );
}

/**
 * The call's result, or undefined when it fails with `code` — for the
 * failures that are an expected outcome (already there, already gone).
 */
export async function unless<T>(code: ErrorCode, call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof KeelsonError && error.code === code) return undefined;
    throw error;
  }
}
