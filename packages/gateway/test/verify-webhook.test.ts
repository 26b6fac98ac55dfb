// verifyWebhook (issue 13 item 6): accepts the header the gateway sends, refuses a tampered body, a
// wrong secret, an old timestamp and a malformed header — with a typed code; several v1 for rotation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { verifyWebhook, webhookSignatureHeader, WebhookVerificationError } from '../src/index.js';

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const now = Math.floor(NOW / 1000);
const secretArb = fc.string({ minLength: 16, maxLength: 64 });
const bodyArb = fc.oneof(
  fc.json(),
  fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => JSON.stringify({ id: 'evt_1', type: 'payment.paid', data: { memo: text } })),
);

const refused = (code: string) => (error: unknown) => error instanceof WebhookVerificationError && error.code === code;

describe('verifyWebhook', () => {
  it('should accept the header the gateway sends, within the tolerance either way', () => {
    fc.assert(
      fc.property(bodyArb, secretArb, fc.integer({ min: -300, max: 300 }), (body, secret, skew) => {
        const header = webhookSignatureHeader(secret, now + skew, body);
        assert.deepEqual(verifyWebhook(body, header, secret, { now: NOW }), { timestamp: now + skew });
        assert.deepEqual(verifyWebhook(Buffer.from(body), header, secret, { now: NOW }), { timestamp: now + skew });
      }),
      { numRuns: 300 },
    );
  });

  it('should refuse a tampered body', () => {
    fc.assert(
      fc.property(bodyArb, bodyArb, secretArb, (body, other, secret) => {
        fc.pre(body !== other);
        const header = webhookSignatureHeader(secret, now, body);
        assert.throws(() => verifyWebhook(other, header, secret, { now: NOW }), refused('SIGNATURE_MISMATCH'));
      }),
      { numRuns: 300 },
    );
  });

  it('should refuse a wrong secret, and accept any one of several v1 (rotation)', () => {
    fc.assert(
      fc.property(bodyArb, secretArb, secretArb, (body, secret, other) => {
        fc.pre(secret !== other);
        assert.throws(() => verifyWebhook(body, webhookSignatureHeader(other, now, body), secret, { now: NOW }), refused('SIGNATURE_MISMATCH'));
        const rotating = webhookSignatureHeader([other, secret], now, body);
        assert.equal(verifyWebhook(body, rotating, secret, { now: NOW }).timestamp, now);
        assert.equal(verifyWebhook(body, rotating, other, { now: NOW }).timestamp, now);
      }),
      { numRuns: 300 },
    );
  });

  it('should refuse a timestamp outside the tolerance, even correctly signed (a replay)', () => {
    fc.assert(
      fc.property(bodyArb, secretArb, fc.integer({ min: 301, max: 10 ** 8 }), fc.boolean(), (body, secret, age, future) => {
        const header = webhookSignatureHeader(secret, future ? now + age : now - age, body);
        assert.throws(() => verifyWebhook(body, header, secret, { now: NOW }), refused('TIMESTAMP_OUT_OF_TOLERANCE'));
        assert.ok(verifyWebhook(body, header, secret, { now: NOW, toleranceSeconds: age + 1 }));
      }),
      { numRuns: 300 },
    );
  });

  it('should refuse a malformed header with MALFORMED_HEADER, never another error', () => {
    const good = webhookSignatureHeader('a-secret-of-16-chars', now, '{}');
    const malformed = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.constantFrom(
        '',
        't=',
        'v1=',
        `t=${now}`,
        good.split(',')[1]!,
        `t=abc,${good.split(',')[1]}`,
        `${good},t=${now}`,
        `t=${now},v1=zz`,
        `t=-5,v1=${'0'.repeat(64)}`,
      ),
      fc.string({ maxLength: 80 }).map((junk) => `${good},${junk.replaceAll('=', '')}x`),
    );
    fc.assert(
      fc.property(malformed, (header) => {
        try {
          verifyWebhook('{}', header, 'a-secret-of-16-chars', { now: NOW });
          assert.fail(`accepted ${JSON.stringify(header)}`);
        } catch (error) {
          assert.ok(error instanceof WebhookVerificationError, String(error));
          // Garbage is malformed; a well-formed header over the wrong body or secret is a mismatch.
          assert.ok(['MALFORMED_HEADER', 'SIGNATURE_MISMATCH'].includes(error.code), error.code);
        }
      }),
      { numRuns: 500 },
    );
    for (const header of [undefined, null, '', 'garbage', `t=${now}`, 'v1=abc'])
      assert.throws(() => verifyWebhook('{}', header, 'a-secret-of-16-chars', { now: NOW }), refused('MALFORMED_HEADER'));
    assert.throws(() => verifyWebhook('{}', good, ''), TypeError);
  });
});
