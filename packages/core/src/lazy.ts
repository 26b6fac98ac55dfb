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

/** What {@link LoadController} needs of its element: every `LitElement` is one. */
export interface LoadingHost {
  addController(controller: object): void;
  requestUpdate(): void;
  readonly isUpdatePending: boolean;
}

/** Something an update may need: a lazy chunk (loaded if it has no value yet) or a load under way. */
export type Need = Lazy<unknown> | Promise<unknown> | false | undefined | null;

/**
 * The one way an element loads what it paints: a Lit reactive controller wired into the element's
 * `scheduleUpdate` (Lit's hook for work before an update), so that `updateComplete` means "painted
 * with everything it loads".
 * - `needs()` lists what the next paint cannot do without (a question set, the implementation of a
 *   screen): the update waits until each has settled — loaded or failed, the element decides what
 *   a failure shows — and asks again, since a loaded chunk may need another.
 * - {@link track} follows a load the element paints without and shows once it arrives (the bank
 *   name, a payment): the paint happens at once, the element renders again when the load settles,
 *   and `updateComplete` resolves after that.
 *
 * @example
 * private readonly _loads = new LoadController(this, () => [this.mode === 'qr' && qrMode]);
 * protected override scheduleUpdate() { return this._loads.scheduleUpdate(() => super.scheduleUpdate()); }
 */
export class LoadController {
  private readonly _host: LoadingHost;
  private readonly _needs: () => Need[];
  private readonly _loads = new Set<Promise<unknown>>();

  constructor(host: LoadingHost, needs: () => Need[] = () => []) {
    this._host = host;
    this._needs = needs;
    host.addController(this);
  }

  /** True while a tracked load is under way. */
  get pending(): boolean {
    return this._loads.size > 0;
  }

  /**
   * Follows `load` (its failure is the caller's to handle): the element renders now and again once
   * it settles, and `updateComplete` waits for that. Returns `load`.
   */
  track<T>(load: Promise<T>): Promise<T> {
    this._loads.add(load);
    this._host.requestUpdate();
    const settled = () => {
      this._loads.delete(load);
      this._host.requestUpdate();
    };
    load.then(settled, settled);
    return load;
  }

  /**
   * The element's `scheduleUpdate`: `update` (the element's own, `super.scheduleUpdate()`) runs once
   * what {@link needs} lists has settled, and the returned promise — which Lit's `updateComplete`
   * waits for — settles once the tracked loads have too and their renders are done. A need is
   * awaited once per update: one that failed is not tried again until the next update.
   */
  scheduleUpdate(update: () => void): void | Promise<void> {
    const awaited = new Set<Need>();
    const run = (): void | Promise<void> => {
      const loads: Promise<unknown>[] = [];
      for (const need of this._needs()) {
        // A lazy chunk has a `value` once loaded.
        if (need && !awaited.has(need) && !('value' in need)) {
          awaited.add(need);
          loads.push('load' in need ? need.load() : need);
        }
      }
      if (loads.length) return Promise.allSettled(loads).then(run);
      update();
      if (this._loads.size) return this._settle(update);
    };
    return run();
  }

  private async _settle(update: () => void): Promise<void> {
    while (this._loads.size) {
      await Promise.allSettled(this._loads);
      // What the loads brought is painted within this update, so that `updateComplete` includes it.
      if (this._host.isUpdatePending) update();
    }
  }
}
