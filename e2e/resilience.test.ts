// The citizen screen when the gateway goes away: the QR is hidden while disconnected, the screen
// recovers to the state the gateway has after it returns (even when that changed meanwhile), and a
// rating made while the gateway is down arrives exactly once after it returns, across a reload.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeVietQR, type PaymentResource } from '@motcua/core';
import { api, createPayment, launchBrowser, notify, readQr, startDemoServer, vietnamToday, waitForView, type Demo } from './helpers.js';

describe('the citizen screen across gateway restarts (PGlite in a temporary folder)', () => {
  let dataDir: string;
  let demo: Demo | undefined;
  let port: number;
  let browser: Browser;
  let screen: Page;
  let paymentA: PaymentResource;
  let paymentB: PaymentResource;
  const screenUrl = () => `http://127.0.0.1:${port}/screen.html?counter=C1&thanksDelay=800&reconnectMinMs=200`;

  const start = async (onPort = port) => (demo = await startDemoServer({ port: onPort, dataDir, gateway: { paidScreenMs: 200 } }));
  const stop = async () => {
    await demo?.close();
    demo = undefined;
  };
  const connected = () => screen.evaluate(() => (document.querySelector('qr-counter-screen') as Element & { connected: boolean }).connected);
  const shownPaymentId = () =>
    screen.evaluate(() => (document.querySelector('qr-counter-screen') as Element & { counterState?: { payment?: { id: string } } }).counterState?.payment?.id);
  const satisfactionTotal = async (d: Demo) => (await api<{ total: number }>(d, 'GET', `/api/reports/satisfaction?month=${vietnamToday().slice(0, 7)}`)).total;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-e2e-'));
    await start(0);
    port = demo!.port;
    browser = await launchBrowser();
    screen = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await screen.goto(screenUrl());
    await waitForView(screen, 'idle');
  });

  after(async () => {
    await browser?.close();
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('hides the QR while the gateway is down, and shows it again when the same gateway returns', async () => {
    paymentA = await createPayment(demo!, { amount: 8000, counter: 'C1', purpose: 'TRICH LUC HT' });
    await screen.locator('qr-counter-screen qr-payment svg.qr').waitFor();
    await stop();
    await screen.waitForFunction(() => !(document.querySelector('qr-counter-screen') as Element & { connected: boolean }).connected, undefined, {
      polling: 50,
    });
    await screen.locator('qr-counter-screen [part="notice"]').waitFor();
    assert.equal(await screen.locator('qr-counter-screen qr-payment svg.qr').isVisible(), false, 'no QR is shown as if it were current');
    assert.match(await screen.locator('qr-counter-screen [part="connection"]').innerText(), /kết nối lại/);
    await start();
    await screen.waitForFunction(() => (document.querySelector('qr-counter-screen') as Element & { connected: boolean }).connected, undefined, {
      polling: 50,
      timeout: 15_000,
    });
    await screen.locator('qr-counter-screen qr-payment svg.qr').waitFor();
    assert.equal(await readQr(screen.locator('qr-counter-screen qr-payment svg.qr')), paymentA.qr);
  });

  it('recovers to what changed while it was away: A paid elsewhere, B created → shows B', async () => {
    await stop();
    await screen.locator('qr-counter-screen [part="notice"]').waitFor();
    // The gateway comes back on another port first (the screen cannot reach it), where A is paid and B created…
    const elsewhere = await startDemoServer({ port: 0, dataDir, gateway: { paidScreenMs: 200 } });
    const paid = await notify(elsewhere, decodeVietQR(paymentA.qr).purpose!, paymentA.amount);
    assert.equal(paid.body.results[0].outcome, 'matched');
    paymentB = await createPayment(elsewhere, { amount: 16_000, counter: 'C1', purpose: 'TRICH LUC HT' });
    await elsewhere.close();
    // …then returns where the screen looks for it.
    await start();
    await screen.waitForFunction(
      (id) => (document.querySelector('qr-counter-screen') as Element & { counterState?: { payment?: { id: string } } }).counterState?.payment?.id === id,
      paymentB.id,
      {
        polling: 50,
        timeout: 15_000,
      },
    );
    assert.equal(await connected(), true);
    await screen.locator('qr-counter-screen qr-payment svg.qr').waitFor();
    assert.equal(await readQr(screen.locator('qr-counter-screen qr-payment svg.qr')), paymentB.qr, 'the QR on screen is B, never A');
    assert.equal(await shownPaymentId(), paymentB.id);
  });

  it('a rating made while the gateway is down arrives exactly once after it returns, across a page reload', async () => {
    const paid = await notify(demo!, paymentB.code, paymentB.amount);
    assert.equal(paid.body.results[0].outcome, 'matched');
    await waitForView(screen, 'survey');
    const before = await satisfactionTotal(demo!);
    await stop();
    await screen.locator('qr-counter-screen [part="connection"]').waitFor();
    await screen.locator('qr-counter-screen qr-survey[mode="kiosk"] [role="radio"][data-value="satisfied"]').click();
    // Queued on the device (the POST failed): the screen still thanks the citizen.
    await waitForView(screen, 'thanks');
    // The page goes away with the rating unsent: reloading while the gateway is down shows the browser's error page.
    await screen.reload().catch(() => {});
    // Let the browser settle on its error page before navigating again (else the two navigations race).
    await screen.waitForURL((url) => url.protocol === 'chrome-error:', { timeout: 10_000 }).catch(() => {});
    assert.ok(!screen.url().startsWith('http'), `the page is gone (${screen.url()})`);
    await start();
    await screen.goto(screenUrl());
    await screen.waitForFunction(() => (document.querySelector('qr-counter-screen') as Element & { connected: boolean }).connected, undefined, {
      polling: 50,
      timeout: 15_000,
    });
    const deadline = Date.now() + 20_000;
    let total = await satisfactionTotal(demo!);
    while (total === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      total = await satisfactionTotal(demo!);
    }
    assert.equal(total, before + 1, 'the rating arrived');
    await waitForView(screen, 'idle', 15_000);
    // Give a duplicate every chance to show up: a reload and a flush more.
    await screen.reload();
    await screen.waitForFunction(() => (document.querySelector('qr-counter-screen') as Element & { connected: boolean }).connected, undefined, {
      polling: 50,
      timeout: 15_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await satisfactionTotal(demo!), before + 1, 'exactly once');
    const report = await api<{ byCounter: Array<{ key: string; questions: Record<string, Record<string, { count: number }>> }> }>(
      demo!,
      'GET',
      `/api/reports/satisfaction?month=${vietnamToday().slice(0, 7)}`,
    );
    assert.equal(report.byCounter.find((g) => g.key === 'C1')?.questions.attitude?.satisfied?.count, 1);
  });
});
