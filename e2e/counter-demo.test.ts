// The counter demo as an officer and a citizen use it (issue 12, items 4, 7 and 11), in Vietnamese and
// English: "next dossier" with a payment still open asks the officer (cancel it, or keep it payable
// from its slip) and the citizen screen never shows the previous citizen's QR; the citizen screen fits
// 1366×768, 1920×1080 and a 1080×1920 portrait kiosk with no scrolling and a QR large enough to scan from
// a step away; the officer's buttons follow the payment's state; nothing overflows a 390 px phone, a
// payment code never breaks across lines, and Vietnamese pages carry no English or raw values.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PaymentResource } from '@motcua/core';
import { api, axeViolations, createPayment, launchBrowser, notify, readQr, startDemoServer, waitForView, watchConsole, type Demo } from './helpers.js';

const LANGS = ['vi', 'en'] as const;
type Lang = (typeof LANGS)[number];
const SCREENS = [
  [1366, 768],
  [1920, 1080],
  [1080, 1920],
] as const;
const PHONE = { width: 390, height: 844 };
/** 10 cm at the CSS reference pixel (1/96 in): a QR that size scans from about 1 m. */
const QR_MIN_PX = 378;

// Screenshots to look at by hand (never committed): MOTCUA_SCREENSHOTS=/some/folder.
const shots = process.env.MOTCUA_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });
async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/**
 * What overflows: the page wider than its window, and any element (through open shadow roots) whose
 * text is cut by `overflow: hidden|clip` or an ellipsis. Selects are left out: a closed select shows
 * the start of its option and the whole of it when opened.
 */
function overflowProblems(page: Page): Promise<string[]> {
  // No named inner functions: tsx would wrap them in a helper (__name) the page does not have.
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
    const scopes: Array<Document | ShadowRoot> = [document];
    for (let scope = scopes.pop(); scope; scope = scopes.pop()) {
      for (const el of scope.querySelectorAll('*')) {
        if (el.shadowRoot) scopes.push(el.shadowRoot);
        if (!(el instanceof HTMLElement) || el.matches('select, option, .sr-only, .skip-link, [hidden]') || !el.offsetParent) continue;
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''}`;
        const style = getComputedStyle(el);
        const clips = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
        if (clips && el.scrollWidth > el.clientWidth + 1 && el.textContent?.trim()) problems.push(`${name} clips its text`);
        // Anything that sticks out of the window on the right.
        const box = el.getBoundingClientRect();
        if (box.width && box.right > root.clientWidth + 1 && style.position !== 'fixed') problems.push(`${name} ends at ${Math.round(box.right)} px`);
      }
    }
    return problems;
  });
}

/**
 * The lines `code` is laid out on, wherever it appears in the page's text (open shadow roots included),
 * except inside a raw QR payload (the simulated bank shows the EMV string, broken anywhere to fit).
 */
function linesOfCode(page: Page, code: string): Promise<number[]> {
  return page.evaluate((wanted) => {
    const counts: number[] = [];
    const scopes: Array<Document | ShadowRoot> = [document];
    for (let scope = scopes.pop(); scope; scope = scopes.pop()) {
      const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(wanted);
        if (at < 0 || !(node.parentElement as HTMLElement | null)?.offsetParent || node.parentElement!.closest('code.payload')) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        counts.push(new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size);
      }
      for (const el of scope.querySelectorAll('*')) if (el.shadowRoot) scopes.push(el.shadowRoot);
    }
    return counts;
  }, code);
}

/** The page's own text (light DOM: what the demo writes, not what the widgets say). */
const pageText = (page: Page) => page.evaluate(() => document.body.innerText);

describe('the counter demo: next dossier, the citizen screen, the officer page on a phone (issue 12: 4, 7, 11)', () => {
  let demo: Demo;
  let browser: Browser;
  const problems: string[][] = [];

  before(async () => {
    demo = await startDemoServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function open(path: string, lang: Lang, viewport: { width: number; height: number } = { width: 1366, height: 768 }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    problems.push(watchConsole(page));
    await page.goto(`${demo.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    return page;
  }

  const officerStatus = (officer: Page, status: string) =>
    officer.waitForFunction((s) => (document.querySelector('#officer-payment') as HTMLElement & { status?: string }).status === s, status, {
      polling: 50,
      timeout: 10_000,
    });

  async function createFromOfficerPage(officer: Page): Promise<PaymentResource> {
    await officer.locator('#procedure option').first().waitFor({ state: 'attached' });
    await officer.selectOption('#procedure', 'chung-thuc-chu-ky');
    const created = officer.waitForResponse((r) => r.url().endsWith('/demo/api/payments') && r.request().method() === 'POST');
    await officer.click('#create');
    const payment = (await (await created).json()) as PaymentResource;
    await officer.locator('#officer-payment svg.qr').waitFor();
    return payment;
  }

  const screenQrText = (screen: Page) => readQr(screen.locator('qr-counter-screen qr-payment svg.qr'));

  for (const lang of LANGS) {
    it(`next dossier with the payment open: a dialog asks to cancel or keep it, and the citizen screen drops its QR either way (${lang})`, async () => {
      const counter = lang === 'vi' ? 'C1' : 'C2';
      const officer = await open(`/counter.html?counter=${counter}`, lang);
      const screen = await open(`/screen.html?counter=${counter}`, lang, { width: 1366, height: 768 });
      await waitForView(screen, 'idle');

      // Keep: the payment stays open (payable from its slip), the screen goes back to its welcome.
      const kept = await createFromOfficerPage(officer);
      await waitForView(screen, 'payment');
      assert.equal(await screenQrText(screen), kept.qr, 'the citizen screen shows the payment');
      await officer.click('#next');
      const dialog = officer.locator('#next-dialog');
      await dialog.waitFor();
      assert.equal(await dialog.getAttribute('open'), '', 'a modal dialog opens');
      assert.equal(await officer.evaluate(() => document.activeElement?.closest('dialog')?.id), 'next-dialog', 'focus is in the dialog');
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes(kept.code) && text.includes(kept.dossier), 'the dialog names the payment and the dossier');
      assert.match(text, lang === 'vi' ? /Hủy khoản thu.*Giữ lại, công dân nộp sau.*Quay lại/ : /Cancel the payment.*Keep it, the citizen pays later.*Go back/);
      assert.deepEqual(await axeViolations(officer), [], 'the page with its dialog open is axe-clean');
      await shot(officer, `next-dialog-${lang}`);
      // Escape (or "go back") changes nothing.
      await officer.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await officer.locator('#payment-card').isVisible(), true);
      assert.equal(
        await screen.evaluate(() => document.querySelector('qr-counter-screen')!.shadowRoot!.querySelector('.base')!.getAttribute('data-view')),
        'payment',
      );

      await officer.click('#next');
      await officer.click('#next-keep');
      await dialog.waitFor({ state: 'hidden' });
      await waitForView(screen, 'idle');
      assert.equal(await screen.locator('qr-counter-screen qr-payment').count(), 0, 'no QR on the citizen screen');
      assert.equal(await officer.locator('#payment-card').isVisible(), false, 'the officer page is ready for the next dossier');
      assert.ok((await officer.locator('#form-message').innerText()).includes(kept.code));
      assert.equal((await api<PaymentResource>(demo, 'GET', `/api/payments/${kept.id}`)).status, 'pending', 'the kept payment is still open');

      // The next citizen's payment shows its own QR…
      const next = await createFromOfficerPage(officer);
      await waitForView(screen, 'payment');
      assert.equal(await screenQrText(screen), next.qr);
      // …and the kept one, paid from its slip meanwhile, does not come back on the screen.
      assert.equal((await notify(demo, kept.code, kept.amount)).body.results[0].outcome, 'matched');
      assert.equal((await api<PaymentResource>(demo, 'GET', `/api/payments/${kept.id}`)).status, 'paid');
      await screen.waitForTimeout(300);
      assert.equal(await screenQrText(screen), next.qr, 'still the next citizen’s QR');

      // Cancel: the payment is cancelled and the screen goes back to its welcome.
      await officer.click('#next');
      await officer.click('#next-cancel');
      await dialog.waitFor({ state: 'hidden' });
      await waitForView(screen, 'idle');
      assert.equal((await api<PaymentResource>(demo, 'GET', `/api/payments/${next.id}`)).status, 'cancelled');
      assert.equal(await officer.locator('#payment-card').isVisible(), false);

      // Paid: nothing to decide, no dialog.
      const paid = await createFromOfficerPage(officer);
      await notify(demo, paid.code, paid.amount);
      await officerStatus(officer, 'paid');
      await officer.click('#next');
      assert.equal(await dialog.isVisible(), false, 'no dialog for a paid payment');
      assert.equal(await officer.locator('#payment-card').isVisible(), false);
      await officer.context().close();
      await screen.context().close();
    });

    it(`officer buttons follow the payment's state, and the page reopens on the counter's open payment (${lang})`, async () => {
      const counter = lang === 'vi' ? 'C1' : 'C2';
      const officer = await open(`/counter.html?counter=${counter}`, lang);
      const visible = async () =>
        Object.fromEntries(await Promise.all(['#print', '#cancel', '#next'].map(async (id) => [id, await officer.locator(id).isVisible()] as const))) as Record<
          string,
          boolean
        >;
      const copyButtons = () => officer.locator('#officer-payment [part~="copy-button"]:visible').count();

      const payment = await createFromOfficerPage(officer);
      assert.deepEqual(await visible(), { '#print': true, '#cancel': true, '#next': true }, 'pending');
      assert.ok((await copyButtons()) > 0, 'copy buttons while it can be paid');
      // A reload (or another officer PC) finds the counter's open payment again.
      await officer.reload();
      await officer.locator('#officer-payment svg.qr').waitFor();
      assert.ok((await officer.locator('#payment-message').innerText()).includes(payment.code));
      await officer.click('#cancel');
      await officerStatus(officer, 'cancelled');
      assert.deepEqual(await visible(), { '#print': false, '#cancel': false, '#next': true }, 'cancelled');
      assert.equal(await copyButtons(), 0, 'no copy buttons on a cancelled payment');

      await officer.click('#next');
      const paid = await createFromOfficerPage(officer);
      await notify(demo, paid.code, paid.amount);
      await officerStatus(officer, 'paid');
      assert.deepEqual(await visible(), { '#print': false, '#cancel': false, '#next': true }, 'paid');
      assert.equal(await copyButtons(), 0, 'no copy buttons on a paid payment');
      await officer.context().close();
    });
  }

  for (const lang of LANGS) {
    it(`the citizen screen fits 1366×768, 1920×1080 and 1080×1920 with no scrolling and a QR to scan from 1 m (${lang})`, async () => {
      const pending = await createPayment(demo, { amount: 50_000, counter: 'C3', purpose: 'DK HKD' });
      const created = await createPayment(demo, { amount: 94_000, counter: 'C4', purpose: 'TRICH LUC' });
      await notify(demo, created.code, 40_000);
      // Underpaid: the QR now asks for the rest.
      const underpaid = await api<PaymentResource>(demo, 'GET', `/api/payments/${created.id}`);
      for (const [width, height] of SCREENS) {
        for (const [counter, payment] of [
          ['C3', pending],
          ['C4', underpaid],
        ] as const) {
          const screen = await open(`/screen.html?counter=${counter}`, lang, { width, height });
          await screen.locator('qr-counter-screen qr-payment svg.qr').waitFor();
          await screen.locator('qr-counter-screen qr-payment [part~="countdown"]').waitFor();
          const where = `${counter} ${width}×${height} ${lang}`;
          const layout = await screen.evaluate(() => {
            const root = document.documentElement;
            const payment = document.querySelector('qr-counter-screen')!.shadowRoot!.querySelector('qr-payment')!.shadowRoot!;
            return {
              scroll: [root.scrollWidth, root.clientWidth, root.scrollHeight, root.clientHeight],
              qr: payment.querySelector('svg.qr')!.getBoundingClientRect().toJSON() as DOMRect,
              parts: Object.fromEntries(
                ['amount', 'status', 'countdown', 'details', 'summary'].map((part) => [
                  part,
                  payment.querySelector(`[part~="${part}"]`)?.getBoundingClientRect().toJSON() as DOMRect | undefined,
                ]),
              ),
              nav: document.querySelectorAll('nav, a[href="/reports.html"], a[href^="/counter.html"]').length,
            };
          });
          const [scrollWidth, clientWidth, scrollHeight, clientHeight] = layout.scroll;
          assert.ok(scrollWidth! <= clientWidth! && scrollHeight! <= clientHeight!, `${where}: no scrolling (${layout.scroll})`);
          assert.equal(layout.nav, 0, `${where}: no portal navigation on the citizen screen`);
          assert.ok(layout.qr!.width >= QR_MIN_PX, `${where}: the QR is ${layout.qr!.width} px (≥ ${QR_MIN_PX})`);
          for (const [part, box] of Object.entries(layout.parts)) {
            if (part === 'summary' && payment === pending) continue;
            assert.ok(box && box.height > 0, `${where}: ${part} shows`);
            assert.ok(box.top >= 0 && box.bottom <= height && box.left >= 0 && box.right <= width, `${where}: ${part} is in view (${JSON.stringify(box)})`);
          }
          assert.deepEqual(await overflowProblems(screen), [], `${where}: nothing clipped`);
          assert.equal(await screenQrText(screen), payment.qr, `${where}: the QR reads back`);
          if (width === 1366) assert.deepEqual(await axeViolations(screen), [], `${where}: axe-clean`);
          await shot(screen, `screen-${counter}-${width}x${height}-${lang}`);
          await screen.context().close();
        }
      }
    });
  }

  it('the rating uses the screen’s width, and the English button switches it', async () => {
    // Only a paired screen (C1, C2 in the demo) is offered the rating: C2, back to its welcome first.
    await api(demo, 'POST', '/api/counters/C2/idle');
    const screen = await open('/screen.html?counter=C2', 'vi', { width: 1920, height: 1080 });
    await waitForView(screen, 'idle');
    const payment = await createPayment(demo, { amount: 8000, counter: 'C2' });
    await notify(demo, payment.code, payment.amount);
    await waitForView(screen, 'survey');
    const kiosk = screen.locator('qr-counter-screen qr-survey[mode="kiosk"]');
    await kiosk.locator('[role="radio"]').first().waitFor();
    const width = (await kiosk.boundingBox())!.width;
    assert.ok(width > 640, `the kiosk rating is ${width} px wide (it was capped at 40rem)`);
    assert.deepEqual(await overflowProblems(screen), []);
    assert.equal(
      await screen.locator('qr-counter-screen qr-survey[mode="qr"] [part~="officer"]').isVisible(),
      false,
      'the phone QR beside the kiosk does not name the counter by its id ("Quầy: C2")',
    );
    await shot(screen, 'survey-1920x1080-vi');
    const question = () => kiosk.locator('[role="radiogroup"]').first().innerText();
    assert.match(await question(), /Rất hài lòng/);
    await screen.click('button.lang');
    await screen.waitForFunction(() =>
      /Very satisfied/.test(document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('qr-survey[mode="kiosk"]')?.shadowRoot?.textContent ?? ''),
    );
    await shot(screen, 'survey-1920x1080-en');
    await screen.context().close();
  });

  for (const lang of LANGS) {
    it(`nothing overflows a 390 px phone, and a payment code stays on one line (${lang})`, async () => {
      const counter = lang === 'vi' ? 'C1' : 'C2';
      const officer = await open(`/counter.html?counter=${counter}`, lang, PHONE);
      const payment = await createFromOfficerPage(officer);
      await notify(demo, payment.code, 1000);
      await officerStatus(officer, 'underpaid');
      const bank = await open('/bank.html', lang, PHONE);
      await bank.locator(`tr[data-code="${payment.code}"]`).waitFor();
      // A notification in the log (its long JSON lines wrap); the payment stays open (still short).
      await bank.locator(`tr[data-code="${payment.code}"] button[data-pay="short"]`).click();
      await bank.locator('#log').filter({ hasText: 'sent' }).waitFor();
      await bank.locator(`tr[data-code="${payment.code}"]`).waitFor();
      for (const [name, page] of [
        ['counter', officer],
        ['bank', bank],
      ] as const) {
        assert.deepEqual(await overflowProblems(page), [], `${name} (${lang}) at 390 px`);
        const lines = await linesOfCode(page, payment.code);
        await shot(page, `phone-${name}-${lang}`);
        assert.ok(lines.length > 0 && lines.every((n) => n === 1), `${name} (${lang}): the code ${payment.code} is on one line wherever it shows (${lines})`);
      }
      for (const path of ['/', '/reports.html', '/screen.html?counter=C1', '/survey.html']) {
        const page = await open(path, lang, PHONE);
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await overflowProblems(page), [], `${path} (${lang}) at 390 px`);
        if (path === '/reports.html') await shot(page, `phone-reports-${lang}`);
        await page.context().close();
      }
      await officer.context().close();
      await bank.context().close();
    });
  }

  it('Vietnamese pages carry no English or raw values, one form of address, and Vietnamese date pickers', async () => {
    const payment = await createPayment(demo, { amount: 94_000, counter: 'C1', purpose: 'TRICH LUC' });
    await notify(demo, payment.code, 40_000);
    const bank = await open('/bank.html', 'vi');
    const row = bank.locator(`tr[data-code="${payment.code}"]`);
    await row.waitFor();
    const rowText = await row.innerText();
    assert.doesNotMatch(rowText, /underpaid|pending|\(/i, 'the status is in words');
    assert.match(rowText, /Chưa đủ/);
    assert.match(rowText, /Quầy 1 — Tư pháp, hộ tịch/, 'the counter by its name');
    assert.doesNotMatch(rowText, /\bC1\b/, 'not by its id');
    assert.doesNotMatch(await pageText(bank), /\bgeneric\b/i);

    const reports = await open('/reports.html', 'vi');
    await reports.waitForSelector('body[data-loaded="true"]');
    const text = await pageText(reports);
    assert.doesNotMatch(text, /\bgeneric\b|underpaid|pending/i, 'no provider id or raw status');
    assert.match(text, /\(webhook ngân hàng, mã GD \S+\)/, 'a transfer says where it came from and its reference, in words');
    assert.equal(await reports.locator('input[type="date"], input[type="month"]').count(), 0, 'no pickers drawn in the browser’s language');
    const monthOptions = await reports.locator('#date-month option').allInnerTexts();
    assert.equal(monthOptions[11], 'Tháng 12');
    // The day's totals: one sentence and a tile per part of the money; chart labels are amounts.
    assert.equal(await reports.locator('#rec-totals .tile').count(), 4);
    assert.match(await reports.locator('#rec-totals .totals-lead').innerText(), /^Đã nhận [\d.]+\s₫ qua \d+ giao dịch/);
    const labels = await reports.locator('#rec-chart text').allTextContents();
    assert.ok(
      labels.some((label) => /^[\d.]+\s₫$/.test(label)),
      `a bar is labelled with its amount (${labels})`,
    );
    assert.ok(!labels.some((label) => /\d\s?(N|Tr|K)$/.test(label)), 'no compact "94 N" labels');
    // Choosing another day loads that day.
    const loaded = reports.waitForResponse((r) => r.url().includes('/demo/api/reports/reconciliation?date=2025-03-'));
    await reports.selectOption('#date-year', '2025');
    await reports.selectOption('#date-month', '3');
    await loaded;
    assert.deepEqual(await axeViolations(reports), []);
    await shot(reports, 'reports-vi');
    await reports.click('button.lang');
    assert.equal((await reports.locator('#date-month option').allInnerTexts())[11], 'December');

    // One form of address: "Ông/Bà", as the widgets write it.
    const survey = await open('/survey.html', 'vi');
    assert.doesNotMatch(await pageText(survey), /ông\/bà|Ông\/bà/);
    await survey.context().close();
    await bank.context().close();
    await reports.context().close();
  });

  it('logged no errors and no CSP violations', () => {
    for (const list of problems) assert.deepEqual(list, []);
  });
});
