/** A module (or anything) loaded on first need: see {@link lazy}. */
export interface Lazy<T> {
  /** Set once loaded. */
  value?: T;
  /** Starts the load, or joins the one under way; after a failure the next call tries again. */
  load(): Promise<T>;
}

/**
 * Wraps a dynamic `import()` (a chunk beside the CDN file) so it is loaded at most once at a time,
 * its result kept in `value` for synchronous use (e.g. in `render()`), and a failed load — offline
 * with a cold cache — tried again by the next `load()` rather than cached as a failure.
 *
 * @example
 * const english = lazy(() => import('./messages-en.js'));
 * await english.load();
 * english.value?.en;
 */
export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let loading: Promise<T> | undefined;
  const chunk: Lazy<T> = {
    load: () =>
      (loading ??= load().then(
        (value) => (chunk.value = value),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
  };
  return chunk;
}
