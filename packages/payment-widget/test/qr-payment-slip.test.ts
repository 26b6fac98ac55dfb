import { afterEach, describe, it } from 'node:test';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { encodeVietQR, type PaymentResource } from '@motcua/core';
import '../src/slip.js';
import type { QrPaymentSlip, QrPaymentSlipPayment } from '../src/slip.js';
import { newPayment, serverLog } from './helpers.js';

const shadow = (el: QrPaymentSlip) => el.shadowRoot!;
const parts = (el: QrPaymentSlip, name: string) => [...shadow(el).querySelectorAll(`[part~="${name}"]`)];
const text = (el: QrPaymentSlip, name: string) => parts(el, name)[0]?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const allText = (el: QrPaymentSlip) => shadow(el).textContent!.replace(/\s+/g, ' ');

function payment(overrides: Partial<PaymentResource> = {}): QrPaymentSlipPayment {
  const code = overrides.code ?? 'MC7K2Q9XA';
  const amount = overrides.amount ?? 1_205_000;
  return {
    id: `p-${code}`,
    code,
    status: 'pending',
    amount,
    amountPaid: 0,
    currency: 'VND',
    qr: encodeVietQR({ bin: '970415', account: '113366668888', amount, purpose: `${code} DK HKD` }),
    bank: { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG DONG TAM' },
    purpose: 'DK HKD',
    dossier: '000.20.01.H26-250115-0001',
    counter: 'C1',
    expiresAt: '2026-12-31T09:30:00.000Z',
    paidAt: null,
    version: 1,
    ...overrides,
  };
}

/** The document's print rules while a slip holds them (print-isolation.ts), as text. */
const printRules = () =>
  document.adoptedStyleSheets
    .flatMap((sheet) => [...sheet.cssRules])
    .map((rule) => rule.cssText)
    .join('\n');

describe('<qr-payment-slip>', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('lang');
  });

  it('should print the unit, what the fee is for, the amount in figures and in words, the details, the due date and the steps — and no screen wording', async () => {
    const el = await fixture<QrPaymentSlip>(
      html`<qr-payment-slip unit-name="UBND phường Đồng Tâm" .payments=${[
        { ...payment(), description: 'Đăng ký thành lập hộ kinh doanh' },
      ]}></qr-payment-slip>`,
    );
    await el.updateComplete;
    expect(text(el, 'unit')).to.equal('UBND phường Đồng Tâm');
    expect(text(el, 'purpose')).to.contain('Đăng ký thành lập hộ kinh doanh').and.contain('000.20.01.H26-250115-0001');
    expect(text(el, 'amount')).to.match(/1\.205\.000\s₫/);
    expect(text(el, 'amount-words')).to.contain('Một triệu hai trăm linh năm nghìn đồng');
    const details = text(el, 'details');
    for (const value of ['VietinBank', '113366668888', 'UBND PHUONG DONG TAM', 'MC7K2Q9XA DK HKD', 'Hạn nộp', '16:30 31/12/2026'])
      expect(details).to.contain(value);
    expect(parts(el, 'steps')[0]!.querySelectorAll('li').length).to.equal(3);
    expect(parts(el, 'qr')).to.have.length(1);
    for (const screenWording of ['Đang chờ', 'Hết hạn sau', 'Sao chép', 'Tải mã']) expect(allText(el)).not.to.contain(screenWording);
    expect(shadow(el).querySelector('button, [role="timer"]')).to.equal(null);
  });

  it('should be accessible (axe)', async () => {
    const el = await fixture<QrPaymentSlip>(html`<qr-payment-slip unit-name="UBND phường Đồng Tâm" .payments=${[payment()]}></qr-payment-slip>`);
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('should speak English when the page does, with the amount in English words', async () => {
    document.documentElement.lang = 'en';
    const el = await fixture<QrPaymentSlip>(html`<qr-payment-slip .payments=${[payment({ amount: 50_000 })]}></qr-payment-slip>`);
    await el.updateComplete;
    expect(text(el, 'title')).to.equal('Fee payment slip');
    expect(text(el, 'amount-words')).to.contain('Fifty thousand dong');
    expect(text(el, 'unit')).to.equal('UBND PHUONG DONG TAM', 'the account holder when no unit-name is given');
    expect(text(el, 'details')).to.contain('Pay by').and.contain('(Vietnam time)');
  });

  it('should read src with one GET and open no event stream', async () => {
    const { id, src, resource } = await newPayment({ create: { amount: 50_000 } });
    const el = await fixture<QrPaymentSlip>(html`<qr-payment-slip src=${src} description="Chứng thực hợp đồng"></qr-payment-slip>`);
    await el.updateComplete;
    expect(text(el, 'amount-words')).to.contain('Năm mươi nghìn đồng');
    expect(text(el, 'details')).to.contain(resource.code);
    const log = await serverLog(id);
    expect(log.gets).to.equal(1);
    expect(log.eventConnections).to.equal(0);
    await el.refresh();
    expect((await serverLog(id)).gets).to.equal(2, 'refresh() reads it once more');
  });

  it('should print an underpaid payment for the amount still due, with what was received', async () => {
    const el = await fixture<QrPaymentSlip>(
      html`<qr-payment-slip .payments=${[payment({ amount: 50_000, amountPaid: 20_000, status: 'underpaid' })]}></qr-payment-slip>`,
    );
    await el.updateComplete;
    expect(text(el, 'amount-words')).to.contain('Ba mươi nghìn đồng');
    expect(allText(el)).to.contain('Đã nhận 20.000');
    expect(parts(el, 'qr')[0]!.getAttribute('aria-label')).to.contain('30.000');
  });

  it('should print a notice and no QR for a payment that cannot be paid, and say why in an event', async () => {
    const paid = payment({ status: 'paid', amountPaid: 1_205_000 });
    setTimeout(() => document.body.append(Object.assign(document.createElement('qr-payment-slip'), { payments: [paid] })));
    const event = await oneEvent(document.body, 'qr-payment-slip-error');
    expect(event.detail).to.include({ code: 'NOT_PAYABLE', paymentId: paid.id });
    const el = event.target as QrPaymentSlip;
    await el.updateComplete;
    expect(parts(el, 'qr')).to.have.length(0);
    expect(text(el, 'notice')).to.contain('đã được thanh toán');
    el.remove();
  });

  it('should refuse a QR that does not carry the payment’s account (QR_MISMATCH) and report an unreadable src (HTTP_ERROR)', async () => {
    const wrong = payment({ qr: encodeVietQR({ bin: '970415', account: '999999999', amount: 1_205_000, purpose: 'X' }) });
    const el = await fixture<QrPaymentSlip>(html`<qr-payment-slip></qr-payment-slip>`);
    setTimeout(() => {
      el.payments = [wrong];
    });
    expect((await oneEvent(el, 'qr-payment-slip-error')).detail.code).to.equal('QR_MISMATCH');
    await el.updateComplete;
    expect(parts(el, 'qr')).to.have.length(0);

    const { src } = await newPayment({ mode: '500' });
    setTimeout(() => {
      el.src = src;
    });
    expect((await oneEvent(el, 'qr-payment-slip-error')).detail.code).to.equal('HTTP_ERROR');
    await el.updateComplete;
    expect(text(el, 'notice')).to.contain('Máy chủ thanh toán báo lỗi');
  });

  it('should put four A6 slips on each A4 sheet, and print only the slips on the paper it names while it has some', async () => {
    const payments = ['MCAAAAAA1', 'MCAAAAAA2', 'MCAAAAAA3', 'MCAAAAAA4', 'MCAAAAAA5'].map((code) => payment({ code }));
    const el = await fixture<QrPaymentSlip>(html`<qr-payment-slip paper="a4-a6" .payments=${payments}></qr-payment-slip>`);
    await el.updateComplete;
    const sheets = parts(el, 'sheet');
    expect(sheets.map((sheet) => sheet.querySelectorAll('[part="slip"]').length)).to.deep.equal([4, 1]);
    expect(printRules())
      .to.match(/size: a4( portrait)?;/i)
      .and.contain(':has(qr-payment-slip)');
    el.paper = 'a4-a5';
    await el.updateComplete;
    expect(parts(el, 'sheet').length).to.equal(3);
    expect(printRules()).to.match(/size: a4 landscape;/i);
    el.payments = [];
    await el.updateComplete;
    expect(printRules()).not.to.contain('qr-payment-slip', 'nothing to print: the page prints as it is');
    el.payments = payments;
    await el.updateComplete;
    el.remove();
    expect(printRules()).not.to.contain('qr-payment-slip');
  });
});
