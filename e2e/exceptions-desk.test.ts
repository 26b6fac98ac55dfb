// The officer's exceptions desk on the demo's reports page (issue 12 item 1): a transfer without a
// payment code arrives, the officer attaches it to the payment from <qr-exceptions-desk> (keyboard and
// labels, through the portal backend: no key in the page), and the reconciliation changes with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { api, axeViolations, createPayment, launchBrowser, notify, startDemoServer, vietnamToday, watchConsole, type Demo } from './helpers.js';

interface Report {
  totals: { unmatched: number; toDeposit: number; adjustmentCount: number };
  transactions: Array<{ id: string; transactionId: string; class: string; paymentId: string | null }>;
  adjustments: Array<{ kind: string; officer: string; reason: string; apiKey: string }>;
}

describe('the exceptions desk on the reports page', () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  before(async () => {
    demo = await startDemoServer();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    problems = watchConsole(page);
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('should let an officer attach an unmatched transfer to its payment, and the reconciliation follows', async () => {
    const payment = await createPayment(demo, { amount: 50_000 });
    const transactionId = `TXDESK${Date.now()}`;
    // The citizen forgot the code: the memo names only the dossier.
    assert.equal((await notify(demo, 'CHUYEN TIEN HO SO NGUYEN VAN A', 50_000, transactionId)).status, 200);
    const before = await api<Report>(demo, 'GET', `/api/reports/reconciliation?date=${vietnamToday()}`);
    const transfer = before.transactions.find((t) => t.transactionId === transactionId)!;
    assert.equal(transfer.class, 'unmatched');

    await page.goto(`${demo.url}/reports.html`);
    await page.locator('body[data-loaded="true"]').waitFor();
    const desk = page.locator('qr-exceptions-desk');
    const item = desk.locator(`[data-transfer="${transfer.id}"]`);
    await item.waitFor();
    assert.deepEqual(await axeViolations(page), []);
    // Keyboard only: open the form, fill the labelled fields, confirm.
    await item.getByRole('button', { name: 'Gắn vào khoản thu' }).focus();
    await page.keyboard.press('Enter');
    await item.getByLabel('Mã khoản thu (in trên phiếu)').fill(payment.code);
    await item.getByLabel('Cán bộ thực hiện').fill('Nguyễn Thị Lan');
    await item.getByLabel('Lý do (bắt buộc)').fill('Công dân quên ghi mã, đã đối chiếu sao kê');
    const posted = page.waitForResponse((r) => r.url().includes(`/demo/api/transfers/${transfer.id}/attach`));
    await item.getByLabel('Lý do (bắt buộc)').press('Enter');
    assert.equal((await posted).status(), 201);
    await item.waitFor({ state: 'detached' });
    await desk.getByText('Đã ghi nhận.').waitFor();
    // The page's own figures are read again: nothing left unmatched from that transfer.
    await page.waitForFunction(
      (amount) => document.querySelector('[data-total="unmatched"]')?.textContent?.replace(/\D/g, '') === String(amount),
      before.totals.unmatched - 50_000,
    );

    const now = await api<Report>(demo, 'GET', `/api/reports/reconciliation?date=${vietnamToday()}`);
    const attached = now.transactions.find((t) => t.transactionId === transactionId)!;
    assert.equal(attached.class, 'fee_paid');
    assert.equal(attached.paymentId, payment.id);
    assert.equal(now.totals.toDeposit, before.totals.toDeposit + 50_000);
    assert.equal(now.adjustments.at(-1)!.officer, 'Nguyễn Thị Lan');
    assert.match(now.adjustments.at(-1)!.apiKey, /^key:/);
    assert.equal((await api<{ status: string }>(demo, 'GET', `/api/payments/${payment.id}`)).status, 'paid');
    assert.deepEqual(problems, []);
  });
});
