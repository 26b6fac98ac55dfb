import { describe, it } from 'node:test';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { encodeVietQR, type CounterState, type PaymentResource, type SurveyPrompt } from '@motcua/core';
import '../src/index.js';
import type { QrCounterScreen } from '../src/index.js';
import { MESSAGES } from '../src/messages.js';

let sequence = 0;
/** A fresh fake counter channel (see wtr-plugins.mjs): the element's `gateway`. */
const newChannel = () => `/__test/counter/t${Date.now().toString(36)}${sequence++}`;

async function control(channel: string, body: unknown): Promise<void> {
  const response = await fetch(`${channel}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).to.equal(200);
}
const log = async (channel: string) =>
  (await (await fetch(`${channel}/log`)).json()) as {
    connections: number;
    open: number;
    keys: Array<string | null>;
    paths: string[];
    ratings: Array<{ key: string; body: { token: string; answers: Record<string, string> } }>;
  };

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
/** The gateway's "paid" phase: every screen shows it until the gateway moves the counter on. */
const paidState = (p: PaymentResource, until = new Date(Date.now() + 4000).toISOString()) => ({
  state: 'paid',
  counter: 'C1',
  counterName: 'Quầy 1 — Tư pháp',
  payment: p,
  paymentSrc: `/api/payments/${p.id}`,
  until,
});
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
  return fixture<QrCounterScreen>(
    html`<qr-counter-screen counter="C1" gateway=${channel} thanks-delay="400" reconnect-min-ms="100" reconnect-max-ms="400">${extra}</qr-counter-screen>`,
  );
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
    const el = await fixture<QrCounterScreen>(
      html`<qr-counter-screen lang="en" counter="C1" gateway=${channel} welcome="Xin chào!" counter-name="Counter 7"></qr-counter-screen>`,
    );
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
    await control(channel, { state: paidState(paid) });
    expect((await paidEvent).detail.payment.id).to.equal(p.id);
    await waitView(el, 'paid');
    expect(part(el, 'title')!.textContent).to.equal('Đã nhận thanh toán. Xin cảm ơn!');
    await control(channel, { state: surveying(paid, 'tok-flow1') });
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

  it('should show "paid" exactly as long as the gateway says, on every screen, and none of its own', async () => {
    const channel = newChannel();
    const p = payment('phase1');
    await control(channel, { state: paying(p) });
    const first = await mount(channel);
    await waitView(first, 'payment');
    const paid = { ...p, status: 'paid' as const, amountPaid: 8000, paidAt: new Date().toISOString(), version: 2 };
    // An `until` already past: the screen does not move on by itself, the gateway does.
    await control(channel, { state: paidState(paid, new Date(Date.now() - 1000).toISOString()) });
    await waitView(first, 'paid');
    // A screen that (re)connects now shows the same phase as the one that saw it happen.
    const second = await mount(channel);
    await waitView(second, 'paid');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect([viewOf(first), viewOf(second)]).to.deep.equal(['paid', 'paid']);
    await expect(second).to.be.accessible();
    // The gateway moves on: both screens rate at once (no hold of "paid" on the client).
    await control(channel, { state: surveying(paid, 'tok-phase1') });
    await Promise.all([first, second].map((el) => waitUntil(() => viewOf(el) === 'survey', 'survey at once', { timeout: 1500 })));
  });

  it('should name its counter on the phone rating QR, so the phone page shows which counter is rated', async () => {
    const channel = newChannel();
    const p = payment('named1');
    await control(channel, { state: surveying({ ...p, status: 'paid', amountPaid: 8000, paidAt: new Date().toISOString(), version: 2 }, 'tok-named1') });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel} counter-name="Quầy 1 — Hộ tịch"></qr-counter-screen>`);
    await waitView(el, 'survey');
    const phone = el.shadowRoot!.querySelector('qr-survey[mode="qr"]') as HTMLElement & { counterName: string };
    expect(phone.counterName).to.equal('Quầy 1 — Hộ tịch');
    // What <qr-survey mode="qr"> puts in its link (counterName) is its own test's.
  });

  it('should address the citizen as "Ông/Bà" everywhere (one form of address)', async () => {
    for (const text of Object.values(MESSAGES.vi)) if (typeof text === 'string') expect(text).not.to.match(/ông\/bà|Ông\/bà/);
    const channel = newChannel();
    await control(channel, { state: idle() });
    const el = await mount(channel);
    await waitView(el, 'idle');
    expect(part(el, 'welcome')!.textContent).to.equal('Kính chào Ông/Bà đến Bộ phận Tiếp nhận và Trả kết quả');
    const p = payment('salute1');
    await control(channel, { state: surveying({ ...p, status: 'paid', amountPaid: 8000, paidAt: new Date().toISOString(), version: 2 }, 'tok-salute1') });
    await waitView(el, 'survey');
    expect(part(el, 'title')!.textContent).to.equal('Ông/Bà hài lòng với việc tiếp nhận hồ sơ hôm nay?');
  });

  it('should ask for the rating at once when the gateway skips the paid phase', async () => {
    const channel = newChannel();
    const p = payment('phase2');
    await control(channel, { state: paying(p) });
    const el = await mount(channel);
    await waitView(el, 'payment');
    const views: string[] = [];
    el.addEventListener('qr-counter-screen-state', (event) => views.push(event.detail.view));
    await control(channel, { state: surveying({ ...p, status: 'paid', amountPaid: 8000, paidAt: new Date().toISOString(), version: 2 }, 'tok-phase2') });
    await waitView(el, 'survey');
    expect(views).to.deep.equal(['survey']);
  });

  it('should send its screen-key on the counter stream and get the rating; without it, show "paid" and no rating', async () => {
    const channel = newChannel();
    await control(channel, { screenKey: 'key-C1-0123456789abcdef', state: idle() });
    const paired = await fixture<QrCounterScreen>(
      html`<qr-counter-screen counter="C1" gateway=${channel} screen-key="key-C1-0123456789abcdef"></qr-counter-screen>`,
    );
    const stranger = await fixture<QrCounterScreen>(html`<qr-counter-screen counter="C1" gateway=${channel}></qr-counter-screen>`);
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
    const el = await fixture<QrCounterScreen>(
      html`<qr-counter-screen counter="C1" gateway=${channel} screen-key="wrong-key-0123456789" reconnect-min-ms="100" reconnect-max-ms="200"></qr-counter-screen>`,
    );
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
    await waitUntil(
      () => el.connected && (part(el, 'payment') as HTMLElement & { payment?: PaymentResource })?.payment?.id === second.id,
      'back, on the current payment',
      { timeout: 5000 },
    );
    await el.updateComplete;
    expect((part(el, 'payment') as HTMLElement).hidden).to.equal(false);
    expect(part(el, 'notice')).to.equal(null);
    expect(part(el, 'connection')).to.equal(null);
  });

  it('should treat a stream that pinged and then went silent as dead: reconnecting, QR hidden, then back', async () => {
    const channel = newChannel();
    const p = payment('quiet1');
    await control(channel, { state: paying(p), pingEvery: 80 });
    const el = await fixture<QrCounterScreen>(
      html`<qr-counter-screen counter="C1" gateway=${channel} stale-after="300" reconnect-min-ms="100" reconnect-max-ms="400"></qr-counter-screen>`,
    );
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

  it('should follow its unit’s counter on a province gateway, and follow another unit when `unit` changes', async () => {
    const channel = newChannel();
    await control(channel, { state: idle() });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen unit="hang-gai" counter="C1" gateway=${channel}></qr-counter-screen>`);
    await waitView(el, 'idle');
    expect((await log(channel)).paths).to.deep.equal(['/api/units/hang-gai/counters/C1/events']);
    el.unit = 'dong tam';
    await waitUntil(async () => (await log(channel)).paths.length === 2, 'a new subscription for the other unit');
    expect((await log(channel)).paths[1]).to.equal('/api/units/dong%20tam/counters/C1/events');
    el.unit = '';
    await waitUntil(async () => (await log(channel)).paths.length === 3, 'the single unit’s path again');
    expect((await log(channel)).paths[2]).to.equal('/api/counters/C1/events');
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

  it('should share one connection with everything that follows the same counter in the page', async () => {
    const channel = newChannel();
    await control(channel, { state: idle() });
    const first = await mount(channel);
    const second = await mount(channel);
    await waitView(first, 'idle');
    await waitView(second, 'idle');
    const p = payment('share1');
    await control(channel, { state: paying(p) });
    await waitView(first, 'payment');
    await waitView(second, 'payment');
    expect(await log(channel)).to.include({ connections: 1, open: 1 });
    first.remove();
    await control(channel, { state: idle() });
    await waitView(second, 'idle');
    expect((await log(channel)).open).to.equal(1, 'the one left still listens');
    second.remove();
    await waitUntil(async () => (await log(channel)).open === 0, 'the last one to go closes the stream');
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

describe('<qr-counter-screen>: money received, short and over', () => {
  const inner = (el: QrCounterScreen, name: string) =>
    part(el, 'payment')?.shadowRoot?.querySelector(`[part~="${name}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

  it('should show received and still due while short, and never a new code once a closed payment has money', async () => {
    const channel = newChannel();
    const p = payment('money1');
    await control(channel, { state: paying(p) });
    const el = await mount(channel);
    await waitUntil(() => qrOf(el), 'QR rendered');
    await control(channel, { state: paying({ ...p, status: 'underpaid', amountPaid: 3000, version: 2 }) });
    await waitUntil(() => inner(el, 'summary'), 'the money summary');
    expect(part(el, 'title')!.textContent).to.equal('Chưa đủ số tiền: quét mã QR để nộp số còn thiếu');
    expect(inner(el, 'summary')).to.equal('Phí, lệ phí 8.000 ₫ Đã nhận 3.000 ₫ Còn thiếu 5.000 ₫');
    expect(qrOf(el), 'the QR for the rest stays').to.not.equal(null);
    await control(channel, { state: paying({ ...p, status: 'expired', amountPaid: 3000, version: 3 }) });
    await waitUntil(() => !qrOf(el), 'no QR once it expired');
    expect(part(el, 'title')!.textContent).to.equal('Đã nhận tiền của Ông/Bà. Xin vui lòng chờ, cán bộ sẽ xử lý.');
    expect(inner(el, 'closed')).to.equal('Đã nhận 3.000 ₫ — cán bộ sẽ xử lý');
    expect(inner(el, 'regenerate-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('should say so in English, and that an over-payment will be refunded', async () => {
    const channel = newChannel();
    const p = payment('money2');
    await control(channel, { state: paying({ ...p, status: 'expired', amountPaid: 3000 }) });
    const el = await fixture<QrCounterScreen>(html`<qr-counter-screen lang="en" counter="C1" gateway=${channel}></qr-counter-screen>`);
    await waitUntil(() => inner(el, 'closed'), 'the closed panel');
    expect(part(el, 'title')!.textContent).to.equal('Your money has been received. Please wait: an officer will handle it.');
    expect(inner(el, 'closed')).to.equal('₫3,000 received — an officer will handle it');
    const over = payment('money3');
    await control(channel, { state: paying(over) });
    await waitUntil(() => qrOf(el), 'QR rendered');
    await control(channel, { state: paying({ ...over, status: 'paid', amountPaid: 10000, paidAt: new Date().toISOString(), version: 2 }) });
    await waitView(el, 'paid');
    await waitUntil(() => inner(el, 'paid'), 'the paid panel');
    expect(inner(el, 'paid')).to.contain('₫2,000 overpaid, to be refunded');
    expect(inner(el, 'summary')).to.equal('Fee ₫8,000 Received ₫10,000 To be refunded ₫2,000');
    expect(inner(el, 'amount'), 'the headline is the fee').to.equal('₫8,000');
    await expect(el).to.be.accessible();
  });
});

describe('<qr-counter-screen announce>', () => {
  interface Spoken {
    text: string;
    lang: string;
    voice: string | undefined;
  }
  const VI = { name: 'Linh', lang: 'vi-VN', localService: true };
  const EN = { name: 'Samantha', lang: 'en-US', localService: true };

  /** Stubs AudioContext, speechSynthesis and SpeechSynthesisUtterance; `restore()` puts them back. */
  function stubAudio(options: { voices?: object[]; blocked?: boolean } = {}) {
    const record = { spoken: [] as Spoken[], tones: [] as number[], contexts: 0, debug: [] as unknown[][] };
    const originals = ['AudioContext', 'speechSynthesis', 'SpeechSynthesisUtterance'].map(
      (name) => [name, Object.getOwnPropertyDescriptor(window, name)] as const,
    );
    const originalDebug = console.debug;
    console.debug = (...args: unknown[]) => void record.debug.push(args);
    const node = () => ({ connect: (next: unknown) => next });
    class FakeAudioContext {
      state = options.blocked ? 'suspended' : 'running';
      currentTime = 0;
      destination = {};
      constructor() {
        record.contexts++;
        if (options.blocked) throw new DOMException('The AudioContext was not allowed to start.', 'NotAllowedError');
      }
      resume() {
        return Promise.resolve();
      }
      createOscillator() {
        const oscillator = { ...node(), type: '', frequency: { value: 0 }, start: () => record.tones.push(oscillator.frequency.value), stop() {} };
        return oscillator;
      }
      createGain() {
        return { ...node(), gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } };
      }
      close() {
        return Promise.resolve();
      }
    }
    class FakeUtterance {
      lang = '';
      voice: { name: string } | null = null;
      constructor(readonly text: string) {}
    }
    const synth = {
      getVoices: () => options.voices ?? [EN, VI],
      speak(utterance: FakeUtterance) {
        if (options.blocked) throw new DOMException('not allowed', 'NotAllowedError');
        record.spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice?.name });
      },
      addEventListener() {},
      removeEventListener() {},
    };
    const define = (name: string, value: unknown) => Object.defineProperty(window, name, { configurable: true, writable: true, value });
    define('AudioContext', FakeAudioContext);
    define('speechSynthesis', synth);
    define('SpeechSynthesisUtterance', FakeUtterance);
    return {
      record,
      restore() {
        console.debug = originalDebug;
        for (const [name, descriptor] of originals) {
          if (descriptor) Object.defineProperty(window, name, descriptor);
          else delete (window as unknown as Record<string, unknown>)[name];
        }
      },
    };
  }

  const mountAnnouncing = (channel: string, attributes: { lang?: string; announce?: boolean } = {}) =>
    fixture<QrCounterScreen>(
      html`<qr-counter-screen counter="C1" gateway=${channel} lang=${attributes.lang ?? 'vi'} ?announce=${attributes.announce ?? true} reconnect-min-ms="50" reconnect-max-ms="100"></qr-counter-screen>`,
    );
  const paidOf = (p: PaymentResource, version = 2) => ({ ...p, status: 'paid' as const, amountPaid: p.amount, paidAt: new Date().toISOString(), version });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('should chime and say "Đã nhận 8.000 đồng" with a vi-VN voice once, not again on reconnect or reload', async () => {
    const audio = stubAudio();
    try {
      const channel = newChannel();
      const p = payment('ann1');
      await control(channel, { state: paying(p) });
      const el = await mountAnnouncing(channel);
      await waitView(el, 'payment');
      expect(audio.record.contexts, 'nothing while pending').to.equal(0);
      await control(channel, { state: surveying(paidOf(p), 'tok-ann1') });
      await waitUntil(() => audio.record.spoken.length === 1, 'spoken');
      expect(audio.record.spoken[0]).to.deep.equal({ text: 'Đã nhận 8.000 đồng', lang: 'vi-VN', voice: 'Linh' });
      expect(audio.record.tones).to.deep.equal([880, 1318.5]);
      // Reconnect: the gateway sends the same paid state again as the first of the new stream.
      await control(channel, { down: true });
      await waitUntil(() => !el.connected, 'disconnected');
      await control(channel, { down: false });
      await waitUntil(() => el.connected, 'reconnected');
      await control(channel, { state: paying(paidOf(p, 3)) });
      await sleep(300);
      // Reload: a new screen that finds the payment paid already.
      el.remove();
      const reloaded = await mountAnnouncing(channel);
      await waitUntil(() => reloaded.connected, 'the reloaded screen connected');
      await sleep(300);
      expect(audio.record.spoken).to.have.length(1);
      expect(audio.record.contexts).to.equal(1);
    } finally {
      audio.restore();
    }
  });

  it('should chime alone without a Vietnamese voice, speak English on an English screen, and stay silent by default', async () => {
    const audio = stubAudio({ voices: [EN] });
    try {
      const channel = newChannel();
      const first = payment('ann2');
      await control(channel, { state: paying(first) });
      const vi = await mountAnnouncing(channel);
      const en = await mountAnnouncing(channel, { lang: 'en' });
      const silent = await mountAnnouncing(channel, { announce: false });
      await Promise.all([vi, en, silent].map((el) => waitView(el, 'payment')));
      await control(channel, { state: paying(paidOf(first)) });
      await waitUntil(() => audio.record.spoken.length === 1 && audio.record.contexts === 2, 'the English sentence and two chimes');
      await sleep(1200); // longer than the wait for a voice list
      expect(audio.record.spoken).to.deep.equal([{ text: 'Received 8,000 dong', lang: 'en-US', voice: 'Samantha' }]);
      expect(audio.record.contexts, 'a chime from each announcing screen, none from the silent one').to.equal(2);
    } finally {
      audio.restore();
    }
  });

  it('should not throw when the browser blocks audio until a user gesture', async () => {
    const audio = stubAudio({ blocked: true });
    const failures: unknown[] = [];
    const onError = (event: ErrorEvent | PromiseRejectionEvent) => failures.push('reason' in event ? event.reason : event.error);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      const channel = newChannel();
      const p = payment('ann3');
      await control(channel, { state: paying(p) });
      const el = await mountAnnouncing(channel);
      await waitView(el, 'payment');
      await control(channel, { state: paying(paidOf(p)) });
      await waitView(el, 'paid');
      await waitUntil(() => audio.record.debug.length >= 2, 'both failures logged with console.debug');
      expect(failures).to.deep.equal([]);
      expect(audio.record.spoken).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
      audio.restore();
    }
  });
});
