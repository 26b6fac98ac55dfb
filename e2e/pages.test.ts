// Every demo page: axe-clean (WCAG 2.x A/AA) in Vietnamese and in English, under the demo's strict
// CSP with no console errors, and the language switch works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import type { CounterState } from '@motcua/core';
import { api, axeViolations, createPayment, launchBrowser, notify, startDemoServer, watchConsole, type Demo } from './helpers.js';

describe('every demo page', () => {
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;
  let surveyPath: string;

  before(async () => {
    // No "paid" phase: the rating (and its token) at once.
    demo = await startDemoServer({ gateway: { paidScreenMs: 0 } });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Data for the pages to show: a pending payment (bank), a paid one (reports) and its survey token (phone page).
    const paid = await createPayment(demo, { amount: 8000, counter: 'C1', purpose: 'TRICH LUC HT', procedure: 'Cấp bản sao trích lục hộ tịch' } as never);
    await notify(demo, paid.code, paid.amount);
    // The public counter read shows the paid payment, never the rating token…
    const state = await api<CounterState>(demo, 'GET', '/api/counters/C1');
    assert.equal(state.state, 'payment');
    assert.doesNotMatch(JSON.stringify(state), /token/);
    // …which only the paired citizen screen receives: the phone survey link is read from its QR's URL.
    const screen = await context.newPage();
    await screen.goto(`${demo.url}/screen.html?counter=C1`);
    const phoneUrl = await screen.locator('qr-counter-screen qr-survey[mode="qr"]').getAttribute('phone-url', { timeout: 15_000 });
    await screen.close();
    surveyPath = phoneUrl ? new URL(phoneUrl).pathname + new URL(phoneUrl).search : '';
    assert.match(surveyPath, /^\/survey\.html\?token=/);
    await createPayment(demo, { amount: 100_000, counter: 'C2', purpose: 'DK HKD' });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  const pages = () => [
    ['home', '/', 'h1'],
    ['officer counter', '/counter.html?counter=C1', '#procedure option'],
    ['citizen screen (idle)', '/screen.html?counter=C3', 'qr-counter-screen'],
    ['citizen screen (payment)', '/screen.html?counter=C2', 'qr-counter-screen qr-payment svg.qr'],
    ['citizen screen (rating)', '/screen.html?counter=C1', 'qr-counter-screen qr-survey[mode="qr"] svg'],
    ['simulated bank', '/bank.html', '#pending tbody tr'],
    ['reports', '/reports.html', 'body[data-loaded="true"]'],
    ['phone survey', surveyPath, 'qr-survey [role="radio"]'],
    ['phone survey without a token', '/survey.html', '#survey-message'],
  ];

  for (const lang of ['vi', 'en'] as const) {
    it(`are axe-clean in ${lang === 'vi' ? 'Vietnamese' : 'English'}, with no console errors under the strict CSP`, async () => {
      for (const [name, path, ready] of pages()) {
        const page = await context.newPage();
        const problems = watchConsole(page);
        const response = await page.goto(`${demo.url}${path}${path!.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
        await page.locator(ready!).first().waitFor({ state: 'attached' });
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang, name);
        // Every translated element shows words, never its dictionary key (e.g. "counter.h1").
        const rawKeys = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('[data-i18n]')].filter((el) => el.textContent!.trim() === el.dataset.i18n).map((el) => el.dataset.i18n),
        );
        assert.deepEqual(rawKeys, [], `${name} (${lang}) shows no raw i18n keys`);
        assert.deepEqual(await axeViolations(page), [], `${name} (${lang}) is axe-clean`);
        assert.deepEqual(problems, [], `${name} (${lang}) logged no errors`);
        await page.close();
      }
    });
  }

  it('switch the officer page to English and back to its own Vietnamese text', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/counter.html?counter=C1&lang=vi`);
    await page.locator('#procedure option').first().waitFor({ state: 'attached' });
    const vietnamese = await page.locator('h1').innerText();
    assert.match(vietnamese, /[ạảãàáâậầấẩẫăặằắẳẵđêệềếểễôộồốổỗơợờớởỡưựừứửữ]/i, 'the heading is Vietnamese');
    await page.click('button.lang');
    assert.match(await page.locator('h1').innerText(), /Officer counter/);
    await page.click('button.lang');
    assert.equal(await page.locator('h1').innerText(), vietnamese);
    await page.close();
  });

  it('switch language with the header button, and the widgets follow', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/screen.html?counter=C3&lang=vi`);
    await page.locator('qr-counter-screen [part="welcome"]').waitFor();
    assert.match(await page.locator('qr-counter-screen [part="welcome"]').innerText(), /Kính chào/);
    await page.click('button.lang');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.waitForFunction(() =>
      /Welcome/.test(document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('[part="welcome"]')?.textContent ?? ''),
    );
    assert.equal(await page.locator('button.lang').innerText(), 'Tiếng Việt');
    await page.close();
  });
});
