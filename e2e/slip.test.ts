// The printed payment slip (issue 12 item 6): the counter page and the postal clerk's batch page print
// to PDF in Chromium at A6, A5 and A4 with the default margins; every page is rendered at 300 dpi by
// poppler (pdftoppm), its QR read by jsQR and compared with the payment's; poppler's pdftotext gives
// every word's box, which must lie inside the printable area, and the whole memo. Nothing is clipped:
// one PDF page per slip (or per four or two slips on A4), and no slip's content overflows its box.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PaymentResource } from '@motcua/core';
import { amountInWords } from '@motcua/core/words';
import { axeViolations, createPayment, launchBrowser, notify, root, startDemoServer, watchConsole, type Demo } from './helpers.js';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};
const jsQR = jsQRModule as unknown as typeof import('jsqr').default;

const MM_PER_PT = 25.4 / 72;
/** Chromium's own default print margin (the print dialog's "Default" when the page sets none): 0.4 in. */
const DEFAULT_MARGIN = '0.4in';
const MARGIN_MM = 10.16;

function havePoppler(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Word {
  text: string;
  /** mm from the page's top-left corner. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface PdfPage {
  widthMm: number;
  heightMm: number;
  words: Word[];
  text: string;
  png: { width: number; height: number; data: Buffer };
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-slip-'));

/** The PDF's pages: size, words with their boxes (pdftotext -bbox) and a 300 dpi rendering (pdftoppm). */
function readPdf(pdf: Buffer, name: string): PdfPage[] {
  const file = path.join(workDir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const pages = [...html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)];
  return pages.map(([, width, height, body], index) => {
    const words = [...body!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map(
      ([, x0, y0, x1, y1, text]) => ({
        text: decodeEntities(text!),
        x0: Number(x0) * MM_PER_PT,
        y0: Number(y0) * MM_PER_PT,
        x1: Number(x1) * MM_PER_PT,
        y1: Number(y1) * MM_PER_PT,
      }),
    );
    const prefix = path.join(workDir, `${name}-${index + 1}`);
    execFileSync('pdftoppm', ['-r', '300', '-png', '-f', String(index + 1), '-l', String(index + 1), '-singlefile', file, prefix]);
    return {
      widthMm: Number(width) * MM_PER_PT,
      heightMm: Number(height) * MM_PER_PT,
      words,
      text: execFileSync('pdftotext', ['-f', String(index + 1), '-l', String(index + 1), '-layout', file, '-'], { encoding: 'utf8' }),
      png: PNG.sync.read(readFileSync(`${prefix}.png`)),
    };
  });
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The QR read by jsQR from the part of the page image between fractions (x0, y0) and (x1, y1). */
function readQrIn(png: PdfPage['png'], [x0, y0, x1, y1]: [number, number, number, number]): string | undefined {
  const left = Math.floor(png.width * x0);
  const top = Math.floor(png.height * y0);
  const width = Math.floor(png.width * x1) - left;
  const height = Math.floor(png.height * y1) - top;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const from = ((top + row) * png.width + left) * 4;
    data.set(png.data.subarray(from, from + width * 4), row * width * 4);
  }
  return jsQR(data, width, height)?.data;
}

/** Every word lies inside the printable area (the page less its margins). */
function assertInsidePrintableArea(page: PdfPage, marginMm: number, label: string): void {
  const tolerance = 0.5;
  for (const word of page.words) {
    const inside =
      word.x0 >= marginMm - tolerance &&
      word.y0 >= marginMm - tolerance &&
      word.x1 <= page.widthMm - marginMm + tolerance &&
      word.y1 <= page.heightMm - marginMm + tolerance;
    assert.ok(
      inside,
      `${label}: "${word.text}" at (${word.x0.toFixed(1)}, ${word.y0.toFixed(1)})–(${word.x1.toFixed(1)}, ${word.y1.toFixed(1)}) mm is outside the printable area`,
    );
  }
}

/** No slip's content runs past its own box (in print layout, at the printable width of `paper`). */
async function assertSlipsNotOverflowing(page: Page, selector: string): Promise<void> {
  const overflowing = await page.evaluate((selector) => {
    const slips = [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('.slip') ?? [])];
    return slips
      .filter((slip) => {
        const box = slip.getBoundingClientRect();
        return [...slip.querySelectorAll('*')].some((child) => {
          const inner = child.getBoundingClientRect();
          return inner.bottom > box.bottom + 0.5 || inner.right > box.right + 0.5;
        });
      })
      .map((slip) => slip.getAttribute('data-payment'));
  }, selector);
  assert.deepEqual(overflowing, [], 'slips whose content overflows');
}

/** The words of the slip's text, whitespace-normalised (pdftotext -layout spreads columns apart). */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('the printed payment slip', { skip: havePoppler() ? false : 'poppler-utils (pdftoppm, pdftotext) is not installed' }, () => {
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    demo = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    // MOTCUA_KEEP_PDF=1 keeps the PDFs and their 300 dpi renderings to look at.
    if (process.env.MOTCUA_KEEP_PDF) console.log(`PDFs and renderings kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  });

  async function officerPage(lang: 'vi' | 'en'): Promise<{ page: Page; problems: string[]; streams: string[] }> {
    const page = await context.newPage();
    const problems = watchConsole(page);
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/events')) streams.push(request.url());
    });
    await page.goto(`${demo.url}/counter.html?counter=C2&lang=${lang}`);
    await page.locator('#procedure option').first().waitFor({ state: 'attached' });
    // The browser's print dialog is not part of the test: the PDF is what it would print.
    await page.evaluate(() => {
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => {
        (window as unknown as { __printed: number }).__printed++;
      };
    });
    return { page, problems, streams };
  }

  async function createOnCounterPage(page: Page, procedure: string): Promise<PaymentResource> {
    await page.selectOption('#procedure', procedure);
    const created = page.waitForResponse((r) => r.url().endsWith('/demo/api/payments') && r.request().method() === 'POST');
    await page.click('#create');
    const response = await created;
    assert.equal(response.status(), 201, await response.text());
    return (await response.json()) as PaymentResource;
  }

  for (const lang of ['vi', 'en'] as const) {
    it(`should print the counter's slip whole on A6 and on A5 (${lang === 'vi' ? 'Vietnamese' : 'English'}), with the payment's QR and no screen wording`, async () => {
      const { page, problems, streams } = await officerPage(lang);
      const payment = await createOnCounterPage(page, 'chung-thuc-hop-dong');
      assert.equal(payment.amount, 50_000);
      await page.locator('#officer-payment').locator('svg.qr').waitFor();
      const reads = page.waitForResponse((r) => r.url().endsWith(`/api/payments/${payment.id}`) && r.request().method() === 'GET');
      await page.click('#print');
      assert.equal((await reads).status(), 200, 'Print reads the payment once more');
      await page.waitForFunction(() => (window as unknown as { __printed: number }).__printed === 1);

      for (const paper of ['a6', 'a5'] as const) {
        await page.evaluate((paper) => document.getElementById('print-slip')!.setAttribute('paper', paper), paper);
        await page.evaluate(() => (document.getElementById('print-slip') as unknown as { updateComplete: Promise<boolean> }).updateComplete);
        // Chromium's default margins (what "Default" prints when the page sets none), and none at all.
        for (const margin of [DEFAULT_MARGIN, '0']) {
          const format = paper === 'a6' ? 'A6' : 'A5';
          const pdf = await page.pdf({ format, margin: { top: margin, right: margin, bottom: margin, left: margin }, printBackground: true });
          const pages = readPdf(pdf, `counter-${lang}-${paper}-${margin}`);
          assert.equal(pages.length, 1, `${paper} with margin ${margin}: one page`);
          const [sheet] = pages as [PdfPage];
          assertInsidePrintableArea(sheet, margin === '0' ? 0 : MARGIN_MM, `${paper}/${lang}/${margin}`);
          assert.equal(readQrIn(sheet.png, [0, 0, 1, 1]), payment.qr, `${paper}/${lang}/${margin}: the QR read off the 300 dpi page is the payment's`);
          const text = flat(sheet.text);
          // The whole memo (the payment code and the purpose) on one line, the amount in words, the due date.
          assert.ok(text.includes(`${payment.code} CHUNG THUC HD`), `${paper}: the whole memo in: ${text}`);
          assert.ok(text.includes(amountInWords(50_000, lang)), `${paper}: ${amountInWords(50_000, lang)} in: ${text}`);
          assert.ok(text.includes(payment.bank.account) && text.includes(payment.dossier), text);
          assert.ok(text.includes('Chứng thực hợp đồng, giao dịch'), 'what the fee is for, in Vietnamese');
          assert.ok(text.includes(lang === 'vi' ? 'Hạn nộp' : 'Pay by'), text);
          assert.ok(text.toUpperCase().includes('UBND PHƯỜNG DEMO, QUẬN HOÀN KIẾM'), text);
          // Screen wording never reaches paper.
          for (const screenWords of ['Đang chờ thanh toán', 'Hết hạn sau', 'Waiting for payment', 'Expires in', 'Sao chép', 'Copy', 'Quầy cán bộ']) {
            assert.ok(!text.includes(screenWords), `"${screenWords}" printed`);
          }
        }
      }
      // The officer's widget is the only one following the payment: the slip is a snapshot. (The page
      // may first have followed the counter's previous open payment, which it reopens after a reload.)
      assert.deepEqual(
        streams.filter((url) => url.includes(`/${payment.id}/`)),
        [`${demo.url}/api/payments/${payment.id}/events`],
      );
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  /**
   * A bank notification, tried twice with the same transaction id (so it counts once): after a long
   * PDF rendering, undici may reuse a keep-alive socket the demo server has closed (keepAliveTimeout
   * 5 s) and the request fails with ECONNRESET before it reaches the server.
   */
  async function notifyTransfer(memo: string, amount: number): Promise<void> {
    const transactionId = `TX${randomUUID().slice(0, 12)}`;
    const result = await notify(demo, memo, amount, transactionId).catch(() => notify(demo, memo, amount, transactionId));
    assert.equal(result.status, 200, JSON.stringify(result.body));
  }

  it('should print an underpaid payment for the rest only, and offer no print once it is paid', async () => {
    const { page } = await officerPage('vi');
    const payment = await createOnCounterPage(page, 'chung-thuc-hop-dong');
    await notifyTransfer(payment.code, 20_000);
    await page.click('#print');
    await page.waitForFunction(() => (window as unknown as { __printed: number }).__printed === 1);
    const [sheet] = readPdf(
      await page.pdf({ format: 'A6', margin: { top: DEFAULT_MARGIN, right: DEFAULT_MARGIN, bottom: DEFAULT_MARGIN, left: DEFAULT_MARGIN } }),
      'underpaid',
    ) as [PdfPage];
    const read = readQrIn(sheet.png, [0, 0, 1, 1]);
    assert.match(read ?? '', /5405300005802VN/, 'the QR asks for the 30.000 ₫ still due');
    assert.ok(flat(sheet.text).includes('Ba mươi nghìn đồng'), flat(sheet.text));

    // Paid: the counter page no longer offers Print (issue 12 item 11); a slip given a paid payment
    // prints a notice without a QR (packages/payment-widget/test/qr-payment-slip.test.ts, NOT_PAYABLE).
    await notifyTransfer(payment.code, 30_000);
    await page.locator('#print').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => (window as unknown as { __printed: number }).__printed), 1);
    await page.close();
  });

  it("should run the payment-widget README's slip sample (the CDN file, src read once) and print it whole on A6", async () => {
    const readme = readFileSync(path.join(root, 'packages/payment-widget/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Printing: the payment slip'));
    const sample = /^```html\n([\s\S]*?)^```$/m.exec(section)?.[1];
    assert.ok(sample?.includes('<qr-payment-slip src='), 'the README has the slip sample');
    const payment = await createPayment(demo, { amount: 100_000, counter: 'C2', purpose: 'DK HKD' });
    // The sample as written, with the CDN file and the payment URL pointed at this demo.
    const html = sample!
      .replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/@motcua\/payment-widget@[^"]+\/qr-payment-slip\.js/, '/cdn/motcua-payment-slip.js')
      .replace('/api/payments/42', `/api/payments/${payment.id}`);
    assert.ok(html.includes('/cdn/motcua-payment-slip.js') && html.includes(payment.id), html);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.route(`${demo.url}/readme-sample.html`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><html lang="vi"><meta charset="utf-8">${html}</html>` }),
    );
    await page.goto(`${demo.url}/readme-sample.html`);
    await page.locator('qr-payment-slip').locator('svg[part="qr"]').waitFor();
    const [sheet, ...more] = readPdf(
      await page.pdf({ format: 'A6', margin: { top: DEFAULT_MARGIN, right: DEFAULT_MARGIN, bottom: DEFAULT_MARGIN, left: DEFAULT_MARGIN } }),
      'readme',
    );
    assert.equal(more.length, 0, 'one page');
    assertInsidePrintableArea(sheet!, MARGIN_MM, 'README sample');
    assert.equal(readQrIn(sheet!.png, [0, 0, 1, 1]), payment.qr);
    const text = flat(sheet!.text);
    for (const expected of ['Đăng ký thành lập hộ kinh doanh', 'Một trăm nghìn đồng', `${payment.code} DK HKD`])
      assert.ok(text.includes(expected), `${expected} in: ${text}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('should print the postal batch: four A6 or two A5 slips per A4 sheet, each QR readable, axe-clean, no event stream', async () => {
    const created: PaymentResource[] = [];
    for (let i = 0; i < 5; i++) created.push(await createPayment(demo, { amount: 8_000 * (i + 1), counter: 'C2', purpose: 'TRICH LUC HT' }));
    const page = await context.newPage();
    const problems = watchConsole(page);
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/events')) streams.push(request.url());
    });
    await page.goto(`${demo.url}/postal.html`);
    await page.locator('#payments input').first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    // Only this test's payments: untick the others.
    await page.evaluate(
      (ids) => {
        for (const input of document.querySelectorAll<HTMLInputElement>('#payments input')) input.checked = ids.includes(input.value);
        document.getElementById('payments')!.dispatchEvent(new Event('change'));
      },
      created.map((p) => p.id),
    );
    await page.evaluate(() => {
      window.print = () => undefined;
    });

    const layouts = [
      // [paper, PDF format, landscape, slips per sheet, the cells as page fractions]
      [
        'a4-a6',
        'A4',
        false,
        4,
        [
          [0, 0, 0.5, 0.5],
          [0.5, 0, 1, 0.5],
          [0, 0.5, 0.5, 1],
          [0.5, 0.5, 1, 1],
        ],
      ],
      [
        'a4-a5',
        'A4',
        true,
        2,
        [
          [0, 0, 0.5, 1],
          [0.5, 0, 1, 1],
        ],
      ],
      ['a6', 'A6', false, 1, [[0, 0, 1, 1]]],
    ] as const;
    for (const [paper, format, landscape, perSheet, cells] of layouts) {
      await page.selectOption('#paper', paper);
      await page.click('#print-batch');
      await page.evaluate(() => (document.getElementById('batch-slips') as unknown as { updateComplete: Promise<boolean> }).updateComplete);
      await page.emulateMedia({ media: 'print' });
      await assertSlipsNotOverflowing(page, '#batch-slips');
      await page.emulateMedia({ media: null });
      const pdf = await page.pdf({ format, landscape, margin: { top: DEFAULT_MARGIN, right: DEFAULT_MARGIN, bottom: DEFAULT_MARGIN, left: DEFAULT_MARGIN } });
      const pages = readPdf(pdf, `batch-${paper}`);
      assert.equal(pages.length, Math.ceil(created.length / perSheet), `${paper}: ${created.length} slips, ${perSheet} per sheet`);
      const read: string[] = [];
      pages.forEach((sheet, index) => {
        assertInsidePrintableArea(sheet, MARGIN_MM, `${paper} page ${index + 1}`);
        for (const cell of cells) {
          const qr = readQrIn(sheet.png, [...cell] as [number, number, number, number]);
          if (qr) read.push(qr);
        }
      });
      assert.deepEqual(read.sort(), created.map((p) => p.qr).sort(), `${paper}: every slip's QR`);
      const text = flat(pages.map((p) => p.text).join(' '));
      for (const payment of created) assert.ok(text.includes(`${payment.code} TRICH LUC HT`), `${paper}: the memo of ${payment.code}`);
      assert.ok(text.includes('Cấp bản sao trích lục hộ tịch'), 'what the fee is for, from the procedure catalogue');
      assert.ok(text.includes(amountInWords(40_000)), text);
    }
    // The page in English: axe-clean too, and the slips follow the page's language.
    await page.goto(`${demo.url}/postal.html?lang=en`);
    await page.locator('#payments input').first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await page.locator('#batch-slips').locator('[part="title"]').first().textContent(), 'Fee payment slip');
    assert.deepEqual(streams, [], 'the batch page opens no event stream');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
