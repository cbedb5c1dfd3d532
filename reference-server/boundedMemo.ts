/**
 * A function's results remembered by argument, for the few values a server sees over and over
 * (the same Accept header, label keys, addresses). Once `limit` arguments are held it forgets them
 * all, so a client sending endless distinct values cannot grow it without bound.
 */
export function boundedMemo<K, V extends NonNullable<unknown> | null>(limit: number, compute: (key: K) => V): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      value = compute(key);
      if (values.size >= limit) values.clear();
      values.set(key, value);
    }
    return value;
  };
}
