// <qr-payment>'s first paint (issue 16): the QR is drawn at once, and what the lazy chunks add (the
// bank's name, English words) is painted when it arrives — never another language's words first.
// Each test file runs in its own page, so the bank directory and English are not loaded when the
// first test starts (the order below keeps the first test from finding the directory loaded).
import { afterEach, describe, it } from 'node:test';
import { expect } from '@open-wc/testing';
import { encodeVietQR } from '@motcua/core';
import '../src/define.js';
import type { QrPayment } from '../src/qr-payment.js';

const PAYLOAD = encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI HO TICH' });

interface Paint {
  qr: boolean;
  text: string;
}

/** Connects a `<qr-payment>` and records every paint (QR drawn or not, the text) until it settles. */
async function paints(setup: (el: QrPayment) => void): Promise<{ el: QrPayment; paints: Paint[] }> {
  const el = document.createElement('qr-payment');
  const recorded: Paint[] = [];
  const hooks = el as unknown as { updated(changed: Map<PropertyKey, unknown>): void };
  const updated = hooks.updated.bind(el);
  hooks.updated = (changed) => {
    const root = el.shadowRoot!;
    recorded.push({ qr: root.querySelector('[part~="qr"] path') !== null, text: root.textContent!.replace(/\s+/g, ' ').trim() });
    updated(changed);
  };
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  return { el, paints: recorded };
}

describe('<qr-payment> first paint', () => {
  afterEach(() => document.querySelectorAll('qr-payment').forEach((el) => el.remove()));

  it('should draw the QR of a BIN before the bank directory has loaded, then name the bank', async () => {
    const { paints: seen } = await paints((el) => {
      el.bank = '970415';
      el.account = '113366668888';
      el.amount = '50000';
    });
    expect(seen[0]!.qr, 'the QR on the first paint').to.equal(true);
    expect(seen[0]!.text, 'the BIN until the directory arrives').to.contain('BIN 970415');
    expect(seen.at(-1)!.text, 'the bank named once it has').to.contain('VietinBank').and.not.contain('BIN 970415');
    for (const paint of seen) expect(paint.qr).to.equal(true);
  });

  it('should draw the QR on an English page before its words have loaded, and never show Vietnamese', async () => {
    const { el, paints: seen } = await paints((el) => {
      el.lang = 'en';
      el.payload = PAYLOAD;
    });
    expect(seen[0]!.qr, 'the QR on the first paint').to.equal(true);
    expect(seen[0]!.text, 'no words before English arrives').to.equal('');
    for (const paint of seen) expect(paint.text).to.not.match(/Quét|Số tài khoản|Ngân hàng|Số tiền/);
    expect(seen.at(-1)!.text).to.contain('Account number').and.contain('₫50,000');
    expect(el.shadowRoot!.querySelector('[part~="qr"]')!.getAttribute('aria-label')).to.match(/^QR code to transfer/);
    await expect(el).to.be.accessible();
  });

  it('should name a bank given by its code only once the directory is there (no QR before)', async () => {
    const { el, paints: seen } = await paints((el) => {
      el.bank = 'VCB';
      el.account = '0011004455667';
    });
    expect(seen.at(-1)!.qr).to.equal(true);
    expect(el.shadowRoot!.textContent).to.contain('Vietcombank');
  });
});
