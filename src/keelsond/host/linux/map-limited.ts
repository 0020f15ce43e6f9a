/**
 * Maps in batches so a node with thousands of processes or mounts does not
 * open thousands of files at once (EMFILE) nor queue them all on libuv.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    results.push(...(await Promise.all(items.slice(i, i + limit).map(map))));
  }
  return results;
}
