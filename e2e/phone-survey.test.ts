// Rating by phone, end to end through the demo as a citizen does it: a fee is paid, the citizen
// screen offers the rating QR, the QR is read off a screenshot of that screen, the phone page it opens
// (390 px) takes the rating, and the month's satisfaction report counts it. Once in Vietnamese, once in
// English; the same link a second time says "already rated", once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeVietQR } from '@motcua/core';
import { api, axeViolations, createPayment, openWindow, notify, readQr, startDemoAndBrowser, vietnamToday, waitForView, type Demo } from './helpers.js';

interface SatisfactionReport {
  total: number;
  byCounter: Array<{ key: string; count: number; questions: Record<string, Record<string, { count: number }>> }>;
}

describe('rating by phone (citizen screen QR → phone page → report)', () => {
  let demo: Demo;
  let browser: Browser;
  let screen: Page;
  let screenProblems: string[];

  before(async () => {
    ({ demo, browser } = await startDemoAndBrowser({ gateway: { paidScreenMs: 200 } }));
    // The portrait kiosk the citizen faces; the demo's screen needs no set-up.
    ({ page: screen, problems: screenProblems } = await openWindow(browser, { viewport: { width: 1080, height: 1920 } }));
    await screen.goto(`${demo.url}/screen.html?counter=C1`);
    await waitForView(screen, 'idle');
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  /** Pays a fee at counter C1 and reads the rating QR off a screenshot of the citizen screen. */
  async function ratingLink(): Promise<URL> {
    const payment = await createPayment(demo, { amount: 20_000, counter: 'C1' });
    await screen.locator('qr-counter-screen qr-payment svg.qr').waitFor();
    assert.equal((await notify(demo, decodeVietQR(payment.qr).purpose!, payment.amount)).body.results[0].outcome, 'matched');
    await waitForView(screen, 'survey');
    const qr = screen.locator('qr-counter-screen qr-survey[mode="qr"] svg[part~="qr"]');
    await qr.waitFor();
    const text = await readQr(qr);
    assert.ok(text, 'jsQR reads the rating QR from the screenshot');
    return new URL(text);
  }

  async function phonePage(): Promise<{ page: Page; problems: string[] }> {
    return openWindow(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  }

  async function satisfaction(): Promise<SatisfactionReport> {
    return api<SatisfactionReport>(demo, 'GET', `/api/reports/satisfaction?month=${vietnamToday().slice(0, 7)}`);
  }

  const survey = (page: Page) => page.locator('#survey');

  it("opens the phone page from the screen's QR, rates in Vietnamese, and the month's report counts it", async () => {
    const link = await ratingLink();
    assert.equal(link.pathname, '/survey.html');
    assert.match(link.searchParams.get('token') ?? '', /^[A-Za-z0-9_-]{22}$/, 'a short one-time token');
    assert.equal(link.searchParams.get('counter'), 'C1');
    assert.equal(link.searchParams.get('counterName'), 'Quầy 1 — Tư pháp, hộ tịch', 'the screen names its counter in the link');
    const { page, problems } = await phonePage();
    await page.goto(link.href);
    await survey(page).locator('[role="radio"]').first().waitFor();
    assert.match(await survey(page).locator('[part~="officer"]').innerText(), /Quầy 1 — Tư pháp, hộ tịch/, 'the phone page shows which counter is rated');
    assert.equal(await page.locator('#survey-message').isVisible(), false, 'no "Liên kết đánh giá không hợp lệ"');
    assert.deepEqual(await axeViolations(page), []);
    // Nothing on the 390 px page is wider than the screen.
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    const before = (await satisfaction()).total;
    const stored = page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          document.addEventListener('qr-survey-submit', (e) => resolve((e as CustomEvent<{ status: number }>).detail.status), { once: true }),
        ),
    );
    await survey(page).locator('[role="radio"][data-value="very_satisfied"]').tap();
    assert.equal(await stored, 201);
    assert.equal(await survey(page).locator('[part~="thanks"]').innerText(), 'Cảm ơn Ông/Bà đã đánh giá!');
    const report = await satisfaction();
    assert.equal(report.total, before + 1);
    const c1 = report.byCounter.find((group) => group.key === 'C1');
    assert.equal(c1?.questions.attitude?.very_satisfied?.count, 1);

    // The same link again (the citizen scans twice): "already rated", once, and nothing new is counted.
    const again = await phonePage();
    await again.page.goto(link.href);
    await survey(again.page).locator('[role="radio"][data-value="satisfied"]').tap();
    await survey(again.page).locator('[part~="thanks"]', { hasText: 'Hồ sơ đã được đánh giá.' }).waitFor();
    const words = await survey(again.page).evaluate((el) => el.shadowRoot!.textContent!);
    assert.equal(words.split('Hồ sơ đã được đánh giá.').length - 1, 1, `"already rated" once: ${words}`);
    assert.doesNotMatch(words, /Cảm ơn|ALREADY_RATED|HTTP/);
    assert.equal((await satisfaction()).total, before + 1);
    assert.deepEqual(problems, []);
    await page.context().close();
    await again.page.context().close();
  });

  it('rates in English on the phone too', async () => {
    await waitForView(screen, 'idle', 30_000);
    const link = await ratingLink();
    const { page, problems } = await phonePage();
    await page.goto(link.href);
    await page.locator('button.lang').click();
    await survey(page).locator('[role="radio"]', { hasText: 'Satisfied' }).first().waitFor();
    assert.equal(await page.locator('h1').innerText(), 'Rate how your application was received');
    const before = (await satisfaction()).byCounter.find((group) => group.key === 'C1')?.questions.attitude?.satisfied?.count ?? 0;
    await survey(page).locator('[role="radio"][data-value="satisfied"]').tap();
    await survey(page).locator('[part~="thanks"]', { hasText: 'Thank you for your rating!' }).waitFor();
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      after = (await satisfaction()).byCounter.find((group) => group.key === 'C1')?.questions.attitude?.satisfied?.count ?? 0;
      if (after === before) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(after, before + 1);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('logged no errors and no CSP violations on the citizen screen', () => {
    assert.deepEqual(screenProblems, []);
  });
});
