import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeVietQR, encodeVietQR, VietQRError, type VietQRInput } from '../src/index.js';
import { parseEmvQr } from '../src/emv.js';
import { readTlv } from '../src/tlv.js';
import { obj, PUBLISHED, withCrc } from './helpers.js';

const BASE: VietQRInput = { bin: '970415', account: '113366668888' };
const rejects = (input: unknown, code: string, field?: string) =>
  assert.throws(
    () => encodeVietQR(input as VietQRInput),
    (error: unknown) => error instanceof VietQRError && error.code === code && (field === undefined || error.field === field),
    `${JSON.stringify(input, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))} should fail with ${code}`,
  );
const beneficiary = (bin = '970415', account = '113366668888', service = 'QRIBFTTA') =>
  obj('38', obj('00', 'A000000727') + obj('01', obj('00', bin) + obj('01', account)) + obj('02', service));

describe('encodeVietQR', () => {
  it('should emit root IDs in ascending order with 00 first and 63 last', () => {
    const payload = encodeVietQR({
      ...BASE,
      amount: 50000,
      purpose: 'MC7K2Q9XA LE PHI',
      billNumber: 'B1',
      mcc: '9399',
      merchantName: 'UBND XA A',
      merchantCity: 'HA NOI',
    });
    const ids = readTlv(payload, '').map((f) => f.id);
    assert.deepEqual(ids, ['00', '01', '38', '52', '53', '54', '58', '59', '60', '62', '63']);
    assert.deepEqual([...ids].sort(), ids);
    assert.match(payload, /6304[0-9A-F]{4}$/);
  });

  it('should be static (11) without an amount and dynamic (12) with one, unless told otherwise', () => {
    assert.ok(encodeVietQR(BASE).startsWith('000201010211'));
    assert.ok(encodeVietQR({ ...BASE, amount: 1 }).startsWith('000201010212'));
    assert.ok(encodeVietQR({ ...BASE, amount: 1, initiation: 'static' }).startsWith('000201010211'));
    assert.ok(encodeVietQR({ ...BASE, initiation: 'dynamic' }).startsWith('000201010212'));
    rejects({ ...BASE, initiation: 'later' }, 'INVALID_FIELD', 'initiation');
  });

  it('should carry currency 704 and country VN', () => {
    const fields = new Map(readTlv(encodeVietQR(BASE), '').map((f) => [f.id, f.value]));
    assert.equal(fields.get('53'), '704');
    assert.equal(fields.get('58'), 'VN');
  });

  it('should take the amount as number, bigint or digit string, canonically', () => {
    const expected = encodeVietQR({ ...BASE, amount: 50000 });
    assert.equal(encodeVietQR({ ...BASE, amount: 50000n }), expected);
    assert.equal(encodeVietQR({ ...BASE, amount: '50000' }), expected);
    assert.equal(encodeVietQR({ ...BASE, amount: '0050000' }), expected);
    assert.ok(encodeVietQR({ ...BASE, amount: '9999999999999' }).includes('54139999999999999'));
  });

  it('should reject every amount that is not a positive whole number of at most 13 digits', () => {
    for (const amount of [
      0,
      -1,
      1.5,
      Number.NaN,
      Infinity,
      2 ** 53,
      0n,
      -5n,
      10n ** 15n,
      '',
      '0',
      '000',
      'abc',
      '-5',
      '1e5',
      '50 000',
      '50.000',
      '50,000',
      '50000.',
      '10000000000000',
      {},
      [],
      true,
    ]) {
      rejects({ ...BASE, amount }, 'INVALID_AMOUNT', 'amount');
    }
  });

  it('should reject a BIN that is not 6 digits', () => {
    for (const bin of ['97041', '9704155', 'ABCDEF', ' 970415', '', undefined, 970415]) rejects({ ...BASE, bin }, 'INVALID_BIN', 'bin');
  });

  it('should take accounts and card numbers of 1–19 letters/digits and reject the rest', () => {
    assert.doesNotThrow(() => encodeVietQR({ ...BASE, account: '1' }));
    assert.doesNotThrow(() => encodeVietQR({ ...BASE, account: '1234567890123456789', service: 'card' }));
    for (const account of ['', '12345678901234567890', '1234 5678', '0123-456', 'sốtàikhoản', undefined, 12345]) {
      rejects({ ...BASE, account }, 'INVALID_ACCOUNT', 'account');
    }
    rejects({ ...BASE, service: 'wallet' }, 'INVALID_FIELD', 'service');
  });

  it('should refuse non-ASCII text instead of changing it (toMemo is the explicit way)', () => {
    rejects({ ...BASE, purpose: 'Lệ phí hộ tịch' }, 'NOT_ASCII', 'purpose');
    rejects({ ...BASE, purpose: 'đ' }, 'NOT_ASCII', 'purpose');
    rejects({ ...BASE, merchantName: 'UBND Xã' }, 'NOT_ASCII', 'merchantName');
    rejects({ ...BASE, billNumber: 'tab\there' }, 'NOT_ASCII', 'billNumber');
    rejects({ ...BASE, purpose: 42 }, 'INVALID_FIELD', 'purpose');
  });

  it('should never truncate: a field over its limit is an error', () => {
    const limits = { purpose: 25, billNumber: 25, storeLabel: 25, referenceLabel: 25, terminalLabel: 25, merchantName: 25, merchantCity: 15 };
    for (const [field, limit] of Object.entries(limits)) {
      assert.doesNotThrow(() => encodeVietQR({ ...BASE, [field]: 'X'.repeat(limit) }));
      rejects({ ...BASE, [field]: 'X'.repeat(limit + 1) }, 'FIELD_TOO_LONG', field);
    }
  });

  it('should report FIELD_TOO_LONG for field 62 over 99 characters', () => {
    const fits = { billNumber: 'A'.repeat(25), storeLabel: 'B'.repeat(25), referenceLabel: 'C'.repeat(25), terminalLabel: 'D'.repeat(8) };
    assert.doesNotThrow(() => encodeVietQR({ ...BASE, ...fits })); // 29 * 3 + 12 = 99
    rejects({ ...BASE, ...fits, terminalLabel: 'D'.repeat(9) }, 'FIELD_TOO_LONG', 'additionalData');
  });

  it('should reject a bad MCC and anything that is not an input object', () => {
    rejects({ ...BASE, mcc: '93' }, 'INVALID_FIELD', 'mcc');
    for (const input of [null, undefined, 'x', 42]) rejects(input, 'INVALID_FIELD', 'input');
  });

  it('should treat empty optional text as absent', () => {
    assert.equal(encodeVietQR({ ...BASE, purpose: '', merchantName: '' }), encodeVietQR(BASE));
  });
});

describe('decodeVietQR', () => {
  const body = '000201' + '010212' + beneficiary() + '5303704' + '540550000' + '5802VN' + obj('62', obj('08', 'MC7K2Q9XA LE PHI'));

  it('should accept any field order between 00 and 63', () => {
    const shuffled = '000201' + '5802VN' + obj('62', obj('08', 'MC7K2Q9XA LE PHI')) + '540550000' + beneficiary() + '5303704' + '010212';
    const a = decodeVietQR(withCrc(body));
    const b = decodeVietQR(withCrc(shuffled));
    assert.deepEqual({ ...a, crc: '' }, { ...b, crc: '' });
    assert.equal(b.amount, '50000');
    assert.equal(b.purpose, 'MC7K2Q9XA LE PHI');
  });

  it('should accept a lower-case CRC and report it upper-cased', () => {
    const payload = withCrc(body);
    const lower = payload.slice(0, -4) + payload.slice(-4).toLowerCase();
    assert.equal(decodeVietQR(lower).crc, payload.slice(-4));
  });

  it('should keep unknown fields instead of dropping them', () => {
    const extra = body + obj('26', obj('00', 'A000000775') + obj('01', 'X1')) + obj('80', obj('00', 'MOMO') + obj('01', 'ABC')) + '5502' + '01';
    const data = decodeVietQR(
      withCrc(extra.replace('62', '62').replace(obj('62', obj('08', 'MC7K2Q9XA LE PHI')), obj('62', obj('08', 'MC7K2Q9XA LE PHI') + obj('09', 'AME')))),
    );
    assert.equal(data.unknownFields['26'], obj('00', 'A000000775') + obj('01', 'X1'));
    assert.equal(data.unknownFields['80'], obj('00', 'MOMO') + obj('01', 'ABC'));
    assert.equal(data.unknownFields['55'], '01');
    assert.equal(data.unknownFields['62.09'], 'AME');
  });

  it('should accept the spec\'s "50000." amount form and reject decimals, zero and over-long amounts', () => {
    const amount = (value: string) => withCrc(body.replace('540550000', obj('54', value)));
    assert.equal(decodeVietQR(amount('50000.')).amount, '50000');
    for (const bad of ['50000.5', '0', '00', '5 000', '-5', '12345678901234', '.', '.00', '0.00', '5.0.0', '50000,00', '1e5']) {
      assert.throws(() => decodeVietQR(amount(bad)), { code: 'INVALID_AMOUNT', field: 'amount' }, bad);
    }
  });

  it('should accept a zero fraction ("50000.00") and report the canonical amount', () => {
    const amount = (value: string) => withCrc(body.replace('540550000', obj('54', value)));
    for (const [value, canonical] of [
      ['50000.00', '50000'],
      ['50000.0', '50000'],
      ['050000.000', '50000'],
      ['1.00', '1'],
      ['9999999999.00', '9999999999'],
    ]) {
      assert.equal(decodeVietQR(amount(value!)).amount, canonical, value);
    }
  });

  it('should refuse a non-zero fraction with its own message: VND has no minor unit', () => {
    const amount = (value: string) => withCrc(body.replace('540550000', obj('54', value)));
    for (const bad of ['50000.50', '50000.05', '50000.01', '1.10']) {
      assert.throws(
        () => decodeVietQR(amount(bad)),
        (e: unknown) =>
          e instanceof VietQRError && e.code === 'INVALID_AMOUNT' && e.field === 'amount' && /fraction/.test(e.message) && e.message.includes(bad),
        bad,
      );
    }
  });

  it('should treat a missing point of initiation as static', () => {
    assert.equal(decodeVietQR(withCrc(body.replace('010212', ''))).initiation, 'static');
    assert.throws(() => decodeVietQR(withCrc(body.replace('010212', '010213'))), { code: 'INVALID_FIELD', field: '01' });
  });

  it('should name the field at fault for every broken rule', () => {
    const cases: Array<[string, string, string]> = [
      [body.replace('5303704', '5303840'), 'INVALID_FIELD', '53'],
      [body.replace('5303704', ''), 'MISSING_FIELD', '53'],
      [body.replace('5802VN', '5802TH'), 'INVALID_FIELD', '58'],
      [body.replace('5802VN', ''), 'MISSING_FIELD', '58'],
      [body.replace(beneficiary(), beneficiary('97041X')), 'INVALID_BIN', 'bin'],
      [body.replace(beneficiary(), beneficiary('970415', '1234567890123456789012')), 'INVALID_ACCOUNT', 'account'],
      [body.replace(beneficiary(), beneficiary('970415', '113366668888', 'QRIBFTTX')), 'INVALID_FIELD', '38.02'],
      [body.replace(beneficiary(), obj('38', obj('00', 'A000000727') + obj('02', 'QRIBFTTA'))), 'MISSING_FIELD', '38.01'],
      [body.replace(beneficiary(), obj('38', obj('00', 'A000000999') + obj('01', obj('00', '970415') + obj('01', '1')))), 'NOT_VIETQR', '38.00'],
      [body.replace(beneficiary(), ''), 'NOT_VIETQR', '38'],
      [body.replace('000201', '000202'), 'INVALID_FIELD', '00'],
      [body + obj('62', obj('08', 'AGAIN')), 'MALFORMED_TLV', '62'],
    ];
    for (const [payload, code, field] of cases) {
      assert.throws(
        () => decodeVietQR(withCrc(payload)),
        (e: unknown) => e instanceof VietQRError && e.code === code && e.field === field,
        `${code} ${field}`,
      );
    }
  });

  it('should check the characters and the length of every text field it reads, ASCII or not', () => {
    // The CRC pass says whether the whole payload is printable ASCII; each of these breaks that, so the
    // decoder must fall back to checking each field, with the same code and field as ever.
    const purpose = (value: string) => withCrc(body.replace(obj('62', obj('08', 'MC7K2Q9XA LE PHI')), obj('62', obj('08', value))));
    const extra = (fields: string) => withCrc(body + fields);
    const cases: Array<[string, string, string]> = [
      [purpose('Lệ phí hộ tịch'), 'NOT_ASCII', 'purpose'],
      [purpose('tab\there'), 'NOT_ASCII', 'purpose'],
      [purpose('DEL\x7f'), 'NOT_ASCII', 'purpose'],
      [purpose('đ'.repeat(30)), 'NOT_ASCII', 'purpose'], // NOT_ASCII before FIELD_TOO_LONG, as when encoding
      [purpose('X'.repeat(26)), 'FIELD_TOO_LONG', 'purpose'],
      [extra(obj('59', 'UBND Xã A')), 'NOT_ASCII', 'merchantName'],
      [extra(obj('59', 'N'.repeat(26))), 'FIELD_TOO_LONG', 'merchantName'],
      [extra(obj('60', 'HÀ NỘI')), 'NOT_ASCII', 'merchantCity'],
      [extra(obj('60', 'C'.repeat(16))), 'FIELD_TOO_LONG', 'merchantCity'],
      [extra(obj('60', 'C'.repeat(16)) + obj('80', 'ü')), 'FIELD_TOO_LONG', 'merchantCity'],
      [withCrc(body.replace(beneficiary(), beneficiary('970415', 'sốtàikhoản'))), 'INVALID_ACCOUNT', 'account'],
      [withCrc(body.replace(beneficiary(), beneficiary('97041٣'))), 'INVALID_BIN', 'bin'],
    ];
    for (const [payload, code, field] of cases) {
      assert.throws(
        () => decodeVietQR(payload),
        (e: unknown) => e instanceof VietQRError && e.code === code && e.field === field,
        `${code} ${field}`,
      );
    }
    // Unknown fields are kept as found, whatever their characters; the CRC is over the UTF-8 bytes.
    const data = decodeVietQR(extra(obj('59', 'UBND XA A') + obj('80', 'ví điện tử\n')));
    assert.equal(data.unknownFields['80'], 'ví điện tử\n');
    assert.equal(data.merchantName, 'UBND XA A');
    const unreadable = extra(obj('80', 'ví'));
    assert.throws(() => decodeVietQR(unreadable.slice(0, -4) + '0000'), { code: 'BAD_CRC' });
  });

  it('should say a VNPAY-QR is not a VietQR', () => {
    const vnpay = withCrc('000201010212' + obj('26', obj('00', 'A000000775') + obj('01', '0106627816')) + '5303704' + '5802VN');
    assert.throws(
      () => decodeVietQR(vnpay),
      (e: unknown) => e instanceof VietQRError && e.code === 'NOT_VIETQR' && /VNPAY/.test(e.message),
    );
  });

  it('should name VNPAY-QR exactly when parseEmvQr says vnpayqr (any template field, any case, broken neighbours)', () => {
    const frame = (fields: string) => withCrc('000201010212' + fields + '5303704' + '5802VN');
    const cases = [
      frame(obj('26', obj('00', 'A000000775') + obj('01', '0106627816'))),
      frame(obj('51', obj('00', 'a000000775'))),
      frame(obj('29', 'not TLV') + obj('80', obj('00', 'A000000775'))),
      frame(obj('29', obj('00', 'A000000677010111') + obj('01', '0066812345678'))), // PromptPay
      frame(obj('62', obj('00', 'A000000775'))), // 62 is not a merchant account template
      frame(obj('26', obj('01', 'A000000775'))), // the GUID is sub-field 00, not 01
    ];
    for (const payload of cases) {
      const vnpay = parseEmvQr(payload).kind === 'vnpayqr';
      assert.throws(
        () => decodeVietQR(payload),
        (e: unknown) => e instanceof VietQRError && e.code === 'NOT_VIETQR' && /VNPAY/.test(e.message) === vnpay,
        payload,
      );
    }
    assert.deepEqual(
      cases.map((payload) => parseEmvQr(payload).kind),
      ['vnpayqr', 'vnpayqr', 'vnpayqr', 'other', 'other', 'other'],
    );
  });

  it('should reject broken frames as MALFORMED_TLV or BAD_CRC', () => {
    const payload = withCrc(body);
    const cases: Array<[unknown, string]> = [
      ['', 'MALFORMED_TLV'],
      ['0002', 'MALFORMED_TLV'],
      [payload.slice(0, -1), 'MALFORMED_TLV'],
      [payload + '0', 'MALFORMED_TLV'],
      [payload.slice(6), 'MALFORMED_TLV'], // does not start with 00
      [body, 'MALFORMED_TLV'], // no CRC
      ['AB' + payload.slice(2), 'MALFORMED_TLV'],
      [payload.slice(0, -4) + 'ZZZZ', 'MALFORMED_TLV'],
      [payload.slice(0, -4) + '0000', 'BAD_CRC'],
      [null, 'MALFORMED_TLV'],
      [12345, 'MALFORMED_TLV'],
      [{}, 'MALFORMED_TLV'],
    ];
    for (const [input, code] of cases) {
      assert.throws(
        () => decodeVietQR(input as string),
        (e: unknown) => e instanceof VietQRError && e.code === code,
        String(input),
      );
    }
  });
});

describe('merchant (QR Push) and cash-withdrawal VietQRs', () => {
  it('should decode a published dynamic QR Push as a merchant QR with its merchant id', () => {
    const data = decodeVietQR(PUBLISHED.merchantDynamic);
    assert.equal(data.service, 'merchant');
    assert.ok(data.service === 'merchant');
    assert.equal(data.merchantId, '2112995044604025');
    assert.equal('account' in data, false);
    assert.equal(data.bin, '970403');
    assert.equal(data.initiation, 'dynamic');
    assert.equal(data.amount, '180000');
    assert.equal(data.mcc, '5812');
    assert.equal(data.merchantName, 'PHUONG CAC');
    assert.equal(data.merchantCity, 'HANOI');
    assert.equal(data.storeLabel, 'NPS6869');
    assert.deepEqual(data.unknownFields, {});
  });

  it('should decode a QR Push without field 38.02 as a merchant QR too', () => {
    const data = decodeVietQR(PUBLISHED.merchantNoServiceCode);
    assert.ok(data.service === 'merchant');
    assert.equal(data.merchantId, '2112995044604025');
    assert.equal(data.initiation, 'static');
    assert.equal(data.amount, undefined);
  });

  it('should keep the fields a QR Push carries beyond VietQR (61, 64, 62.02/.04/.06/.09) as unknown fields', () => {
    const data = decodeVietQR(PUBLISHED.merchantFull);
    assert.ok(data.service === 'merchant');
    assert.equal(data.merchantId, '12345678');
    assert.equal(data.purpose, 'pay a box');
    assert.equal(data.billNumber, 'B123456');
    assert.equal(data.referenceLabel, 'abc');
    assert.equal(data.terminalLabel, 'aac123');
    assert.deepEqual(data.unknownFields, {
      '61': '10000',
      '64': '0002en0107Shop VN0205Hanoi',
      '62.02': '0390000001',
      '62.04': '10',
      '62.06': 'C1123',
      '62.09': 'A',
    });
  });

  it("should decode published cash-withdrawal QRs (QRCASH) as cash QRs with the ATM's id", () => {
    const dynamic = decodeVietQR(PUBLISHED.cashDynamic);
    assert.ok(dynamic.service === 'cash');
    assert.equal(dynamic.merchantId, '12345678');
    assert.equal(dynamic.bin, '970403');
    assert.equal(dynamic.mcc, '6011');
    assert.equal(dynamic.referenceLabel, '201901091557142283847');
    assert.equal(dynamic.terminalLabel, '00001111');
    const fixed = decodeVietQR(PUBLISHED.cashStatic);
    assert.ok(fixed.service === 'cash');
    assert.equal(fixed.merchantId, '12345678');
    assert.equal(fixed.bin, '970416');
    assert.equal(fixed.initiation, 'static');
  });

  it('should keep refusing what is really malformed in a merchant or cash QR', () => {
    const merchant = (beneficiaryId: string | undefined, service?: string, bin = '970403') =>
      withCrc(
        '000201010211' +
          obj(
            '38',
            obj('00', 'A000000727') +
              obj('01', obj('00', bin) + (beneficiaryId === undefined ? '' : obj('01', beneficiaryId))) +
              (service ? obj('02', service) : ''),
          ) +
          '5303704' +
          '5802VN',
      );
    const cases: Array<[string, string, string]> = [
      [merchant(undefined), 'MISSING_FIELD', '38.01.01'],
      [merchant(undefined, 'QRPUSH'), 'MISSING_FIELD', '38.01.01'],
      [merchant(undefined, 'QRCASH'), 'MISSING_FIELD', '38.01.01'],
      [merchant('12345678901234567890'), 'INVALID_FIELD', 'merchantId'],
      [merchant('1234\u00e9', 'QRPUSH'), 'INVALID_FIELD', 'merchantId'],
      [merchant('12345678', 'QRPUSHX'), 'INVALID_FIELD', '38.02'],
      [merchant('12345678', 'qrcash'), 'INVALID_FIELD', '38.02'],
      [merchant('12345678', 'QRPUSH', '97040'), 'INVALID_BIN', 'bin'],
      [merchant('12345678', undefined, '97040X'), 'INVALID_BIN', 'bin'],
    ];
    for (const [payload, code, field] of cases) {
      assert.throws(
        () => decodeVietQR(payload),
        (e: unknown) => e instanceof VietQRError && e.code === code && e.field === field,
        `${code} ${field}`,
      );
    }
    // A transfer still needs its account: 38.01.01 missing under QRIBFTTA is not a merchant QR.
    assert.throws(() => decodeVietQR(merchant(undefined, 'QRIBFTTA')), { code: 'MISSING_FIELD', field: '38.01.01' });
  });

  it('should encode merchant and cash QRs (38.02 QRPUSH / QRCASH) that decode to the same thing', () => {
    const merchant = encodeVietQR({
      bin: '970403',
      merchantId: '2112995044604025',
      service: 'merchant',
      amount: 180000,
      mcc: '5812',
      merchantName: 'PHUONG CAC',
      merchantCity: 'HANOI',
      storeLabel: 'NPS6869',
    });
    assert.equal(merchant, PUBLISHED.merchantDynamic);
    const cash = encodeVietQR({
      bin: '970416',
      merchantId: '12345678',
      service: 'cash',
      mcc: '6011',
      merchantName: 'NGUYEN VAN A',
      merchantCity: 'HA NOI',
      referenceLabel: '201901091557142283847',
      terminalLabel: '00001111',
    });
    assert.equal(cash, PUBLISHED.cashStatic);
    rejects({ bin: '970403', merchantId: '', service: 'merchant' }, 'INVALID_FIELD', 'merchantId');
    rejects({ bin: '970403', merchantId: '12345678901234567890', service: 'cash' }, 'INVALID_FIELD', 'merchantId');
    rejects({ bin: '970403', account: '123', service: 'merchant' }, 'INVALID_FIELD', 'merchantId');
    rejects({ bin: '970403', merchantId: '123', service: 'push' }, 'INVALID_FIELD', 'service');
  });
});
