import { describe, it } from 'node:test';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { encodeVietQR, type CounterState, type PaymentResource, type SurveyPrompt } from '@motcua/core';
import '../src/index.js';
import type { QrCounterScreen } from '../src/index.js';

let sequence = 0;
/** A fresh fake counter channel (see wtr-plugins.mjs): the element's `gateway`. */
const newChannel = () => `/__test/counter/t${Date.now().toString(36)}${sequence++}`;

async function control(channel: string, body: unknown): Promise<void> {
  const response = await fetch(`${channel}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).to.equal(200);
}
const log = async (channel: string) => (await (await fetch(`${channel}/log`)).json()) as { connections: number; open: number; keys: Array<string | null>; ratings: Array<{ key: string; body: { token: string; answers: Record<string, string> } }> };

function payment(id: string, status: PaymentResource['status'] = 'pending', version = 1): PaymentResource {
  const code = `MC${id.toUpperCase().padEnd(7, '2').slice(0, 7)}`;
  return {
    id,
    code,
    status,
    amount: 8000,
    amountPaid: status === 'paid' ? 8000 : 0,
    currency: 'VND',
    qr: encodeVietQR({ bin: '970415', account: '113366668888', amount: 8000, purpose: `${code} TRICH LUC HT`, initiation: 'dynamic' }),
    bank: { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG DEMO' },
    purpose: 'TRICH LUC HT',
    dossier: `HS-${id}`,
    counter: 'C1',
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    paidAt: status === 'paid' ? new Date().toISOString() : null,
    version,
  };
}

const idle = (): Omit<CounterState, 'version'> => ({ state: 'idle', counter: 'C1', counterName: 'Quầy 1 — Tư pháp' });
const paying = (p: PaymentResource) => ({ state: 'payment', counter: 'C1', counterName: 'Quầy 1 — Tư pháp', payment: p, paymentSrc: `/api/payments/${p.id}` });
function surveying(p: PaymentResource, token: string) {
  const survey: SurveyPrompt = {
    surveyId: 'counter',
    token,
    counter: 'C1',
    dossier: p.dossier,
    endpoint: '/api/surveys',
    phoneUrl: `/survey.html?token=${token}`,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
  return { state: 'survey', counter: 'C1', counterName: 'Quầy 1 — Tư pháp', survey, payment: p };
}

const viewOf = (el: QrCounterScreen) => el.shadowRoot!.querySelector('.base')!.getAttribute('data-view');
const part = (el: QrCounterScreen, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`);
const qrOf = (el: QrCounterScreen) => part(el, 'payment')?.shadowRoot?.querySelector('svg.qr') ?? null;
const waitView = (el: QrCounterScreen, view: string) => waitUntil(() => viewOf(el) === view, `view ${view} (is ${viewOf(el)})`, { timeout: 5000 });

async function mount(channel: string, extra = html``) {
  return fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} paid-delay="300" thanks-delay="400" reconnect-min-ms="100" reconnect-max-ms="400">${extra}</qr-counter-screen>`);
}

describe('<qr-counter-screen>', () => {
  it('should show the counter name from the gateway, a Vietnamese welcome and the host content when idle', async () => {
    const channel = newChannel();
    await control(channel, { state: idle() });
    const el = await mount(channel, html`<p id="hours">Giờ làm việc 8:00–17:00</p>`);
    await waitView(el, 'idle');
    expect(part(el, 'counter-name')!.textContent).to.equal('Quầy 1 — Tư pháp');
    expect(part(el, 'welcome')!.textContent).to.match(/^Kính chào/);
    const slot = el.shadowRoot!.querySelector('slot')!;
    expect(slot.assignedElements()[0]!.id).to.equal('hours');
    expect(el.connected).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('should use the configured welcome and counter-name, and speak English with lang="en"', async () => {
    const channel = newChannel();
    await control(channel, { state: idle() });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen lang="en" counter="C1" gateway=${channel} welcome="Xin chào!" counter-name="Counter 7"></qr-counter-screen>`);
    await waitView(el, 'idle');
    expect(part(el, 'counter-name')!.textContent).to.equal('Counter 7');
    expect(part(el, 'welcome')!.textContent).to.equal('Xin chào!');
    await control(channel, { state: paying(payment('en1')) });
    await waitView(el, 'payment');
    expect(part(el, 'title')!.textContent).to.match(/Scan the QR code/);
  });

  it('should move idle → payment (large customer QR) → paid → rating → thanks → idle by itself', async () => {
    const channel = newChannel();
    await control(channel, { state: idle() });
    const el = await mount(channel);
    await waitView(el, 'idle');
    const p = payment('flow1');
    const stateEvent = oneEvent(el, 'qr-counter-screen-state');
    await control(channel, { state: paying(p) });
    expect((await stateEvent).detail.view).to.equal('payment');
    await waitUntil(() => qrOf(el), 'QR rendered');
    const qrPayment = part(el, 'payment') as HTMLElement & { view: string; payment?: PaymentResource };
    expect(qrPayment.view).to.equal('customer');
    expect(qrPayment.payment?.qr).to.equal(p.qr);
    expect(qrOf(el)!.getBoundingClientRect().width).to.be.at.least(200);
    await expect(el).to.be.accessible();

    const paid = { ...p, status: 'paid' as const, amountPaid: 8000, paidAt: new Date().toISOString(), version: 2 };
    const paidEvent = oneEvent(el, 'qr-payment-paid');
    await control(channel, { state: surveying(paid, 'tok-flow1') });
    expect((await paidEvent).detail.payment.id).to.equal(p.id);
    expect(viewOf(el)).to.equal('paid', 'paid is held on screen before the rating');
    await waitView(el, 'survey');
    const kiosk = el.shadowRoot!.querySelector('qr-survey[mode="kiosk"]') as HTMLElement & { token: string; endpoint: string; dossier: string };
    expect(kiosk.token).to.equal('tok-flow1');
    expect(kiosk.dossier).to.equal(p.dossier);
    expect(kiosk.endpoint).to.equal(new URL(`${channel}/api/surveys`, location.href).href);
    const phone = el.shadowRoot!.querySelector('qr-survey[mode="qr"]') as HTMLElement & { phoneUrl: string };
    expect(phone.phoneUrl).to.equal(new URL(`${channel}/survey.html?token=tok-flow1`, location.href).href);
    await waitUntil(() => phone.shadowRoot?.querySelector('svg'), 'phone survey QR');
    await expect(el).to.be.accessible();

    (kiosk.shadowRoot!.querySelector('[role="radio"][data-value="very_satisfied"]') as HTMLElement).click();
    await waitView(el, 'thanks');
    await waitUntil(async () => (await log(channel)).ratings.length === 1, 'the rating reached the endpoint');
    const [rating] = (await log(channel)).ratings;
    expect(rating!.body.token).to.equal('tok-flow1');
    expect(rating!.body.answers).to.deep.equal({ attitude: 'very_satisfied' });
    // The gateway does not even need to say idle: thanks → idle by itself.
    await waitView(el, 'idle');
  });

  it('should send its screen-key on the counter stream and get the rating; without it, show "paid" and no rating', async () => {
    const channel = newChannel();
    await control(channel, { screenKey: 'key-C1-0123456789abcdef', state: idle() });
    const paired = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} screen-key="key-C1-0123456789abcdef" paid-delay="0"></qr-counter-screen>`);
    const stranger = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} paid-delay="0"></qr-counter-screen>`);
    await waitView(paired, 'idle');
    await waitView(stranger, 'idle');
    const p = payment('pair1');
    await control(channel, { state: paying(p) });
    await waitView(stranger, 'payment');
    await control(channel, { state: surveying({ ...p, status: 'paid', amountPaid: 8000, paidAt: new Date().toISOString(), version: 2 }, 'tok-pair1') });
    await waitView(paired, 'survey');
    expect((paired.shadowRoot!.querySelector('qr-survey[mode="kiosk"]') as HTMLElement & { token: string }).token).to.equal('tok-pair1');
    await waitView(stranger, 'paid');
    expect(stranger.shadowRoot!.querySelector('qr-survey')).to.equal(null);
    expect(JSON.stringify(stranger.counterState)).not.to.contain('tok-pair1');
    expect((await log(channel)).keys).to.deep.equal(['key-C1-0123456789abcdef', null]);
  });

  it('should reconnect with the new key when screen-key changes, and keep trying when the key is refused', async () => {
    const channel = newChannel();
    await control(channel, { screenKey: 'key-C1-0123456789abcdef', state: idle() });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} screen-key="wrong-key-0123456789" reconnect-min-ms="100" reconnect-max-ms="200"></qr-counter-screen>`);
    await waitUntil(async () => (await log(channel)).connections >= 2, 'a refused key is retried with backoff');
    expect(el.connected).to.equal(false);
    el.setAttribute('screen-key', 'key-C1-0123456789abcdef');
    await waitView(el, 'idle');
    expect(el.connected).to.equal(true);
    expect((await log(channel)).keys.at(-1)).to.equal('key-C1-0123456789abcdef');
  });

  it('should hide the QR while disconnected, say it is reconnecting, and show the current state when back', async () => {
    const channel = newChannel();
    const first = payment('drop1');
    await control(channel, { state: paying(first) });
    const el = await mount(channel);
    await waitUntil(() => qrOf(el), 'QR rendered');
    const lost = oneEvent(el, 'qr-counter-screen-connection');
    await control(channel, { down: true });
    expect((await lost).detail.connected).to.equal(false);
    await el.updateComplete;
    expect((part(el, 'payment') as HTMLElement).hidden).to.equal(true, 'the QR is not shown as if it were current');
    expect(part(el, 'notice')!.textContent).to.match(/Mã QR tạm ẩn/);
    expect(part(el, 'connection')!.textContent).to.match(/đang kết nối lại/);
    await expect(el).to.be.accessible();

    // Meanwhile the gateway moved on to another payment.
    const second = payment('drop2');
    await control(channel, { state: paying(second) });
    const before = (await log(channel)).connections;
    await waitUntil(async () => (await log(channel)).connections >= before + 2, 'it keeps retrying (with backoff) while down', { timeout: 5000 });
    await control(channel, { down: false });
    await waitUntil(() => el.connected && (part(el, 'payment') as HTMLElement & { payment?: PaymentResource })?.payment?.id === second.id, 'back, on the current payment', { timeout: 5000 });
    await el.updateComplete;
    expect((part(el, 'payment') as HTMLElement).hidden).to.equal(false);
    expect(part(el, 'notice')).to.equal(null);
    expect(part(el, 'connection')).to.equal(null);
  });

  it('should treat a stream that pinged and then went silent as dead: reconnecting, QR hidden, then back', async () => {
    const channel = newChannel();
    const p = payment('quiet1');
    await control(channel, { state: paying(p), pingEvery: 80 });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} stale-after="300" reconnect-min-ms="100" reconnect-max-ms="400"></qr-counter-screen>`);
    try {
      await waitUntil(() => qrOf(el), 'QR rendered');
      // Quiet but alive (pings only) for longer than stale-after: still connected.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(el.connected).to.equal(true);
      const connections = (await log(channel)).connections;
      expect(connections).to.equal(1);

      const lost = oneEvent(el, 'qr-counter-screen-connection');
      await control(channel, { silent: true });
      expect((await lost).detail.connected).to.equal(false);
      await el.updateComplete;
      expect((part(el, 'payment') as HTMLElement).hidden).to.equal(true, 'the QR is not shown as if it were current');
      expect(part(el, 'connection')!.textContent).to.match(/đang kết nối lại/);

      await waitUntil(() => el.connected, 'reconnected', { timeout: 5000 });
      await el.updateComplete;
      expect((await log(channel)).connections).to.be.greaterThan(connections);
      expect((part(el, 'payment') as HTMLElement).hidden).to.equal(false);
      expect(part(el, 'connection')).to.equal(null);
    } finally {
      await control(channel, { pingEvery: 0 });
    }
  });

  it('should not arm the watchdog for a backend that sends no pings', async () => {
    const channel = newChannel();
    await control(channel, { state: idle() });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} stale-after="200"></qr-counter-screen>`);
    await waitView(el, 'idle');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(el.connected).to.equal(true);
    expect((await log(channel)).connections).to.equal(1);
  });

  it('should ignore older versions, malformed data and other counters', async () => {
    const channel = newChannel();
    const p = payment('stale1');
    await control(channel, { state: { ...paying(p), version: 10 } });
    const el = await mount(channel);
    await waitView(el, 'payment');
    await control(channel, { state: { ...idle(), version: 9 } });
    await control(channel, { raw: '{not json' });
    await control(channel, { raw: JSON.stringify({ ...idle(), counter: 'C9', version: 50 }) });
    await control(channel, { raw: JSON.stringify({ ...paying({ ...p, amount: -1 }), version: 51 }) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(viewOf(el)).to.equal('payment');
    expect(el.counterState?.version).to.equal(10);
    await control(channel, { state: { ...idle(), version: 11 } });
    await waitView(el, 'idle');
  });

  it('should go back to idle when the payment is cancelled, and show an expired payment without its QR', async () => {
    const channel = newChannel();
    const p = payment('exp1');
    await control(channel, { state: paying(p) });
    const el = await mount(channel);
    await waitUntil(() => qrOf(el), 'QR rendered');
    await control(channel, { state: paying({ ...p, status: 'expired', version: 2 }) });
    await waitUntil(() => !qrOf(el), 'no QR for an expired payment');
    expect(part(el, 'title')!.textContent).to.match(/đã kết thúc/);
    await control(channel, { state: idle() });
    await waitView(el, 'idle');
  });

  it('should show a clear message without a counter, and stop listening when removed', async () => {
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen></qr-counter-screen>`);
    expect(viewOf(el)).to.equal('misconfigured');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.match(/counter/);
    const channel = newChannel();
    await control(channel, { state: idle() });
    const live = await mount(channel);
    await waitView(live, 'idle');
    expect((await log(channel)).open).to.equal(1);
    live.remove();
    await waitUntil(async () => (await log(channel)).open === 0, 'the stream is closed');
  });
});
