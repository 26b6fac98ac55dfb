import { afterEach, beforeEach, describe, it } from 'node:test';
import { elementUpdated, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import jsQRModule from 'jsqr';
import { decodeVietQR, encodeVietQR, type PaymentResource } from '@motcua/core';
import { defineElement } from '@motcua/core/runtime';
import '../src/index.js';
import { QrPayment, type PaymentStatusSource } from '../src/qr-payment.js';
import { control, newPayment, restorePageVisibility, setPageHidden, sleep, waitFor } from './helpers.js';

// jsqr is CommonJS with a default-export declaration; the test server serves it as an ES module.
const jsQR = jsQRModule as unknown as typeof import('jsqr').default;

const STATIC = { bank: '970415', account: '113366668888', accountName: 'UBND XA DONG TAM', amount: '50000', purpose: 'MC7K2Q9XA LE PHI HO TICH' };
const STATIC_PAYLOAD = encodeVietQR({ bin: STATIC.bank, account: STATIC.account, amount: STATIC.amount, purpose: STATIC.purpose });

const shadow = (el: QrPayment) => el.shadowRoot!;
const part = (el: QrPayment, name: string) => shadow(el).querySelector(`[part~="${name}"]`);
const text = (el: QrPayment, name: string) => part(el, name)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
// A boolean, not the element: a failing assertion on an element cannot be reported (it does not serialise).
const has = (el: QrPayment, name: string) => part(el, name) !== null;
const liveRegion = (el: QrPayment) => shadow(el).querySelector('[aria-live="polite"]')!.textContent!.replace(/\s+/g, ' ').trim();

/**
 * Mounts plain markup without open-wc's fixture(): for a non-Lit root that waits for an animation
 * frame, which never comes while the runner's tab is in the background (two test files at once).
 */
function mount(build: (container: HTMLElement) => void): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  mounted.push(container);
  build(container);
  return container;
}
const mounted: HTMLElement[] = [];

/** Rasterises the rendered SVG (as a bank app's camera would see it) and decodes it with jsQR. */
async function scanSvg(el: QrPayment): Promise<string | undefined> {
  const svg = part(el, 'qr') as SVGSVGElement | null;
  if (!svg) return undefined;
  const markup = new XMLSerializer().serializeToString(svg);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await image.decode();
  const size = 400;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d')!;
  context.drawImage(image, 0, 0, size, size);
  const pixels = context.getImageData(0, 0, size, size);
  return jsQR(pixels.data, size, size)?.data;
}

async function scanBlob(blob: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  return jsQR(context.getImageData(0, 0, bitmap.width, bitmap.height).data, bitmap.width, bitmap.height)?.data;
}

function staticElement(overrides: Partial<typeof STATIC> = {}, events: CustomEvent[] = [], view = 'officer') {
  const values = { ...STATIC, ...overrides };
  return fixture<QrPayment>(html`<qr-payment
    view=${view}
    bank=${values.bank}
    account=${values.account}
    account-name=${values.accountName}
    amount=${values.amount}
    purpose=${values.purpose}
    @qr-payment-error=${(event: CustomEvent) => events.push(event)}
  ></qr-payment>`);
}

function remoteElement(src: string, events: CustomEvent[] = [], view = 'officer') {
  const record = (event: Event) => events.push(event as CustomEvent);
  return fixture<QrPayment>(html`<qr-payment
    src=${src}
    view=${view}
    poll-min-ms="40"
    poll-max-ms="200"
    request-timeout-ms="400"
    @qr-payment-status=${record}
    @qr-payment-paid=${record}
    @qr-payment-expired=${record}
    @qr-payment-error=${record}
    @qr-payment-regenerate=${record}
  ></qr-payment>`);
}

const ofType = (events: CustomEvent[], type: string) => events.filter((event) => event.type === type);

describe('<qr-payment>', () => {
  beforeEach(() => setPageHidden(false));
  afterEach(() => {
    document.documentElement.lang = '';
    restorePageVisibility();
    for (const container of mounted.splice(0)) container.remove();
  });

  describe('static mode (attributes)', () => {
    it('should render a QR that scans to exactly the VietQR of the attributes', async () => {
      const el = await staticElement();
      expect(await scanSvg(el)).to.equal(STATIC_PAYLOAD);
      const svg = part(el, 'qr')!;
      expect(svg.getAttribute('role')).to.equal('img');
      expect(svg.getAttribute('aria-label')).to.contain('113366668888').and.contain('VietinBank');
      expect(svg.querySelectorAll('path')).to.have.length(1);
      expect(svg.getBoundingClientRect().width).to.be.at.least(200);
    });

    it('should keep a quiet zone of 4 modules', async () => {
      const el = await staticElement();
      const svg = part(el, 'qr')!;
      const [, , width] = svg.getAttribute('viewBox')!.split(' ').map(Number);
      const path = svg.querySelector('path')!.getAttribute('d')!;
      const xs = [...path.matchAll(/M(\d+) (\d+)/g)].map((match) => [Number(match[1]), Number(match[2])] as const);
      expect(Math.min(...xs.map(([x]) => x))).to.equal(4);
      expect(Math.min(...xs.map(([, y]) => y))).to.equal(4);
      expect(Math.max(...xs.map(([, y]) => y))).to.equal(width! - 5);
    });

    it('should show amount, bank, account, holder and memo as text', async () => {
      const el = await staticElement();
      expect(text(el, 'amount')).to.equal('50.000 ₫');
      const details = text(el, 'details');
      for (const expected of ['VietinBank', '113366668888', 'UBND XA DONG TAM', 'MC7K2Q9XA LE PHI HO TICH']) {
        expect(details).to.contain(expected);
      }
    });

    it('should be accessible', async () => {
      const el = await staticElement();
      await expect(el).to.be.accessible();
    });

    it('should print no Lit warnings beyond dev mode', async () => {
      const warnings: unknown[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
      try {
        await staticElement();
      } finally {
        console.warn = original;
      }
      expect(warnings.filter((w) => !String(w).includes('dev mode'))).to.deep.equal([]);
    });

    const BAD: [string, Partial<typeof STATIC>, string][] = [
      ['an unknown BIN', { bank: '970999' }, 'UNKNOWN_BANK'],
      ['amount "abc"', { amount: 'abc' }, 'INVALID_AMOUNT'],
      ['a negative amount', { amount: '-50000' }, 'INVALID_AMOUNT'],
      ['amount 10^15', { amount: '1000000000000000' }, 'INVALID_AMOUNT'],
      ['amount 0', { amount: '0' }, 'INVALID_AMOUNT'],
      ['a purpose with diacritics', { purpose: 'Lệ phí hộ tịch' }, 'NOT_ASCII'],
      ['a purpose with <script>', { purpose: '<script>alert(1)</script>' }, 'NOT_ASCII'],
      ['an account with spaces', { account: '1133 6666' }, 'INVALID_ACCOUNT'],
      ['a purpose over 25 characters', { purpose: 'MC7K2Q9XA LE PHI HO TICH NAM 2025' }, 'FIELD_TOO_LONG'],
    ];
    for (const [what, overrides, code] of BAD) {
      it(`should show an error, emit ${code} and draw no QR for ${what}`, async () => {
        const events: CustomEvent[] = [];
        const el = await staticElement(overrides, events);
        expect(events.map((event) => event.detail.code)).to.deep.equal([code]);
        expect(events[0]!.bubbles && events[0]!.composed).to.equal(true);
        expect(part(el, 'qr')).to.equal(null);
        expect(part(el, 'error')).to.not.equal(null);
        expect(text(el, 'error')).to.not.equal('');
        expect(shadow(el).querySelector('script')).to.equal(null);
        await expect(el).to.be.accessible();
      });
    }

    it('should suggest the ASCII memo for a purpose with diacritics, as text', async () => {
      const el = await staticElement({ purpose: 'MC7K2Q9XA Lệ phí hộ tịch' });
      expect(text(el, 'error')).to.contain('MC7K2Q9XA Le phi ho tich');
    });

    it('should render markup in attributes as text, never as HTML', async () => {
      const el = await staticElement({ accountName: '<img src=x onerror="window.__xss=1"><b>UBND</b>' });
      expect(shadow(el).querySelector('img, b')).to.equal(null);
      expect(text(el, 'details')).to.contain('<b>UBND</b>');
      expect((window as { __xss?: number }).__xss).to.equal(undefined);
    });

    it('should recover when the attributes are fixed', async () => {
      const el = await staticElement({ amount: 'abc' });
      el.amount = '50000';
      await el.updateComplete;
      expect(part(el, 'error')).to.equal(null);
      expect(await scanSvg(el)).to.equal(STATIC_PAYLOAD);
    });
  });

  describe('payload mode', () => {
    it('should render the given payload and show its decoded details', async () => {
      const payload = encodeVietQR({ bin: '970436', account: '0011004455667', amount: 120000, purpose: 'MCABC123 LE PHI' });
      const el = await fixture<QrPayment>(html`<qr-payment payload=${payload}></qr-payment>`);
      expect(await scanSvg(el)).to.equal(payload);
      expect(text(el, 'amount')).to.equal('120.000 ₫');
      expect(text(el, 'details')).to.contain('Vietcombank').and.contain('0011004455667').and.contain('MCABC123 LE PHI');
    });

    it('should show a bank-issued merchant QR (QR Push) with its merchant id, not as an account', async () => {
      // Published in trantuan94/vietqrjs (src/decryptor/vietqrv1.decryptor.spec.ts).
      const payload =
        '00020101021238580010A00000072701300006970403011621129950446040250206QRPUSH52045812530370454061800005802VN5910PHUONG CAC6005HANOI62110307NPS686963047C1B';
      const events: CustomEvent[] = [];
      const el = await fixture<QrPayment>(html`<qr-payment payload=${payload} @qr-payment-error=${(e: CustomEvent) => events.push(e)}></qr-payment>`);
      expect(events.map((e) => e.detail.code)).to.deep.equal([]);
      expect(await scanSvg(el)).to.equal(payload);
      expect(text(el, 'amount')).to.equal('180.000 ₫');
      const details = text(el, 'details');
      expect(details).to.contain('Mã điểm bán').and.contain('2112995044604025').and.contain('PHUONG CAC');
      expect(details).to.not.contain('Số tài khoản');
      expect(shadow(el).querySelector('[data-copy="account"]')).to.equal(null);
      expect(part(el, 'qr')!.getAttribute('aria-label')).to.contain('điểm bán 2112995044604025');
    });

    it('should show a cash-withdrawal QR (QRCASH) with its ATM id', async () => {
      // Published in trantuan94/vietqrjs (src/builder/vietqrv1.builder.spec.ts).
      const payload =
        '00020101021138500010A000000727012200069704160108123456780206QRCASH5204601153037045802VN5912NGUYEN VAN A6006HA NOI6237052120190109155714228384707080000111163049CE4';
      const el = await fixture<QrPayment>(html`<qr-payment payload=${payload}></qr-payment>`);
      expect(await scanSvg(el)).to.equal(payload);
      expect(text(el, 'details')).to.contain('Mã ATM').and.contain('12345678');
      expect(part(el, 'qr')!.getAttribute('aria-label')).to.contain('rút tiền mặt');
    });

    it('should refuse a payload with a bad CRC, and draw no QR', async () => {
      const events: CustomEvent[] = [];
      const bad = STATIC_PAYLOAD.slice(0, -4) + (STATIC_PAYLOAD.endsWith('0000') ? '1111' : '0000');
      const el = await fixture<QrPayment>(html`<qr-payment payload=${bad} @qr-payment-error=${(e: CustomEvent) => events.push(e)}></qr-payment>`);
      expect(events[0]?.detail.code).to.equal('BAD_CRC');
      expect(part(el, 'qr')).to.equal(null);
    });
  });

  describe('src mode (wire protocol)', () => {
    it('should show a skeleton the size of the QR while loading', async () => {
      const { id, src } = await newPayment({ mode: 'hang' });
      const el = await remoteElement(src);
      const loading = part(el, 'qr-frame')!.getBoundingClientRect();
      expect(part(el, 'skeleton')).to.not.equal(null);
      await control(id, { mode: 'ok' });
      await waitFor(() => part(el, 'qr') !== null, 'the QR', 8000);
      const ready = part(el, 'qr-frame')!.getBoundingClientRect();
      expect([ready.width, ready.height]).to.deep.equal([loading.width, loading.height]);
    });

    it('should go from pending to paid by SSE, announcing paid exactly once', async () => {
      const { id, src, resource } = await newPayment();
      const events: CustomEvent[] = [];
      const el = await remoteElement(src, events);
      await waitFor(() => el.status === 'pending' && el.transport === 'sse', 'pending over SSE');
      expect(await scanSvg(el)).to.equal(resource.qr);
      expect(text(el, 'status')).to.equal('Đang chờ thanh toán');
      expect(text(el, 'countdown')).to.match(/Hết hạn sau \d\d:\d\d/);
      await expect(el).to.be.accessible();

      await control(id, { update: { status: 'paid', amountPaid: 50000 } });
      await waitFor(() => el.status === 'paid', 'paid');
      // Later noise: a reconnection re-sending paid, and a retry — paid must not be announced again.
      await control(id, { dropSse: true });
      el.refresh();
      await sleep(200);
      expect(ofType(events, 'qr-payment-paid')).to.have.length(1);
      expect(ofType(events, 'qr-payment-status').map((e) => e.detail.status)).to.deep.equal(['pending', 'paid']);
      expect(liveRegion(el)).to.equal('Đã nhận thanh toán 50.000 ₫');
      expect(part(el, 'qr'), 'a paid QR is no longer shown for scanning').to.equal(null);
      expect(text(el, 'paid')).to.contain('Đã thanh toán');
      await expect(el).to.be.accessible();
    });

    it('should fall back to polling when SSE is blocked and still see paid', async () => {
      const { id, src } = await newPayment({ sse: 'block' });
      const el = await remoteElement(src);
      await waitFor(() => el.transport === 'polling' && el.status === 'pending', 'polling');
      await control(id, { update: { status: 'paid', amountPaid: 50000 } });
      await waitFor(() => el.status === 'paid', 'paid by polling');
    });

    it('should ignore stale versions and foreign resources on SSE (no false paid)', async () => {
      const { id, src } = await newPayment();
      const events: CustomEvent[] = [];
      const el = await remoteElement(src, events);
      await waitFor(() => el.transport === 'sse' && el.status === 'pending', 'pending over SSE');
      await control(id, { update: { amountPaid: 1000 } });
      await waitFor(() => el.payment?.version === 2, 'version 2');
      await control(id, { pushStale: { status: 'paid' } });
      await control(id, { pushOtherId: true });
      await control(id, { pushMalformed: true });
      await waitFor(() => ofType(events, 'qr-payment-error').length >= 2, 'the errors');
      expect(el.status).to.equal('pending');
      expect(ofType(events, 'qr-payment-paid')).to.have.length(0);
    });

    for (const mode of ['500', 'hang', 'malformed', 'other-id', 'invalid'] as const) {
      it(`should show a recoverable problem when the server turns "${mode}", then recover`, async () => {
        const { id, src } = await newPayment({ sse: 'block' });
        const events: CustomEvent[] = [];
        const el = await remoteElement(src, events);
        await waitFor(() => el.status === 'pending', 'pending');
        await control(id, { mode });
        await waitFor(() => part(el, 'warning') !== null, 'the warning', 8000);
        expect(part(el, 'qr'), 'the QR stays').to.not.equal(null);
        expect(el.status).to.equal('pending');
        const error = ofType(events, 'qr-payment-error')[0]!;
        expect(error.detail.recoverable).to.equal(true);
        expect(error.detail.code).to.be.a('string').and.not.equal('');
        await expect(el).to.be.accessible();
        await control(id, { mode: 'ok', update: { status: 'paid', amountPaid: 50000 } });
        await waitFor(() => el.status === 'paid', 'paid after recovery', 8000);
        expect(part(el, 'warning')).to.equal(null);
        expect(ofType(events, 'qr-payment-paid')).to.have.length(1);
      });
    }

    it('should show an error with a retry when the first load fails, and load on retry', async () => {
      const { id, src } = await newPayment({ mode: '500', sse: 'block' });
      const events: CustomEvent[] = [];
      const el = await remoteElement(src, events);
      await waitFor(() => part(el, 'error') !== null, 'the error panel');
      expect(ofType(events, 'qr-payment-error')[0]!.detail).to.include({ code: 'HTTP_ERROR', recoverable: false });
      await expect(el).to.be.accessible();
      await control(id, { mode: 'ok' });
      const retry = part(el, 'retry-button') as HTMLButtonElement;
      retry.focus();
      await sendKeys({ press: 'Enter' });
      await waitFor(() => el.status === 'pending', 'the payment after retry');
      expect(part(el, 'error')).to.equal(null);
    });

    it('should show the amount still due when underpaid', async () => {
      const { id, src } = await newPayment();
      const el = await remoteElement(src);
      await waitFor(() => el.status === 'pending', 'pending');
      await control(id, { update: { status: 'underpaid', amountPaid: 20000 } });
      await waitFor(() => el.status === 'underpaid', 'underpaid');
      expect(text(el, 'status')).to.contain('Còn thiếu 30.000 ₫');
      // The QR on screen now asks for the 30.000 ₫ still due, not the whole 50.000 ₫ again.
      await elementUpdated(el);
      const scanned = decodeVietQR((await scanSvg(el))!);
      expect([scanned.amount, scanned.account]).to.deep.equal(['30000', el.payment!.bank.account]);
      await control(id, { update: { status: 'paid', amountPaid: 50000 } });
      await waitFor(() => el.status === 'paid', 'paid after underpaid');
    });

    it('should emit expired, keep it final, and ask the host to regenerate', async () => {
      const { id, src } = await newPayment();
      const events: CustomEvent[] = [];
      const el = await remoteElement(src, events);
      await waitFor(() => el.status === 'pending', 'pending');
      await control(id, { update: { status: 'expired' } });
      await waitFor(() => el.status === 'expired', 'expired');
      expect(ofType(events, 'qr-payment-expired')).to.have.length(1);
      expect(part(el, 'qr')).to.equal(null);
      await control(id, { update: { status: 'paid', amountPaid: 50000 } });
      await sleep(200);
      expect(el.status, 'final states never go back').to.equal('expired');
      const regenerate = part(el, 'regenerate-button') as HTMLButtonElement;
      setTimeout(() => regenerate.click());
      const event = await oneEvent(el, 'qr-payment-regenerate');
      expect(event.detail.payment.id).to.equal(id);
    });

    it('should never offer a new code or a QR once money was received, and say the officer will handle it', async () => {
      for (const status of ['expired', 'cancelled'] as const) {
        const { id, src } = await newPayment();
        const events: CustomEvent[] = [];
        const el = await remoteElement(src, events);
        await waitFor(() => el.status === 'pending', 'pending');
        await control(id, { update: { status: 'underpaid', amountPaid: 20000 } });
        await waitFor(() => el.status === 'underpaid', 'underpaid');
        await control(id, { update: { status } });
        await waitFor(() => el.status === status, status);
        await elementUpdated(el);
        expect(has(el, 'regenerate-button'), `no new code once money was received (${status})`).to.equal(false);
        expect(has(el, 'qr')).to.equal(false);
        expect(has(el, 'download-button')).to.equal(false);
        expect(text(el, 'closed')).to.equal('Đã nhận 20.000 ₫ — cán bộ sẽ xử lý');
        expect(text(el, 'summary')).to.contain('Phí, lệ phí 50.000 ₫').and.contain('Đã nhận 20.000 ₫');
        expect(text(el, 'summary'), 'no invitation to pay the rest by QR').not.to.contain('Còn thiếu');
        await expect(el).to.be.accessible();
      }
    });

    it('should say in English, on the citizen view, that money received on an expired payment goes to the officer', async () => {
      document.documentElement.lang = 'en';
      const { id, src } = await newPayment();
      await control(id, { update: { status: 'expired', amountPaid: 20000 } });
      const el = await remoteElement(src, [], 'customer');
      await waitFor(() => el.status === 'expired', 'expired');
      await elementUpdated(el);
      expect(text(el, 'closed')).to.equal('₫20,000 received — an officer will handle it');
      expect(has(el, 'qr')).to.equal(false);
      expect(has(el, 'regenerate-button')).to.equal(false);
    });

    it('should read a short payment then the rest as one sum: received, still due, then the whole fee paid', async () => {
      const { id, src } = await newPayment({ create: { amount: 14000 } });
      const el = await remoteElement(src);
      await waitFor(() => el.status === 'pending', 'pending');
      expect(has(el, 'summary'), 'nothing received, nothing to sum up').to.equal(false);
      await control(id, { update: { status: 'underpaid', amountPaid: 7000 } });
      await waitFor(() => el.status === 'underpaid', 'underpaid');
      await elementUpdated(el);
      expect(text(el, 'summary')).to.equal('Phí, lệ phí 14.000 ₫ Đã nhận 7.000 ₫ Còn thiếu 7.000 ₫');
      expect(text(el, 'amount'), 'the headline is what the QR asks for now').to.equal('7.000 ₫');
      await control(id, { update: { status: 'paid', amountPaid: 14000 } });
      await waitFor(() => el.status === 'paid', 'paid');
      await elementUpdated(el);
      expect(text(el, 'paid')).to.equal('Đã thanh toán 14.000 ₫');
      expect(text(el, 'amount'), 'the headline agrees with the green box').to.equal('14.000 ₫');
      expect(text(el, 'summary')).to.equal('Phí, lệ phí 14.000 ₫ Đã nhận 14.000 ₫');
    });

    it('should say an over-payment will be refunded, in Vietnamese and English', async () => {
      const { id, src } = await newPayment();
      const el = await remoteElement(src);
      await waitFor(() => el.status === 'pending', 'pending');
      await control(id, { update: { status: 'paid', amountPaid: 60000 } });
      await waitFor(() => el.status === 'paid', 'paid');
      await elementUpdated(el);
      expect(text(el, 'paid')).to.contain('Nộp thừa 10.000 ₫, sẽ được hoàn trả');
      expect(text(el, 'summary')).to.equal('Phí, lệ phí 50.000 ₫ Đã nhận 60.000 ₫ Sẽ hoàn trả 10.000 ₫');
      expect(text(el, 'amount')).to.equal('50.000 ₫');
      expect(liveRegion(el)).to.contain('Nộp thừa 10.000 ₫');
      el.lang = 'en';
      await waitFor(() => text(el, 'summary').startsWith('Fee'), 'English');
      expect(text(el, 'summary')).to.equal('Fee ₫50,000 Received ₫60,000 To be refunded ₫10,000');
      expect(text(el, 'paid')).to.contain('₫10,000 overpaid, to be refunded');
      await expect(el).to.be.accessible();
    });

    it('should count down from expiresAt', async () => {
      const { src } = await newPayment({ create: { expiresInMs: 90_000 } });
      const el = await remoteElement(src);
      await waitFor(() => el.status === 'pending', 'pending');
      expect(text(el, 'countdown')).to.match(/01:(2\d|30)/);
    });
  });

  describe('views', () => {
    it('officer: details and actions, copy by keyboard with an announced confirmation', async () => {
      const copied: string[] = [];
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (value: string) => void copied.push(value) } });
      try {
        const el = await staticElement();
        const buttons = [...shadow(el).querySelectorAll<HTMLButtonElement>('button[data-copy]')];
        expect(buttons.map((b) => b.dataset.copy)).to.deep.equal(['account', 'amount', 'memo']);
        for (const button of buttons) {
          button.focus();
          await sendKeys({ press: 'Enter' });
          await waitFor(() => liveRegion(el).startsWith('Đã sao chép'), 'the confirmation');
        }
        expect(copied).to.deep.equal(['113366668888', '50000', 'MC7K2Q9XA LE PHI HO TICH']);
        expect(liveRegion(el)).to.equal('Đã sao chép nội dung chuyển khoản');
      } finally {
        delete (navigator as { clipboard?: unknown }).clipboard;
      }
    });

    // Two PNG encodings (canvas.toBlob, asynchronous in Chromium): on CI's loaded host the second once
    // took over 5 s, so this test waits up to 15 s for it and has 30 s in all.
    it('officer: downloads a PNG that scans to the payload', { timeout: 30_000 }, async () => {
      const el = await staticElement();
      expect(await scanBlob(await el.toPngBlob())).to.equal(STATIC_PAYLOAD);
      const clicked: string[] = [];
      const original = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        clicked.push(this.download);
      };
      try {
        (part(el, 'download-button') as HTMLButtonElement).click();
        await waitFor(() => clicked.length === 1 || liveRegion(el) !== '', 'the download', 15_000);
      } finally {
        HTMLAnchorElement.prototype.click = original;
      }
      expect(liveRegion(el), 'no "download failed"').to.equal('');
      expect(clicked).to.deep.equal(['vietqr-113366668888.png']);
    });

    it('officer: offers no copy button once the payment is paid, expired or cancelled (nothing left to transfer)', async () => {
      const { resource } = await newPayment();
      for (const status of ['paid', 'expired', 'cancelled'] as const) {
        let listener: ((payment: PaymentResource) => void) | undefined;
        const source: PaymentStatusSource = { subscribe: (callback) => ((listener = callback), () => {}) };
        const el = await fixture<QrPayment>(html`<qr-payment .statusSource=${source}></qr-payment>`);
        listener!({ ...resource, version: 1 });
        await waitFor(() => el.status === 'pending', 'pending');
        expect(shadow(el).querySelectorAll('button[data-copy]').length, 'pending: copy buttons').to.equal(3);
        listener!({ ...resource, status, amountPaid: status === 'paid' ? resource.amount : 0, version: 2 });
        await waitFor(() => el.status === status, status);
        await el.updateComplete;
        expect(shadow(el).querySelectorAll('button[data-copy]').length, `${status}: copy buttons`).to.equal(0);
        expect(text(el, 'details'), `${status}: the details stay readable`).to.contain(resource.bank.account);
        el.remove();
      }
    });

    it('officer: the memo and the account wrap at spaces only, never inside a word or a code', async () => {
      const el = await staticElement({ purpose: 'MC7K2Q9XA LE PHI HO TICH' });
      el.style.width = '200px';
      await el.updateComplete;
      const values = [...shadow(el).querySelectorAll<HTMLElement>('[part~="details"] .value')];
      expect(values.length).to.be.at.least(3);
      for (const value of values) {
        const words = (value.textContent ?? '').trim().split(/\s+/).filter(Boolean);
        // Each word's glyphs on one line: a Range over the word has one client rect per line it spans.
        const node = [...value.childNodes].find((child) => child.nodeType === Node.TEXT_NODE && child.textContent!.trim())!;
        let from = 0;
        for (const word of words) {
          const start = node.textContent!.indexOf(word, from);
          from = start + word.length;
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, from);
          const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          expect(lines.size, `"${word}" is on one line`).to.equal(1);
        }
      }
    });

    it('customer: large QR and amount, no actions', async () => {
      const el = await staticElement({}, [], 'customer');
      expect(shadow(el).querySelectorAll('button')).to.have.length(0);
      expect(part(el, 'qr')!.getBoundingClientRect().width).to.be.at.least(200);
      expect(text(el, 'amount')).to.equal('50.000 ₫');
      await expect(el).to.be.accessible();
    });

    it('view="print" (removed: <qr-payment-slip> prints) warns once, prints no slip of its own and hides nothing', async () => {
      const warnings: string[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
      let wrapper: HTMLElement;
      try {
        wrapper = mount((container) => {
          const other = document.createElement('p');
          other.id = 'other';
          other.textContent = 'Not hidden';
          const el = Object.assign(document.createElement('qr-payment'), { view: 'print', bank: '970415', account: '113366668888', amount: '50000' });
          container.append(other, el);
        });
        await wrapper.querySelector('qr-payment')!.updateComplete;
      } finally {
        console.warn = original;
      }
      const el = wrapper.querySelector('qr-payment')!;
      expect(warnings.filter((w) => w.includes('view="print"'))).to.have.length(1);
      expect(warnings.join()).to.contain('<qr-payment-slip>');
      expect(part(el, 'qr')).to.not.equal(null);
      expect(part(el, 'instructions')).to.equal(null);
      await emulateMedia({ media: 'print' });
      try {
        expect(getComputedStyle(wrapper.querySelector('#other')!).visibility).to.equal('visible');
      } finally {
        await emulateMedia({ media: 'screen' });
      }
    });
  });

  describe('language', () => {
    it('should speak English with lang="en"', async () => {
      const el = await fixture<QrPayment>(html`<qr-payment lang="en" bank="970415" account="113366668888" amount="50000"></qr-payment>`);
      expect(text(el, 'amount')).to.equal('₫50,000');
      expect(text(el, 'details')).to.contain('Account number');
      expect(part(el, 'qr')!.getAttribute('aria-label')).to.match(/^QR code to transfer/);
    });

    it("should follow the document's lang, and its changes", async () => {
      document.documentElement.lang = 'en-GB';
      const el = await staticElement();
      expect(text(el, 'status')).to.contain('Scan');
      document.documentElement.lang = 'vi';
      await waitFor(() => text(el, 'status').includes('Quét'), 'Vietnamese again');
    });
  });

  describe('status source (host-supplied)', () => {
    async function resourceFor(status: PaymentResource['status'], version: number): Promise<PaymentResource> {
      const { resource } = await newPayment();
      return { ...resource, status, version };
    }

    it('should accept a function returning an async iterable', async () => {
      const pending = await resourceFor('pending', 1);
      const paid = { ...pending, status: 'paid' as const, amountPaid: pending.amount, version: 3 };
      const stale = { ...pending, version: 2 };
      const source: PaymentStatusSource = async function* () {
        yield pending;
        await sleep(20);
        yield paid;
        yield stale;
      };
      const events: CustomEvent[] = [];
      const el = await fixture<QrPayment>(html`<qr-payment .statusSource=${source} @qr-payment-paid=${(e: CustomEvent) => events.push(e)}></qr-payment>`);
      await waitFor(() => el.status === 'paid', 'paid');
      await sleep(50);
      expect(el.status).to.equal('paid');
      expect(events).to.have.length(1);
    });

    it('should accept an object with subscribe() and unsubscribe on removal', async () => {
      const pending = await resourceFor('pending', 1);
      let listener: ((payment: PaymentResource) => void) | undefined;
      let unsubscribed = false;
      const source: PaymentStatusSource = {
        subscribe(callback) {
          listener = callback;
          return () => (unsubscribed = true);
        },
      };
      const el = await fixture<QrPayment>(html`<qr-payment .statusSource=${source}></qr-payment>`);
      listener!(pending);
      await waitFor(() => el.status === 'pending', 'pending');
      expect(await scanSvg(el)).to.equal(pending.qr);
      el.remove();
      expect(unsubscribed).to.equal(true);
    });

    it('should validate what the source sends', async () => {
      const events: CustomEvent[] = [];
      async function* source() {
        yield { id: 'x', status: 'paid' } as unknown as PaymentResource;
      }
      const el = await fixture<QrPayment>(html`<qr-payment .statusSource=${source} @qr-payment-error=${(e: CustomEvent) => events.push(e)}></qr-payment>`);
      await waitFor(() => events.length === 1, 'the error');
      expect(events[0]!.detail.code).to.equal('INVALID_RESOURCE');
      expect(el.status).to.equal(undefined);
    });

    it('should accept a plain async iterable and report its failure with a retry', async () => {
      const pending = await resourceFor('pending', 1);
      const iterable: AsyncIterable<PaymentResource> = {
        async *[Symbol.asyncIterator]() {
          yield pending;
          throw new Error('socket closed');
        },
      };
      const events: CustomEvent[] = [];
      const el = await fixture<QrPayment>(html`<qr-payment .statusSource=${iterable} @qr-payment-error=${(e: CustomEvent) => events.push(e)}></qr-payment>`);
      await waitFor(() => events.length === 1, 'the error');
      expect(events[0]!.detail).to.include({ code: 'SOURCE_ERROR', recoverable: true });
      expect(el.status).to.equal('pending');
      expect(part(el, 'warning')).to.not.equal(null);
    });
  });

  describe('embedding', () => {
    it('should work inside another shadow root and take its lang from the host', async () => {
      const host = mount((container) => container.setAttribute('lang', 'en'));
      const root = host.attachShadow({ mode: 'open' });
      const inner = document.createElement('div');
      root.append(inner);
      const el = document.createElement('qr-payment');
      el.setAttribute('payload', STATIC_PAYLOAD);
      inner.append(el);
      await el.updateComplete;
      expect(await scanSvg(el)).to.equal(STATIC_PAYLOAD);
      expect(text(el, 'details')).to.contain('Account number');
    });

    it('should not throw when defined twice', async () => {
      const warnings: unknown[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
      try {
        expect(defineElement('qr-payment', class extends QrPayment {}, '9.9.9')).to.equal(false);
        await import('../src/define.js');
      } finally {
        console.warn = original;
      }
      expect(customElements.get('qr-payment')).to.equal(QrPayment);
      expect(warnings.join()).to.contain('9.9.9');
    });

    it('should work under a strict CSP, with two copies of the bundle on the page', async () => {
      const frame = document.createElement('iframe');
      frame.src = '/__test/payment/csp.html';
      frame.style.width = '800px';
      frame.style.height = '1600px';
      document.body.append(frame);
      try {
        await waitFor(() => (frame.contentWindow as { __ready?: boolean } | null)?.__ready === true, 'the CSP page', 10_000);
        const page = frame.contentWindow as Window & { __violations: string[]; __errors: string[] };
        const doc = frame.contentDocument!;
        const staticEl = doc.getElementById('static') as QrPayment;
        const remoteEl = doc.getElementById('remote') as QrPayment;
        await waitFor(() => Boolean(staticEl.shadowRoot?.querySelector('[part~="qr"]')), 'the static QR');
        await waitFor(() => Boolean(remoteEl.shadowRoot?.querySelector('[part~="qr"]')), 'the remote QR', 8000);
        const svg = staticEl.shadowRoot!.querySelector('[part~="qr"]')!;
        expect(decodeVietQR(STATIC_PAYLOAD).amount).to.equal('50000');
        // Styles applied (adopted stylesheets are allowed by style-src 'self'): the QR has its size.
        expect(svg.getBoundingClientRect().width).to.be.at.least(200);
        expect(page.__violations).to.deep.equal([]);
        expect(page.__errors).to.deep.equal([]);
        expect(doc.querySelectorAll('[style]')).to.have.length(0);
        expect(staticEl.shadowRoot!.querySelectorAll('[style], style, script')).to.have.length(0);
      } finally {
        frame.remove();
      }
    });
  });
});
