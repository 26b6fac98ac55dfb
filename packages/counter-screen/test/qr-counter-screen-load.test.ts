import { describe, it } from 'node:test';
import { expect, fixture, html, unsafeStatic, waitUntil } from '@open-wc/testing';
import '@motcua/payment-widget';
import '@motcua/survey-widget';
import type { QrCounterScreen } from '../src/index.js';

// A copy of the element of its own (the `?load-test` module), whose implementation chunk the test
// server fails on demand (see wtr-plugins.mjs): other test pages load theirs normally.
const TAG = 'qr-counter-screen-load-test';
const { QrCounterScreen: Element } = (await import(
  new URL('../src/qr-counter-screen.ts?load-test', import.meta.url).href
)) as typeof import('../src/qr-counter-screen.js');
customElements.define(TAG, Element);

async function chunk(body?: { fail: number }): Promise<{ requests: number }> {
  const response = await fetch(
    '/__test/counter-chunk',
    body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
  );
  return (await response.json()) as { requests: number };
}

const channel = `/__test/counter/load${Date.now().toString(36)}`;
const viewOf = (el: QrCounterScreen) => el.shadowRoot!.querySelector('.base')?.getAttribute('data-view');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<qr-counter-screen>: its implementation chunk', () => {
  it('should say so when it cannot load, retry with backoff, stop while out of the page, and retry at once when put back', async () => {
    await fetch(`${channel}/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: { state: 'idle', counter: 'C1', counterName: 'Quầy 1', version: 1 } }),
    });
    await chunk({ fail: 1000 });
    const tag = unsafeStatic(TAG);
    const el = await fixture<QrCounterScreen>(html`<${tag} lang="en" counter="C1" gateway=${channel} reconnect-min-ms="100" reconnect-max-ms="200"></${tag}>`);
    expect(viewOf(el)).to.equal('unavailable');
    expect(el.shadowRoot!.querySelector('[part="connection"][role="alert"]')!.textContent).to.match(/could not be loaded\. Retrying/);
    await expect(el).to.be.accessible();
    const first = (await chunk()).requests;
    await waitUntil(async () => (await chunk()).requests >= first + 2, 'retried with backoff', { timeout: 5000 });
    expect(viewOf(el)).to.equal('unavailable', 'the failure stays shown while it retries');
    el.lang = 'vi';
    await waitUntil(() => /Không tải được màn hình quầy/.test(el.shadowRoot!.textContent ?? ''), 'said in Vietnamese');

    // Out of the page: no more tries. Back with a long backoff ahead: tried at once, and this time it loads.
    const parent = el.parentElement!;
    el.remove();
    await sleep(300); // a load already under way ends
    const removed = (await chunk()).requests;
    await sleep(600);
    expect((await chunk()).requests).to.equal(removed);
    el.reconnectMinMs = el.reconnectMaxMs = 60_000;
    await chunk({ fail: 0 });
    parent.append(el);
    await waitUntil(() => viewOf(el) === 'idle', `the screen once loaded (is ${viewOf(el)})`, { timeout: 5000 });
    expect(el.shadowRoot!.querySelector('[part="counter-name"]')!.textContent).to.equal('Quầy 1');
  });
});
