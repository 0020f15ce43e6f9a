import { KeelsonError } from "../errors";

export type NodeResult<R> = { node: string; result: R } | { node: string; error: KeelsonError };

/**
 * Runs `call` for every item concurrently, at most `concurrency` at once, and
 * returns one result or one error per item in the given order. A failure of
 * one node never stops the others.
 */
export async function fanOut<T extends { node: string }, R>(
  items: readonly T[],
  call: (item: T) => Promise<R>,
  concurrency = 32,
): Promise<NodeResult<R>[]> {
  const results: NodeResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      try {
        results[index] = { node: item.node, result: await call(item) };
      } catch (error) {
        results[index] = { node: item.node, error: KeelsonError.from(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
