// In Chromium: the locale controller and `emit`, on a bare host that behaves as Lit's
// ReactiveControllerHost does for them. Skipped, visibly, in Node.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Locale } from '../src/locale.js';
import { type Controller, emit, lazy, LoadController, LocaleController, type Need } from '../src/runtime.js';

const skip = typeof document === 'undefined' && 'skipped: needs a DOM (runs in Chromium through Web Test Runner)';

declare global {
  interface HTMLElementEventMap {
    'core-test-event': CustomEvent<{ n: number }>;
  }
}

/** The smallest controller host: connects its controllers when put into the page, counts updates. */
function makeHost() {
  const element = document.createElement('div') as HTMLDivElement & {
    addController(controller: Controller): void;
    requestUpdate(): void;
    updates: number;
    controllers: Controller[];
  };
  element.controllers = [];
  element.updates = 0;
  element.addController = (controller) => element.controllers.push(controller);
  element.requestUpdate = () => element.updates++;
  return element;
}

const mutations = () => new Promise((resolve) => setTimeout(resolve));

describe('LocaleController', { skip }, () => {
  const htmlLang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  afterEach(() => {
    document.documentElement.lang = htmlLang;
    document.body.replaceChildren();
  });

  it('should follow the element, then the nearest lang across shadow roots, then <html lang>', async () => {
    document.documentElement.lang = 'en';
    const outer = document.createElement('section');
    outer.lang = 'vi-VN';
    const shadowHost = document.createElement('div');
    outer.append(shadowHost);
    const host = makeHost();
    shadowHost.attachShadow({ mode: 'open' }).append(host);
    document.body.append(outer);
    const language = new LocaleController(host);
    assert.equal(language.wanted, 'vi', 'the section outside the shadow root says vi');
    outer.removeAttribute('lang');
    assert.equal(language.wanted, 'en', '<html lang> when no element says');
    host.lang = 'vi';
    assert.equal(language.wanted, 'vi', 'its own lang first');
    host.lang = 'en-GB';
    assert.equal(language.wanted, 'en');
  });

  it('should show a language only once its texts have loaded, and follow lang changes', async () => {
    document.documentElement.lang = 'vi';
    const loaded = new Set<Locale>(['vi']);
    let release!: () => void;
    const loads: Locale[] = [];
    const host = makeHost();
    document.body.append(host);
    const language = new LocaleController(host, {
      isLoaded: (locale) => loaded.has(locale),
      load: (locale) => {
        loads.push(locale);
        return new Promise<void>((resolve) => {
          release = () => {
            loaded.add(locale);
            resolve();
          };
        });
      },
    });
    for (const controller of host.controllers) controller.hostConnected?.();
    assert.equal(language.locale, 'vi');
    assert.equal(language.pending, undefined);

    host.lang = 'en';
    await mutations();
    assert.deepEqual(loads, ['en']);
    assert.equal(language.locale, 'vi', 'still Vietnamese while English loads');
    assert.ok(language.pending);
    const updates = host.updates;
    release();
    await language.pending;
    assert.equal(language.locale, 'en');
    assert.equal(language.pending, undefined);
    assert.ok(host.updates > updates, 'the host is asked to render again');

    document.documentElement.lang = 'en';
    host.removeAttribute('lang');
    await mutations();
    assert.equal(language.locale, 'en', '<html lang="en">');
    document.documentElement.lang = 'vi';
    await mutations();
    assert.equal(language.locale, 'vi', 'a change of <html lang> is followed');

    for (const controller of host.controllers) controller.hostDisconnected?.();
    document.documentElement.lang = 'en';
    await mutations();
    assert.equal(language.locale, 'vi', 'a disconnected element no longer follows');
  });

  it('should keep the language shown when the texts of another cannot load', async () => {
    const host = makeHost();
    host.lang = 'en';
    document.body.append(host);
    const language = new LocaleController(host, { isLoaded: (locale) => locale === 'vi', load: () => Promise.reject(new Error('offline')) });
    for (const controller of host.controllers) controller.hostConnected?.();
    await language.pending;
    assert.equal(language.locale, 'vi');
    assert.equal(language.pending, undefined);
  });
});

describe('emit', { skip }, () => {
  it('should dispatch a bubbling, composed CustomEvent with its detail', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const seen: Array<{ n: number }> = [];
    host.addEventListener('core-test-event', (event) => seen.push(event.detail), { once: true });
    emit(inner, 'core-test-event', { n: 7 });
    assert.deepEqual(seen, [{ n: 7 }]);
    host.remove();
  });
});

/** A promise settled from outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

describe('LoadController', { skip }, () => {
  afterEach(() => document.body.replaceChildren());

  /** A Lit element (Lit is the widgets', not core's: loaded only here) painting `paint()` through a LoadController. */
  async function define(name: string, needs: () => Need[], paint: () => string) {
    const { LitElement } = await import('lit');
    class Element extends LitElement {
      loads = new LoadController(this, needs);
      paints: string[] = [];
      protected override scheduleUpdate() {
        return this.loads.scheduleUpdate(() => super.scheduleUpdate());
      }
      override render() {
        return paint();
      }
      protected override updated() {
        this.paints.push(this.renderRoot.textContent ?? '');
      }
    }
    customElements.define(name, Element);
    return document.body.appendChild(document.createElement(name) as Element);
  }

  it('should hold a paint until what it needs has settled, asking again once it has', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const a = lazy(() => first.promise);
    const b = lazy(() => second.promise);
    let needsB = false;
    const el = await define(
      'core-test-loads-need',
      () => [a, needsB && b],
      () => `${a.value ?? '-'}${b.value ?? '-'}`,
    );
    let complete = false;
    void el.updateComplete.then(() => (complete = true));
    await mutations();
    assert.deepEqual(el.paints, [], 'nothing painted while a loads');
    needsB = true;
    first.resolve('A');
    await mutations();
    assert.deepEqual(el.paints, [], 'then b, which a made necessary');
    second.reject(new Error('offline'));
    await mutations();
    assert.equal(complete, true);
    assert.deepEqual(el.paints, ['A-'], 'painted once, with what loaded; a failure is for the element to show');
  });

  it('should paint without waiting for a tracked load, again when it settles, and complete after that', async () => {
    const load = deferred<string>();
    let value = '-';
    const el = await define(
      'core-test-loads-track',
      () => [],
      () => value,
    );
    await el.updateComplete;
    assert.deepEqual(el.paints, ['-']);
    el.loads.track(load.promise.then((v) => (value = v)));
    let complete = false;
    void el.updateComplete.then(() => (complete = true));
    await mutations();
    assert.deepEqual(el.paints, ['-', '-'], 'painted at once, without waiting');
    assert.equal(el.loads.pending, true);
    assert.equal(complete, false, 'updateComplete waits for the tracked load');
    load.resolve('loaded');
    await el.updateComplete;
    assert.equal(complete, true);
    assert.equal(el.loads.pending, false);
    assert.deepEqual(el.paints, ['-', '-', 'loaded'], 'painted again with what it brought, before updateComplete');
  });
});
