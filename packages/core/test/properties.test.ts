// Property tests (fast-check): round trips, total functions over hostile input, mutation detection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseEmvQr } from '../src/emv.js';
import { crc16Hex, decodeVietQR, encodeVietQR, toMemo, VietQRError, type VietQRData, type VietQRInput } from '../src/index.js';

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: max });
const amount = fc.oneof(
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).filter((n) => String(n).length <= 13),
  fc.bigInt({ min: 1n, max: 9_999_999_999_999n }),
  digits(1, 13).filter((s) => /[1-9]/.test(s)),
);

const validInput: fc.Arbitrary<VietQRInput> = fc
  .record(
    {
      bin: digits(6, 6),
      account: fc.string({ unit: alnum, minLength: 1, maxLength: 19 }),
      service: fc.constantFrom('account' as const, 'card' as const),
      amount,
      purpose: printable(25),
      billNumber: printable(25),
      storeLabel: printable(25),
      referenceLabel: printable(25),
      terminalLabel: printable(25),
      merchantName: printable(25),
      merchantCity: printable(15),
      mcc: digits(4, 4),
      initiation: fc.constantFrom('static' as const, 'dynamic' as const),
    },
    { requiredKeys: ['bin', 'account'] },
  )
  .filter(
    (input) =>
      ['billNumber', 'storeLabel', 'referenceLabel', 'terminalLabel', 'purpose'].reduce(
        (n, k) => n + ((input as Record<string, string | undefined>)[k]?.length ?? -4) + 4,
        0,
      ) <= 99,
  );

/** Merchant (QR Push) and cash-withdrawal inputs: a merchant id of printable ASCII instead of an account. */
const validMerchantInput: fc.Arbitrary<VietQRInput> = fc
  .tuple(validInput, printable(19), fc.constantFrom('merchant' as const, 'cash' as const))
  .map(([input, merchantId, service]) => {
    const { account: _account, service: _service, ...rest } = input as VietQRInput & { account: string };
    return { ...rest, merchantId, service };
  });

/** What decoding an encoded input must give back. */
function normalise(input: VietQRInput): Omit<VietQRData, 'crc'> {
  const amountDigits = input.amount === undefined ? undefined : String(input.amount).replace(/^0+/, '');
  const out: Record<string, unknown> = {
    initiation: input.initiation ?? (amountDigits ? 'dynamic' : 'static'),
    bin: input.bin,
    ...('merchantId' in input ? { merchantId: input.merchantId } : { account: input.account }),
    service: input.service ?? 'account',
    currency: '704',
    country: 'VN',
    unknownFields: {},
  };
  if (amountDigits) out.amount = amountDigits;
  for (const key of ['purpose', 'billNumber', 'storeLabel', 'referenceLabel', 'terminalLabel', 'merchantName', 'merchantCity', 'mcc'] as const) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  return out as unknown as Omit<VietQRData, 'crc'>;
}

const onlyVietQRError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof VietQRError)) throw new Error(`threw ${String(error)} instead of a VietQRError`);
  }
};

// The full counts run in Node (`npm run test:node`); in Chromium, where each test shares Mocha's 15 s
// timeout with a loaded machine, a quarter of them check that the browser agrees.
const runs = (count: number) => (typeof document === 'undefined' ? count : Math.ceil(count / 4));

describe('properties', () => {
  it('should round-trip: decodeVietQR(encodeVietQR(x)) equals the normalised x', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const { crc, ...decoded } = decodeVietQR(encodeVietQR(input));
        assert.match(crc, /^[0-9A-F]{4}$/);
        assert.deepEqual(decoded, normalise(input));
      }),
      { numRuns: runs(400) },
    );
  });

  it('should round-trip merchant (QR Push) and cash-withdrawal QRs with their merchant id', () => {
    fc.assert(
      fc.property(validMerchantInput, (input) => {
        const payload = encodeVietQR(input);
        const { crc, ...decoded } = decodeVietQR(payload);
        assert.match(crc, /^[0-9A-F]{4}$/);
        assert.deepEqual(decoded, normalise(input));
        assert.equal(parseEmvQr(payload).service, input.service);
        // A QR Push may leave 38.02 out: the same QR without it is still the same merchant QR.
        if (input.service === 'merchant') {
          const body = payload
            .slice(0, -8)
            .replace(
              /^(.*?38)(\d\d)(.*?)0206QRPUSH/,
              (_, head: string, length: string, inside: string) => head + String(+length - 10).padStart(2, '0') + inside,
            );
          const { crc: _crc, ...withoutServiceCode } = decodeVietQR(body + '6304' + crc16Hex(body + '6304'));
          assert.deepEqual(withoutServiceCode, decoded);
        }
      }),
      { numRuns: runs(400) },
    );
  });

  it('should round-trip through the tolerant parser too', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const qr = parseEmvQr(encodeVietQR(input));
        assert.equal(qr.kind, 'vietqr');
        assert.equal(qr.crcValid, true);
      }),
      { numRuns: runs(200) },
    );
  });

  it('should only ever throw VietQRError from decode and parse, for any string', () => {
    const payloadLike = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF6304'), maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      validInput
        .map(encodeVietQR)
        .chain((p) => fc.tuple(fc.nat(p.length), fc.nat(p.length), fc.string({ maxLength: 6 })).map(([a, b, s]) => p.slice(0, a) + s + p.slice(b))),
    );
    fc.assert(
      fc.property(payloadLike, (text) => {
        onlyVietQRError(() => decodeVietQR(text));
        onlyVietQRError(() => parseEmvQr(text));
      }),
      { numRuns: runs(1500) },
    );
  });

  it('should only ever throw VietQRError from encode and toMemo, for any input', () => {
    const anyInput = fc.oneof(
      fc.anything(),
      fc.record({
        bin: fc.anything(),
        account: fc.anything(),
        amount: fc.anything(),
        purpose: fc.anything(),
        service: fc.anything(),
        mcc: fc.anything(),
        initiation: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(anyInput, fc.anything(), fc.anything(), (input, text, max) => {
        onlyVietQRError(() => encodeVietQR(input as VietQRInput));
        onlyVietQRError(() => toMemo(text as string, max as number));
        if (typeof text === 'string') assert.ok(toMemo(text).length <= 25);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('should catch every single-character mutation of a valid payload by the CRC or the TLV check', () => {
    const replacement = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.oneof(validInput, validMerchantInput).map(encodeVietQR), fc.nat(), replacement, (payload, at, char) => {
        const i = at % payload.length;
        const same = payload[i] === char || (i >= payload.length - 4 && payload[i]!.toUpperCase() === char.toUpperCase());
        fc.pre(!same);
        const mutated = payload.slice(0, i) + char + payload.slice(i + 1);
        assert.throws(
          () => decodeVietQR(mutated),
          (e: unknown) => e instanceof VietQRError && (e.code === 'BAD_CRC' || e.code === 'MALFORMED_TLV'),
        );
      }),
      { numRuns: runs(2000) },
    );
  });

  it('should catch every single-character substitution exhaustively for a typical payment QR', () => {
    const payload = encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI HO TICH', billNumber: 'H01.01-0001' });
    let checked = 0;
    for (let i = 0; i < payload.length; i++) {
      for (let c = 0x20; c <= 0x7e; c++) {
        const char = String.fromCharCode(c);
        if (payload[i] === char || (i >= payload.length - 4 && payload[i]!.toUpperCase() === char.toUpperCase())) continue;
        const mutated = payload.slice(0, i) + char + payload.slice(i + 1);
        let code: string | undefined;
        try {
          decodeVietQR(mutated);
        } catch (e) {
          code = (e as VietQRError).code;
        }
        assert.ok(code === 'BAD_CRC' || code === 'MALFORMED_TLV', `position ${i} → ${JSON.stringify(char)} gave ${code}`);
        checked++;
      }
    }
    assert.ok(checked > 10_000);
  });
});
