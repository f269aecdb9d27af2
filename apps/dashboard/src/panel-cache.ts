/** A memo of panel answers that forgets everything when the load key changes. */
export interface PanelCache {
  get<T>(options: { loadKey: string; key: string; compute: () => Promise<T> }): Promise<T>;
  readonly size: number;
}

/** Creates a cache bounded to `maxEntries` (oldest evicted first); concurrent misses share one query. */
export function createPanelCache(options: { maxEntries?: number } = {}): PanelCache {
  const maxEntries = options.maxEntries ?? 500;
  let currentLoadKey: string | undefined;
  const entries = new Map<string, Promise<unknown>>();
  return {
    get size() {
      return entries.size;
    },
    async get<T>({
      loadKey,
      key,
      compute,
    }: {
      loadKey: string;
      key: string;
      compute: () => Promise<T>;
    }): Promise<T> {
      if (loadKey !== currentLoadKey) {
        entries.clear();
        currentLoadKey = loadKey;
      }
      const hit = entries.get(key);
      if (hit !== undefined) return hit as Promise<T>;
      const pending = compute();
      entries.set(key, pending);
      // A failed query is not an answer: drop it so the next request tries again.
      pending.catch(() => entries.delete(key));
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return pending;
    },
  };
}
