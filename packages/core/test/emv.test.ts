import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEmvQr } from '../src/emv.js';
import { encodeVietQR, VietQRError } from '../src/index.js';
import { obj, PUBLISHED, SPEC, withCrc } from './helpers.js';

describe('parseEmvQr', () => {
  it('should identify a VietQR and give its TLV tree, nested beneficiary included', () => {
    const qr = parseEmvQr(SPEC.dynamicAccount);
    assert.equal(qr.kind, 'vietqr');
    assert.equal(qr.crcValid, true);
    assert.equal(qr.initiation, 'dynamic');
    assert.deepEqual(qr.schemes, [{ id: '38', guid: 'A000000727', name: 'NAPAS VietQR' }]);
    const merchant = qr.fields.find((f) => f.id === '38')!;
    const beneficiary = merchant.children!.find((c) => c.id === '01')!;
    assert.deepEqual(beneficiary.children, [
      { id: '00', value: '970403' },
      { id: '01', value: '0011012345678' },
    ]);
    assert.deepEqual(qr.fields.find((f) => f.id === '62')!.children, [
      { id: '01', value: 'NPS6869' },
      { id: '08', value: 'thanh toan don hang' },
    ]);
  });

  it('should say which VietQR service a payload is: transfer to an account or a card, merchant (QR Push), cash', () => {
    assert.equal(parseEmvQr(SPEC.dynamicAccount).service, 'account');
    assert.equal(parseEmvQr(SPEC.staticCard).service, 'card');
    assert.equal(parseEmvQr(PUBLISHED.merchantDynamic).service, 'merchant');
    assert.equal(parseEmvQr(PUBLISHED.merchantNoServiceCode).service, 'merchant');
    assert.equal(parseEmvQr(PUBLISHED.cashDynamic).service, 'cash');
    const unknownService = withCrc(
      '000201010211' + obj('38', obj('00', 'A000000727') + obj('01', obj('00', '970403') + obj('01', '1')) + obj('02', 'QRADVERTISE')) + '5303704' + '5802VN',
    );
    assert.equal(parseEmvQr(unknownService).kind, 'vietqr');
    assert.equal(parseEmvQr(unknownService).service, undefined);
    assert.equal('service' in parseEmvQr(withCrc('000201010211' + obj('26', obj('00', 'A000000775') + obj('01', '1')) + '5802VN')), false);
  });

  it('should identify a VNPAY-QR (GUID A000000775 in field 26)', () => {
    const payload = withCrc(
      '000201010212' +
        obj('26', obj('00', 'A000000775') + obj('01', '0106627816')) +
        '52045999' +
        '5303704' +
        '540510000' +
        '5802VN' +
        obj('59', 'CUA HANG ABC') +
        obj('60', 'HA NOI') +
        obj('62', obj('07', 'VNP12345')),
    );
    const qr = parseEmvQr(payload);
    assert.equal(qr.kind, 'vnpayqr');
    assert.equal(qr.crcValid, true);
    assert.deepEqual(qr.schemes, [{ id: '26', guid: 'A000000775', name: 'VNPAY-QR' }]);
  });

  it("should keep MoMo's field 80 alongside a VietQR and stay a VietQR", () => {
    const vietqr = encodeVietQR({ bin: '971025', account: '0901234567', amount: 10000 }).slice(0, -8);
    const qr = parseEmvQr(withCrc(vietqr + obj('80', obj('00', 'MOMO') + obj('01', 'TRANSFER'))));
    assert.equal(qr.kind, 'vietqr');
    assert.deepEqual(qr.fields.find((f) => f.id === '80')!.children, [
      { id: '00', value: 'MOMO' },
      { id: '01', value: 'TRANSFER' },
    ]);
    assert.deepEqual(
      qr.schemes.map((s) => s.guid),
      ['A000000727', 'MOMO'],
    );
  });

  it('should identify PromptPay and PayNow as other kinds, naming the scheme', () => {
    const promptpay = parseEmvQr(withCrc('000201010211' + obj('29', obj('00', 'A000000677010111') + obj('01', '0066812345678')) + '5802TH' + '5303764'));
    assert.equal(promptpay.kind, 'other');
    assert.equal(promptpay.schemes[0]!.name, 'PromptPay');
    const paynow = parseEmvQr(
      withCrc('000201010212' + obj('26', obj('00', 'SG.PAYNOW') + obj('01', '2') + obj('02', '201403121W')) + '52040000' + '5303702' + '5802SG'),
    );
    assert.equal(paynow.kind, 'other');
    assert.equal(paynow.schemes[0]!.name, 'PayNow');
  });

  it('should report a bad or missing CRC instead of throwing, and accept a lower-case one', () => {
    assert.equal(parseEmvQr(SPEC.dynamicAccount.slice(0, -4) + '0000').crcValid, false);
    assert.equal(parseEmvQr(SPEC.dynamicAccount.slice(0, -4) + '2e2e').crcValid, true);
    const noCrc = parseEmvQr('000201' + '010211');
    assert.equal(noCrc.crcValid, false);
    assert.equal(noCrc.crc, undefined);
  });

  it('should keep a template that does not parse as a raw value', () => {
    const qr = parseEmvQr(withCrc('000201' + obj('62', 'free text, not TLV') + '5802VN'));
    const field = qr.fields.find((f) => f.id === '62')!;
    assert.equal(field.value, 'free text, not TLV');
    assert.equal(field.children, undefined);
  });

  it('should throw MALFORMED_TLV (a VietQRError) only when the root is not TLV', () => {
    for (const input of ['hello world', '00020', '0099AB', null, 42]) {
      assert.throws(
        () => parseEmvQr(input as string),
        (e: unknown) => e instanceof VietQRError && e.code === 'MALFORMED_TLV',
      );
    }
  });
});
