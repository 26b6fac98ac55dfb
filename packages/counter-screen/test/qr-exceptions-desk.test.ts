import { afterEach, describe, it } from 'node:test';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/exceptions-desk.js';
import type { QrExceptionsDesk } from '../src/exceptions-desk.js';

const realFetch = window.fetch;
interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: any;
}

/** A fake gateway: the reconciliation it lists, and what each POST answers. */
function fakeGateway(answer: (call: Call) => { status: number; body: unknown } | undefined = () => undefined) {
  const calls: Call[] = [];
  const report = {
    unmatched: [
      {
        id: '41',
        amount: 50_000,
        memo: 'CHUYEN TIEN LE PHI',
        receivedAt: '2026-12-01T02:15:00.000Z',
        status: 'unmatched',
        reason: 'no_code',
        paymentId: null,
        class: 'unmatched',
        refundOwed: 0,
      },
      {
        id: '42',
        amount: 0,
        memo: 'x',
        receivedAt: '2026-12-01T02:16:00.000Z',
        status: 'rejected',
        reason: 'not_incoming',
        paymentId: null,
        class: 'unmatched',
        refundOwed: 0,
      },
    ],
    refunds: [
      {
        id: '43',
        amount: 60_000,
        memo: 'MC7K2Q9XA',
        receivedAt: '2026-12-01T03:00:00.000Z',
        status: 'matched',
        reason: null,
        paymentId: 'p1',
        class: 'fee_paid',
        refundOwed: 10_000,
      },
    ],
    adjustments: [] as unknown[],
  };
  window.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: Call = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const custom = answer(call);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (custom) return json(custom.status, custom.body);
    if (call.method === 'GET') return json(200, report);
    const adjustment = {
      id: `a${calls.length}`,
      kind: 'attach',
      amount: 50_000,
      officer: call.body.officer,
      reason: call.body.reason,
      reversedBy: null,
      reverses: null,
    };
    report.adjustments.push(adjustment);
    report.unmatched = report.unmatched.filter((tx) => !call.url.includes(`/transfers/${tx.id}/`));
    return json(201, { adjustment, payment: { id: 'p2', code: 'MCPAID123', status: 'paid', amountPaid: 50_000, version: 2 } });
  }) as typeof fetch;
  return { calls, report };
}

const shadow = (el: QrExceptionsDesk) => el.shadowRoot!;
const button = (el: QrExceptionsDesk, text: string, within: ParentNode = shadow(el)) =>
  [...within.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

describe('<qr-exceptions-desk>', () => {
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('should list the unmatched transfers and the money owed back, in Vietnamese, accessibly', async () => {
    const { calls } = fakeGateway();
    const el = await fixture<QrExceptionsDesk>(html`<qr-exceptions-desk gateway="/portal" date="2026-12-01"></qr-exceptions-desk>`);
    await waitUntil(() => shadow(el).querySelector('[data-transfer="41"]'));
    expect(calls[0]!.url).to.equal('/portal/api/reports/reconciliation?date=2026-12-01');
    expect(calls[0]!.headers.authorization, 'no key unless given').to.equal(undefined);
    expect(shadow(el).querySelector('[data-transfer="42"]'), 'a rejected notification carries no money').to.equal(null);
    expect(shadow(el).textContent).to.include('Chuyển khoản không khớp');
    expect(shadow(el).querySelector('[data-transfer="43"]')!.textContent).to.include('10.000');
    expect(shadow(el).querySelector('[data-transfer="43"]')!.textContent).to.include('nộp thừa');
    await expect(el).to.be.accessible();
  });

  it('should draw its own day picker unless the page chooses the day (hide-date), and follow the day it is given', async () => {
    const { calls } = fakeGateway();
    const own = await fixture<QrExceptionsDesk>(html`<qr-exceptions-desk gateway="/portal" date="2026-12-01"></qr-exceptions-desk>`);
    await waitUntil(() => shadow(own).querySelector('[data-transfer="41"]'));
    expect(shadow(own).querySelector('input[type="date"]#desk-date')).to.not.equal(null);
    const driven = await fixture<QrExceptionsDesk>(html`<qr-exceptions-desk gateway="/portal" date="2026-12-01" hide-date></qr-exceptions-desk>`);
    await waitUntil(() => shadow(driven).querySelector('[data-transfer="41"]'));
    expect(shadow(driven).querySelector('#desk-date'), 'no picker drawn in the browser’s language').to.equal(null);
    driven.date = '2026-11-30';
    await waitUntil(() => calls.some((call) => call.url.endsWith('date=2026-11-30')));
  });

  it('should attach a transfer by keyboard: labelled fields, one Idempotency-Key, the key sent, an event, the list read again', async () => {
    const { calls } = fakeGateway();
    const el = await fixture<QrExceptionsDesk>(html`<qr-exceptions-desk api-key="k-123" officer="CB01" lang="en"></qr-exceptions-desk>`);
    await waitUntil(() => shadow(el).querySelector('[data-transfer="41"]'));
    const item = shadow(el).querySelector('[data-transfer="41"]')!;
    const open = button(el, 'Attach to a payment', item);
    open.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(open.getAttribute('aria-expanded')).to.equal('true');
    const form = item.querySelector('form')!;
    expect(form).to.exist;
    await expect(el).to.be.accessible();
    // The first field has the focus: type the code, then the reason.
    await sendKeys({ type: 'MCPAID123' });
    expect((form.querySelector('[name=officer]') as HTMLInputElement).value).to.equal('CB01');
    (form.querySelector('[name=reason]') as HTMLInputElement).focus();
    await sendKeys({ type: 'Forgot the code' });
    const action = oneEvent(el, 'qr-exceptions-desk-action');
    await sendKeys({ press: 'Enter' });
    const event = await action;
    expect(event.detail.payment!.status).to.equal('paid');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).to.equal('/api/transfers/41/attach');
    expect(post.body).to.deep.equal({ payment: 'MCPAID123', officer: 'CB01', reason: 'Forgot the code' });
    expect(post.headers.authorization).to.equal('Bearer k-123');
    expect(post.headers['idempotency-key']).to.match(/^desk-[0-9a-f-]{36}$/);
    await waitUntil(() => !shadow(el).querySelector('[data-transfer="41"]'));
    expect(shadow(el).querySelector('[part=message]')!.textContent).to.equal('Recorded.');
    expect(shadow(el).querySelector('[data-adjustment]')!.textContent).to.include('Forgot the code');
  });

  it("should say why an action was refused, in an alert, and keep the officer's form", async () => {
    fakeGateway((call) =>
      call.method === 'POST'
        ? { status: 409, body: { error: { code: 'TRANSFER_ALREADY_ATTACHED', message: 'This transfer already counts towards a payment.' } } }
        : undefined,
    );
    const el = await fixture<QrExceptionsDesk>(html`<qr-exceptions-desk></qr-exceptions-desk>`);
    await waitUntil(() => shadow(el).querySelector('[data-transfer="41"]'));
    const item = shadow(el).querySelector('[data-transfer="41"]')!;
    button(el, 'Gắn vào khoản thu', item).click();
    await el.updateComplete;
    const form = item.querySelector('form')!;
    for (const [name, value] of [
      ['payment', 'MC1'],
      ['officer', 'CB02'],
      ['reason', 'Đối chiếu sao kê'],
    ])
      (form.querySelector(`[name=${name}]`) as HTMLInputElement).value = value!;
    form.requestSubmit();
    await waitUntil(() => shadow(el).querySelector('[role=alert]')?.textContent);
    expect(shadow(el).querySelector('[role=alert]')!.textContent).to.include('This transfer already counts towards a payment.');
    expect(item.querySelector('form'), 'the form stays open to correct').to.exist;
  });

  it('should refuse to submit without a reason (required fields) and send nothing', async () => {
    const { calls } = fakeGateway();
    const el = await fixture<QrExceptionsDesk>(html`<qr-exceptions-desk></qr-exceptions-desk>`);
    await waitUntil(() => shadow(el).querySelector('[data-transfer="43"]'));
    button(el, 'Ghi nhận đã hoàn tiền', shadow(el).querySelector('[data-transfer="43"]')!).click();
    await el.updateComplete;
    const form = shadow(el).querySelector('form')!;
    expect(form.querySelector('[name=date]')).to.exist;
    expect((form.querySelector('[name=reason]') as HTMLInputElement).required).to.equal(true);
    expect(form.checkValidity()).to.equal(false);
    form.requestSubmit();
    await el.updateComplete;
    expect(calls.filter((c) => c.method === 'POST')).to.have.length(0);
  });
});
