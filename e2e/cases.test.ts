// The payments that do not go straight to "paid", through the demo pages: underpaid then topped
// up and a memo mangled by the bank app (both paid from the simulated bank page), expired, cancelled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PaymentResource } from '@motcua/core';
import { api, axeViolations, createPayment, launchBrowser, startDemoServer, waitForView, watchConsole, type Demo } from './helpers.js';

describe('underpaid, expired, cancelled and mangled payments (bank page, officer page, citizen screen)', () => {
  let demo: Demo;
  let browser: Browser;
  let officer: Page;
  let screen: Page;
  let bank: Page;
  const problems: string[][] = [];

  const screenPayment = () =>
    screen.evaluate(() => (document.querySelector('qr-counter-screen') as (Element & { counterState?: { state: string; payment?: PaymentResource } }) | null)?.counterState);

  async function waitOfficerStatus(status: string): Promise<void> {
    await officer.waitForFunction((s) => (document.querySelector('#officer-payment') as HTMLElement & { status?: string }).status === s, status, { polling: 50, timeout: 10_000 });
  }

  /** Creates the payment from the officer page (the portal backend) and waits for the bank page to list it. */
  async function create(procedure: string): Promise<PaymentResource> {
    if (await officer.locator('#next').isVisible()) await officer.locator('#next').click();
    await officer.selectOption('#procedure', procedure);
    const created = officer.waitForResponse((r) => r.url().endsWith('/demo/api/payments') && r.request().method() === 'POST');
    await officer.click('#create');
    const payment = (await (await created).json()) as PaymentResource;
    await officer.locator('#officer-payment svg.qr').waitFor();
    await bank.click('#refresh');
    await bank.locator(`tr[data-code="${payment.code}"]`).waitFor();
    return payment;
  }

  before(async () => {
    // No grace window after expiresAt here, so the expiry case sees `expired` at once (the gateway's tests cover the window).
    demo = await startDemoServer({ gateway: { sweepIntervalMs: 250, expiryGraceSeconds: 0 } });
    browser = await launchBrowser();
    const page = async () => {
      const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      problems.push(watchConsole(p));
      return p;
    };
    [officer, screen, bank] = await Promise.all([page(), page(), page()]);
    await officer.goto(`${demo.url}/counter.html?counter=C1`);
    await screen.goto(`${demo.url}/screen.html?counter=C1&paidDelay=200&thanksDelay=500`);
    await bank.goto(`${demo.url}/bank.html`);
    await officer.locator('#procedure option').first().waitFor({ state: 'attached' });
    await waitForView(screen, 'idle');
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('underpaid, then topped up to paid, from the simulated bank page', async () => {
    const payment = await create('dang-ky-ho-kinh-doanh');
    assert.equal(payment.amount, 100_000);
    assert.deepEqual(await axeViolations(bank), [], 'the bank page with a pending payment is axe-clean');
    await bank.locator(`tr[data-code="${payment.code}"] button[data-pay="short"]`).click();
    await waitOfficerStatus('underpaid');
    await screen.waitForFunction((id) => {
      const state = (document.querySelector('qr-counter-screen') as Element & { counterState?: { payment?: { id: string; status: string } } }).counterState;
      return state?.payment?.id === id && state.payment.status === 'underpaid';
    }, payment.id, { polling: 50 });
    assert.equal(await screen.locator('qr-counter-screen qr-payment svg.qr').count(), 1, 'an underpaid payment keeps its QR on the citizen screen');
    const underpaid = await api<PaymentResource>(demo, 'GET', `/api/payments/${payment.id}`);
    assert.equal(underpaid.amountPaid, 50_000);
    // The bank page lists it still (underpaid is open) with what is left to pay.
    await bank.locator(`tr[data-code="${payment.code}"] button[data-pay="exact"]`).click();
    await waitOfficerStatus('paid');
    await waitForView(screen, 'survey');
    const paid = await api<PaymentResource>(demo, 'GET', `/api/payments/${payment.id}`);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amountPaid, 100_000);
  });

  it('a memo mangled by the bank app (case, spaces, prefixes) is still matched', async () => {
    const payment = await create('chung-thuc-hop-dong');
    await bank.locator(`tr[data-code="${payment.code}"] button[data-pay="mangled"]`).click();
    await waitOfficerStatus('paid');
    const log = JSON.parse(await bank.locator('#log').innerText()) as { sent: { body: { memo: string } } };
    assert.notEqual(log.sent.body.memo, payment.code);
    assert.ok(!log.sent.body.memo.includes(payment.code), `the mangled memo "${log.sent.body.memo}" does not contain the code verbatim`);
    await waitForView(screen, 'survey');
  });

  it('expires by itself: both screens say so, the citizen screen hides the QR, and money sent after is kept against it (payment_closed: a refund owed)', async () => {
    const payment = await createPayment(demo, { amount: 2000, counter: 'C1', expiresIn: 2 });
    await officer.locator('#next').click();
    await officer.evaluate((id) => document.querySelector('#officer-payment')!.setAttribute('src', `/api/payments/${id}`), payment.id);
    await waitForView(screen, 'payment');
    await waitOfficerStatus('expired');
    await screen.waitForFunction(() => {
      const state = (document.querySelector('qr-counter-screen') as Element & { counterState?: { payment?: { status: string } } }).counterState;
      return state?.payment?.status === 'expired';
    }, undefined, { polling: 50 });
    await screen.waitForFunction(() => !document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('qr-payment')?.shadowRoot?.querySelector('svg.qr'), undefined, { polling: 50 });
    const state = await screenPayment();
    assert.equal(state?.payment?.status, 'expired');
    const late = await fetch(`${demo.url}/dev/bank/transfer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId: payment.id }) });
    const body = (await late.json()) as { response: { body: { results: Array<{ outcome: string; reason?: string }> } } };
    assert.deepEqual(body.response.body.results.map((r) => [r.outcome, r.reason]), [['unmatched', 'payment_closed']]);
    assert.equal((await api<PaymentResource>(demo, 'GET', `/api/payments/${payment.id}`)).status, 'expired');
  });

  it('cancelled from the officer page: the officer sees it, the citizen screen goes back to idle', async () => {
    const payment = await create('chung-thuc-ban-sao');
    await waitForView(screen, 'payment');
    await officer.click('#cancel');
    await waitOfficerStatus('cancelled');
    await waitForView(screen, 'idle');
    assert.equal((await api<PaymentResource>(demo, 'GET', `/api/payments/${payment.id}`)).status, 'cancelled');
    await bank.click('#refresh');
    await bank.locator(`tr[data-code="${payment.code}"]`).waitFor({ state: 'detached' });
  });

  it('logged no errors and no CSP violations', () => {
    for (const list of problems) assert.deepEqual(list, []);
  });
});
