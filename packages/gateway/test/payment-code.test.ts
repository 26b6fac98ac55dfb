import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PAYMENT_CODE_ALPHABET, newPaymentCode, paymentCodeCandidates } from '../src/payment-code.js';

describe('payment codes', () => {
  it('should be MC + 7 characters without look-alikes (0/O, 1/I/L)', () => {
    for (let i = 0; i < 500; i++) {
      const code = newPaymentCode();
      assert.match(code, /^MC[2-9A-HJKMNP-Z]{7}$/);
      assert.doesNotMatch(code.slice(2), /[01OIL]/);
    }
  });

  it('should find the code in memos as bank apps mangle them', () => {
    const cases: Array<[string, string[]]> = [
      ['MC7K2Q9XA Le phi', ['MC7K2Q9XA']],
      ['mc7k2q9xa le phi', ['MC7K2Q9XA']],
      ['MC7K2Q9XALEPHI', ['MC7K2Q9XA']],
      ['MC 7K2Q 9XA', ['MC7K2Q9XA']],
      ['MBVCB.1234567.MC7K2Q9XA LE PHI.CT tu 0123456789 NGUYEN VAN A', ['MC7K2Q9XA']],
      ['IBFT MC-7K2Q-9XA', ['MC7K2Q9XA']],
      ['Chuyển tiền: MC7K2Q9XA, lệ phí hộ tịch!', ['MC7K2Q9XA']],
      ['TRAN VAN B chuyen tien', []],
      ['MC7K2Q', []],
    ];
    for (const [memo, expected] of cases) {
      assert.deepEqual(
        paymentCodeCandidates(memo).filter((code) => code === 'MC7K2Q9XA' || !expected.length),
        expected,
        memo,
      );
    }
  });

  it('should always recover a code from any upper/lower-case, spaced, prefixed rendering (property)', () => {
    const codeArb = fc.array(fc.constantFrom(...PAYMENT_CODE_ALPHABET), { minLength: 7, maxLength: 7 }).map((chars) => `MC${chars.join('')}`);
    const noise = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(codeArb, noise, noise, fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), fc.boolean(), (code, before, after, spaces, lower) => {
        let mangled = [...code].map((ch, i) => (spaces[i] ? `${ch} ` : ch)).join('');
        if (lower) mangled = mangled.toLowerCase();
        assert.ok(paymentCodeCandidates(`${before} ${mangled} ${after}`).includes(code));
      }),
      { numRuns: 300 },
    );
  });
});
