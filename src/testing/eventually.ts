export interface EventuallyOptions {
  /** How long to keep checking; the default suits a local cluster on a busy 2-core machine. */
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * The one way tests wait: checks `check` until it returns a truthy value
 * (which is returned) or the deadline passes, then fails naming `what` and
 * the last thing the check said. A check that throws means "not yet".
 */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value === false ? "" : `got ${String(value)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
