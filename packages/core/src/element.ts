// What the three elements share as Lit reactive controllers and helpers: the language they speak
// and how they announce events. Core does not depend on Lit: a controller host is described by the
// part of Lit's `ReactiveControllerHost` these use, which every `LitElement` is.
import { nearestLang, resolveLocale, type Locale } from './locale.js';

/** A Lit reactive controller (the shape of Lit's `ReactiveController`). */
export interface Controller {
  hostConnected?(): void;
  hostDisconnected?(): void;
  hostUpdate?(): void;
  hostUpdated?(): void;
}

/** What a controller needs of its element: every `LitElement` is one. */
export interface ControllerHost extends HTMLElement {
  addController(controller: Controller): void;
  requestUpdate(): void;
}

/** The `detail` of the `CustomEvent` an element declares under `type` in `HTMLElementEventMap`. */
export type EventDetail<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Dispatches the `CustomEvent` `type` from `target`, bubbling and composed (it leaves the shadow
 * root), its `detail` typed by the element's declaration in `GlobalEventHandlersEventMap`.
 * One way for every element to announce what happened.
 */
export function emit<K extends keyof HTMLElementEventMap>(target: EventTarget, type: K, detail: EventDetail<K>): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

export interface LocaleOptions {
  /** True when `locale`'s texts are in memory (Vietnamese always is). */
  isLoaded?(locale: Locale): boolean;
  /** Loads `locale`'s texts (a lazy chunk); the controller shows them once it resolves. */
  load?(locale: Locale): Promise<unknown>;
}

/**
 * The language an element speaks: its own `lang`, else the nearest `lang` up the tree (crossing
 * shadow roots to their hosts), else `<html lang>`; Vietnamese for anything not English. Follows
 * changes of the element's and the document's `lang`. Only a language whose texts have loaded is
 * shown: while another loads, {@link pending} holds the load and {@link locale} stays as it was.
 *
 * @example
 * private readonly _language = new LocaleController(this, { isLoaded: (l) => Boolean(MESSAGES[l]), load: loadMessages });
 * render() { return MESSAGES[this._language.locale].title; }
 */
export class LocaleController implements Controller {
  /** The language shown. */
  locale: Locale = 'vi';
  /** The load of the wanted language's texts while it runs; a first paint waits for it. */
  pending: Promise<void> | undefined;
  private readonly _host: ControllerHost;
  private readonly _options: LocaleOptions;
  private _observer: MutationObserver | undefined;

  constructor(host: ControllerHost, options: LocaleOptions = {}) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  /** The language the element's context asks for, whether or not its texts have loaded. */
  get wanted(): Locale {
    return resolveLocale(nearestLang(this._host) ?? document.documentElement.lang);
  }

  hostConnected(): void {
    this.refresh();
    this._observer = new MutationObserver(() => this.refresh());
    this._observer.observe(this._host, { attributes: true, attributeFilter: ['lang'] });
    this._observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this._observer?.disconnect();
    this._observer = undefined;
  }

  /** Reads the context again (call it when a `lang` the controller does not observe may have changed). */
  refresh(): void {
    const wanted = this.wanted;
    const { isLoaded = (locale: Locale) => locale === 'vi', load } = this._options;
    if (isLoaded(wanted) || !load) {
      this.pending = undefined;
      if (this.locale !== wanted) {
        this.locale = wanted;
        this._host.requestUpdate();
      }
      return;
    }
    // Until the texts arrive the current language stays (or, before the first paint, nothing shows).
    const pending: Promise<void> = (this.pending = load(wanted).then(
      () => {
        if (this.pending !== pending) return;
        this.pending = undefined;
        if (isLoaded(this.wanted)) this.refresh();
        else this._host.requestUpdate();
      },
      () => {
        // Unreachable texts: the language shown stays rather than nothing.
        if (this.pending !== pending) return;
        this.pending = undefined;
        this._host.requestUpdate();
      },
    ));
  }
}
