// The protocol rules every client applies: "a newer version wins" and the counter state's shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CounterState, PaymentResource } from '../src/index.js';
import { isNewer, isNewerPayment, parseCounterState, ProtocolError } from '../src/protocol.js';
import { PAYMENT } from './helpers.js';

const payment: PaymentResource = { ...PAYMENT, version: 2 };

describe('isNewer', () => {
  it('should take the first state, then only a strictly greater version', () => {
    assert.equal(isNewer(undefined, { version: 0 }), true);
    assert.equal(isNewer({ version: 2 }, { version: 3 }), true);
    assert.equal(isNewer({ version: 2 }, { version: 2 }), false, 'the same state sent again');
    assert.equal(isNewer({ version: 2 }, { version: 1 }), false, 'an older one arriving late');
  });
});

describe('isNewerPayment', () => {
  it('should accept only a newer version of the same, non-final payment', () => {
    assert.equal(isNewerPayment(undefined, payment), true);
    assert.equal(isNewerPayment(payment, { ...payment, version: 3 }), true);
    assert.equal(isNewerPayment(payment, { ...payment, version: 2 }), false);
    assert.equal(isNewerPayment(payment, { ...payment, version: 1, status: 'paid' }), false, 'no false paid from a late message');
    assert.equal(isNewerPayment(payment, { ...payment, id: 'pay_2', version: 9 }), false, 'another payment');
    for (const status of ['paid', 'expired', 'cancelled'] as const) {
      assert.equal(isNewerPayment({ ...payment, status }, { ...payment, version: 9, status: 'pending' }), false, `${status} is final`);
    }
    assert.equal(isNewerPayment({ ...payment, status: 'underpaid' }, { ...payment, version: 3, status: 'paid' }), true, 'underpaid is not final');
  });
});

describe('parseCounterState', () => {
  const idle: CounterState = { state: 'idle', counter: 'C1', counterName: 'Quầy 1', version: 4 };
  const paying: CounterState = { state: 'payment', counter: 'C1', version: 5, payment, paymentSrc: '/api/payments/pay_1' };
  const survey: CounterState = {
    state: 'survey',
    counter: 'C1',
    version: 6,
    payment: { ...payment, status: 'paid', amountPaid: 50000, paidAt: '2026-11-22T09:00:00.000Z', version: 3 },
    survey: { surveyId: 'counter', token: 'abcdefghijklmnopqrstuv', counter: 'C1', endpoint: '/api/surveys', expiresAt: '2026-11-22T10:00:00.000Z' },
  };
  const paid: CounterState = {
    state: 'paid',
    counter: 'C1',
    version: 6,
    payment: { ...payment, status: 'paid', amountPaid: 50000, paidAt: '2026-11-22T09:00:00.000Z', version: 3 },
    paymentSrc: '/api/payments/pay_1',
    until: '2026-11-22T09:00:04.000Z',
  };
  const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  it('should accept the four states as the gateway sends them', () => {
    for (const state of [idle, paying, paid, survey, { state: 'survey', counter: 'C1', version: 7, survey: survey.state === 'survey' && survey.survey }]) {
      assert.deepEqual(parseCounterState(wire(state)), state);
      assert.deepEqual(parseCounterState(wire(state), 'C1'), state);
    }
  });

  it("should refuse another counter's state", () => {
    assert.throws(
      () => parseCounterState(wire(paying), 'C2'),
      (e: unknown) => e instanceof ProtocolError && e.code === 'COUNTER_MISMATCH' && e.field === 'counter',
    );
  });

  it('should reject a malformed state naming the field', () => {
    const { payment: _, ...surveyWithoutPayment } = survey as Extract<CounterState, { state: 'survey' }>;
    const cases: Array<[unknown, string]> = [
      [null, '(root)'],
      ['{"state":"idle"}', '(root)'],
      [[idle], '(root)'],
      [{ ...idle, state: 'rating' }, 'state'],
      [{ ...idle, state: 'paid' }, 'payment'],
      [{ ...paid, until: undefined }, 'until'],
      [{ ...paid, until: 'soon' }, 'until'],
      [{ ...paid, paymentSrc: 7 }, 'paymentSrc'],
      [{ ...paid, payment: payment }, 'payment.status'],
      [{ ...idle, state: undefined }, 'state'],
      [{ ...idle, counter: 1 }, 'counter'],
      [{ ...idle, counterName: 7 }, 'counterName'],
      [{ ...idle, version: '4' }, 'version'],
      [{ ...idle, version: 4.5 }, 'version'],
      [{ ...idle, version: -1 }, 'version'],
      [{ ...paying, payment: undefined }, 'payment'],
      [{ ...paying, payment: { ...payment, status: 'done' } }, 'payment.status'],
      [{ ...paying, paymentSrc: undefined }, 'paymentSrc'],
      [{ ...survey, payment: { ...payment, amount: 0 } }, 'payment.amount'],
      [{ ...surveyWithoutPayment, survey: undefined }, 'survey'],
      [{ ...surveyWithoutPayment, survey: { ...surveyWithoutPayment.survey, token: 5 } }, 'survey.token'],
      [{ ...surveyWithoutPayment, survey: { ...surveyWithoutPayment.survey, endpoint: undefined } }, 'survey.endpoint'],
      [{ ...surveyWithoutPayment, survey: { ...surveyWithoutPayment.survey, counter: null } }, 'survey.counter'],
    ];
    for (const [value, field] of cases) {
      assert.throws(
        () => parseCounterState(wire(value)),
        (e: unknown) => e instanceof ProtocolError && e.code === 'INVALID_COUNTER_STATE' && e.field === field,
        `${field}: ${JSON.stringify(value)?.slice(0, 80)}`,
      );
    }
  });
});
