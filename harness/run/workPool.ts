/** A bounded pool: `concurrency` workers pull items (one `next()` at a time each) until the
 * source says there are no more or `shouldStop()` says so. Items taken are always finished. A
 * source may answer with a promise when it has no item ready yet. */
export async function runPool<T>(
  next: () => T | undefined | Promise<T | undefined>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean,
): Promise<void> {
  const worker = async (): Promise<void> => {
    for (;;) {
      if (shouldStop()) return;
      const offered = next();
      const item = offered instanceof Promise ? await offered : offered;
      if (item === undefined) return;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
