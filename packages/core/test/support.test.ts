import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentResource } from '../src/index.js';
import { decodeVietQR, encodeVietQR } from '../src/index.js';
import { amountDue, amountToRefund, isClosedWithMoney, isFinalStatus, parsePaymentResource, ProtocolError, qrForAmountDue } from '../src/protocol.js';
import { backoffDelay, defineElement, formatVnd, lazy, resolveLocale } from '../src/runtime.js';
import { PAYMENT } from './helpers.js';

describe('backoffDelay', () => {
  it('should grow exponentially from the base and stop at the cap', () => {
    const none = (n: number) => backoffDelay(n, { jitter: 'none' });
    assert.deepEqual([0, 1, 2, 3, 4, 50, 10_000].map(none), [2000, 4000, 8000, 10000, 10000, 10000, 10000]);
  });

  it('should jitter within [cap/2, cap] by default and [0, cap] with full jitter', () => {
    assert.equal(backoffDelay(0, { random: () => 0 }), 1000);
    assert.equal(backoffDelay(0, { random: () => 0.999999 }), 2000);
    assert.equal(backoffDelay(5, { jitter: 'full', random: () => 0 }), 0);
    assert.equal(backoffDelay(5, { jitter: 'full', random: () => 0.5 }), 5000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(i % 7);
      assert.ok(d >= 1000 && d <= 10000, String(d));
    }
  });

  it('should treat a bad attempt number as the first attempt', () => {
    assert.equal(backoffDelay(-3, { jitter: 'none' }), 2000);
    assert.equal(backoffDelay(Number.NaN, { jitter: 'none' }), 2000);
  });
});

describe('locale helpers', () => {
  it('should resolve any English tag to en and everything else to vi', () => {
    assert.deepEqual(['en', 'en-GB', 'EN', 'vi', 'vi-VN', '', null, undefined, 'fr', 'eng'].map(resolveLocale), [
      'en',
      'en',
      'en',
      'vi',
      'vi',
      'vi',
      'vi',
      'vi',
      'vi',
      'vi',
    ]);
  });

  it('should format VND the Vietnamese way by default', () => {
    const vi = formatVnd(50000).replace(/\s/g, ' ');
    assert.match(vi, /^50\.000 ₫$/);
    assert.match(formatVnd('1234567', 'en'), /1,234,567/);
    assert.match(formatVnd(12345678901234n), /12\.345\.678\.901\.234/);
  });
});

describe('wire protocol', () => {
  const resource: PaymentResource = PAYMENT;

  it('should accept a valid payment resource', () => {
    assert.deepEqual(parsePaymentResource(JSON.parse(JSON.stringify(resource))), resource);
  });

  it('should reject a malformed resource naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [null, '(root)'],
      [[], '(root)'],
      ['x', '(root)'],
      [{ ...resource, status: 'done' }, 'status'],
      [{ ...resource, amount: '50000' }, 'amount'],
      [{ ...resource, amount: 0 }, 'amount'],
      [{ ...resource, amountPaid: -1 }, 'amountPaid'],
      [{ ...resource, currency: 'USD' }, 'currency'],
      [{ ...resource, version: 1.5 }, 'version'],
      [{ ...resource, expiresAt: 'soon' }, 'expiresAt'],
      [{ ...resource, bank: null }, 'bank'],
      [{ ...resource, bank: { bin: '970415' } }, 'bank.account'],
      [{ ...resource, paidAt: 5 }, 'paidAt'],
      [{ ...resource, id: undefined }, 'id'],
    ];
    for (const [value, field] of cases) {
      assert.throws(
        () => parsePaymentResource(value),
        (e: unknown) => e instanceof ProtocolError && e.code === 'INVALID_RESOURCE' && e.field === field,
        field,
      );
    }
  });

  it('should call paid, expired and cancelled final, and pending and underpaid not', () => {
    assert.deepEqual(
      ['pending', 'paid', 'underpaid', 'expired', 'cancelled'].map((s) => isFinalStatus(s as PaymentResource['status'])),
      [false, true, false, true, true],
    );
  });
});

describe('defineElement', () => {
  it('should be a no-op without a custom-element registry and never throw on a second copy', () => {
    class A {}
    class B {}
    const tag = `x-motcua-test-${Math.random().toString(36).slice(2)}`;
    const registry = (globalThis as { customElements?: unknown }).customElements;
    if (!registry) {
      assert.equal(defineElement(tag, A, '1'), false);
      return;
    }
    class ElementA extends (globalThis as unknown as { HTMLElement: typeof Object }).HTMLElement {}
    class ElementB extends (globalThis as unknown as { HTMLElement: typeof Object }).HTMLElement {}
    assert.equal(defineElement(tag, ElementA, '1.0.0'), true);
    assert.equal(defineElement(tag, ElementB, '2.0.0'), false);
    assert.equal(defineElement(tag, ElementA, '1.0.0'), false);
    void A;
    void B;
  });
});

describe('amount due and its QR', () => {
  const base = { status: 'pending' as const, amount: 50_000, amountPaid: 0 };
  const qr = encodeVietQR({ bin: '970415', account: '113366668888', amount: 50_000, purpose: 'MC7K2Q9XA LE PHI' });

  it('should be the whole amount until the payment is underpaid, then what is left', () => {
    assert.equal(amountDue(base), 50_000);
    assert.equal(amountDue({ ...base, status: 'underpaid', amountPaid: 20_000 }), 30_000);
    assert.equal(amountDue({ ...base, status: 'paid', amountPaid: 60_000 }), 50_000);
    assert.equal(amountDue({ ...base, status: 'underpaid', amountPaid: 70_000 }), 0);
  });

  it('should owe back only what was received over the fee', () => {
    assert.deepEqual(
      [0, 20_000, 50_000, 60_000].map((amountPaid) => amountToRefund({ amount: 50_000, amountPaid })),
      [0, 0, 0, 10_000],
    );
  });

  it('should count a closed payment that received money as one an officer handles (no new code)', () => {
    const statuses = ['pending', 'underpaid', 'paid', 'expired', 'cancelled'] as const;
    assert.deepEqual(
      statuses.map((status) => isClosedWithMoney({ status, amountPaid: 20_000 })),
      [false, false, false, true, true],
    );
    assert.deepEqual(
      statuses.map((status) => isClosedWithMoney({ status, amountPaid: 0 })),
      [false, false, false, false, false],
    );
  });

  it('should re-issue the QR of an underpaid payment for the amount still due, keeping account and memo', () => {
    const due = decodeVietQR(qrForAmountDue({ ...base, status: 'underpaid', amountPaid: 20_000, qr }));
    assert.equal(due.amount, '30000');
    assert.equal(due.account, '113366668888');
    assert.equal(due.purpose, 'MC7K2Q9XA LE PHI');
    assert.equal(due.initiation, 'dynamic');
  });

  it('should keep the QR as it is when it already asks for what is due', () => {
    assert.equal(qrForAmountDue({ ...base, qr }), qr);
    const reissued = qrForAmountDue({ ...base, status: 'underpaid', amountPaid: 20_000, qr });
    assert.equal(qrForAmountDue({ ...base, status: 'underpaid', amountPaid: 20_000, qr: reissued }), reissued);
  });
});

describe('lazy', () => {
  it('should load once, share the load under way, and keep the value for synchronous use', async () => {
    let calls = 0;
    const chunk = lazy(async () => ({ n: ++calls }));
    assert.equal(chunk.value, undefined, 'nothing before the first load');
    const [first, second] = await Promise.all([chunk.load(), chunk.load()]);
    assert.equal(calls, 1, 'two callers, one load');
    assert.equal(first, second);
    assert.deepEqual(chunk.value, { n: 1 });
    assert.equal(await chunk.load(), first, 'loaded once for good');
    assert.equal(calls, 1);
  });

  it('should not keep a failure: the next load tries again (a chunk unreachable while offline)', async () => {
    let calls = 0;
    const chunk = lazy(async () => {
      calls++;
      if (calls === 1) throw new Error('offline');
      return 'loaded';
    });
    await assert.rejects(chunk.load(), /offline/);
    assert.equal(chunk.value, undefined);
    assert.equal(await chunk.load(), 'loaded');
    assert.equal(chunk.value, 'loaded');
    assert.equal(calls, 2);
  });
});
