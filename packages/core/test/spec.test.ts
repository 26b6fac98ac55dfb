// Pins the NAPAS VietQR spec v1.0 (shared/reference/napas-vietqr-spec-v1.0.txt), section 6.1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEmvQr } from '../src/emv.js';
import { decodeVietQR, encodeVietQR, VietQRError } from '../src/index.js';
import { SPEC } from './helpers.js';

const isCode = (code: string, field?: string) => (error: unknown) =>
  error instanceof VietQRError && error.code === code && (field === undefined || error.field === field);

describe('NAPAS VietQR spec examples (6.1)', () => {
  it('should decode 6.1.2 (static, card) and re-encode it byte for byte', () => {
    const data = decodeVietQR(SPEC.staticCard);
    assert.deepEqual(
      { initiation: data.initiation, bin: data.bin, account: data.account, service: data.service, amount: data.amount, crc: data.crc },
      { initiation: 'static', bin: '970403', account: '9704031101234567', service: 'card', amount: undefined, crc: '4F52' },
    );
    assert.equal(encodeVietQR({ bin: '970403', account: '9704031101234567', service: 'card' }), SPEC.staticCard);
  });

  it('should decode 6.1.3 (dynamic, account) and re-encode it byte for byte', () => {
    const data = decodeVietQR(SPEC.dynamicAccount);
    assert.equal(data.initiation, 'dynamic');
    assert.equal(data.bin, '970403');
    assert.equal(data.account, '0011012345678');
    assert.equal(data.service, 'account');
    assert.equal(data.amount, '180000');
    assert.equal(data.billNumber, 'NPS6869');
    assert.equal(data.purpose, 'thanh toan don hang');
    assert.equal(data.currency, '704');
    assert.equal(data.country, 'VN');
    assert.equal(
      encodeVietQR({ bin: '970403', account: '0011012345678', amount: 180000, billNumber: 'NPS6869', purpose: 'thanh toan don hang' }),
      SPEC.dynamicAccount,
    );
  });

  it("should decode 6.1.4's dynamic string (dynamic, card) and re-encode it byte for byte", () => {
    const data = decodeVietQR(SPEC.dynamicCard);
    assert.equal(data.initiation, 'dynamic');
    assert.equal(data.service, 'card');
    assert.equal(data.amount, '180000');
    assert.equal(
      encodeVietQR({ bin: '970403', account: '9704031101234567', service: 'card', amount: '180000', billNumber: 'NPS6869', purpose: 'thanh toan don hang' }),
      SPEC.dynamicCard,
    );
  });

  it('should reject erratum 6.1.1 as malformed TLV: its account length (12) disagrees with the 13 digits carried', () => {
    assert.throws(() => decodeVietQR(SPEC.staticAccountErratum), isCode('MALFORMED_TLV', '38.01'));
    // The tolerant parser still reads the root; it keeps 38.01 raw because it does not parse.
    const parsed = parseEmvQr(SPEC.staticAccountErratum);
    const beneficiary = parsed.fields.find((f) => f.id === '38')!.children!.find((c) => c.id === '01')!;
    assert.equal(beneficiary.children, undefined);
  });

  it('should reject erratum 6.1.4 (top string) for its CRC: A203 belongs to the dynamic string, not the static one', () => {
    assert.throws(() => decodeVietQR(SPEC.dynamicCardErratum), isCode('BAD_CRC', '63'));
    assert.equal(parseEmvQr(SPEC.dynamicCardErratum).crcValid, false);
    assert.equal(parseEmvQr(SPEC.staticCard).crcValid, true);
  });

  it('should encode the corrected 6.1.1 (13-digit account) with a valid CRC', () => {
    const payload = encodeVietQR({ bin: '970403', account: '0011012345678' });
    assert.equal(payload.slice(0, -4), '00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN6304');
    assert.deepEqual(decodeVietQR(payload).account, '0011012345678');
  });
});
