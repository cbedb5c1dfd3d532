/** A bounded pool: `concurrency` workers pull items from one iterator until it ends or
 * `shouldStop()` says so. Items taken are always finished. */
export async function runPool<T>(
  items: Iterator<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean,
): Promise<void> {
  const worker = async (): Promise<void> => {
    for (;;) {
      if (shouldStop()) return;
      const next = items.next();
      if (next.done === true) return;
      await work(next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
