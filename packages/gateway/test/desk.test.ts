// The officer's exceptions desk (issue 12 item 1) and postal payments (issue 12 item 5), over HTTP on
// PGlite and PostgreSQL: attach, refund, cash and reverse — audited, in reconciliation, on the payment's
// history, pushed live — and what an attacker or two officers at once can and cannot do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeVietQR } from '@motcua/core';
import fc from 'fast-check';
import { configFromEnv } from '../src/index.js';
import { BACKENDS, createPayment, eventually, openSse, startTestGateway, type TestGateway } from './helpers.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${++seq}`;
const who = { officer: 'Nguyễn Thị Lan', reason: 'Công dân chuyển khoản quên ghi mã, đã đối chiếu biên lai' };

for (const backend of BACKENDS) {
  describe(`exceptions desk on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name);
    });
    after(() => gateway?.close());

    /** A transfer through the simulated bank; returns its id as reconciliation lists it. */
    async function transfer(json: Record<string, unknown>): Promise<string> {
      const transactionId = unique('TX');
      const { body } = await gateway.api('/dev/bank/transfer', { json: { ...(json.paymentId ? {} : { memo: 'CHUYEN TIEN LE PHI' }), ...json, transactionId } });
      assert.equal(body.response.status, 200, JSON.stringify(body));
      const item = (await report()).transactions.find((t: { transactionId: string }) => t.transactionId === transactionId);
      assert.ok(item, 'the transfer is in the reconciliation');
      return item.id;
    }
    const report = async () => (await gateway.api('/api/reports/reconciliation')).body;
    const listed = async (id: string) => (await report()).transactions.find((t: { id: string }) => t.id === id);

    it('should attach an unmatched transfer to a payment by its code: paid, pushed live, audited, reconciled', async () => {
      const payment = await createPayment(gateway);
      const id = await transfer({ amount: 50_000 });
      assert.equal((await listed(id)).class, 'unmatched');
      const before = await report();
      const sse = await openSse(`${gateway.url}/api/payments/${payment.id}/events`);
      try {
        await sse.next();
        const { status, body } = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: payment.code, ...who } });
        assert.equal(status, 201, JSON.stringify(body));
        assert.equal(body.payment.status, 'paid');
        assert.equal(body.payment.amountPaid, 50_000);
        assert.equal(body.payment.version, payment.version + 1);
        assert.equal(body.adjustment.kind, 'attach');
        assert.equal(body.adjustment.officer, who.officer);
        assert.equal(body.adjustment.reason, who.reason);
        assert.match(body.adjustment.apiKey, /^key:[0-9a-f]{12}$/);
        assert.ok(!JSON.stringify(body).includes('test-api-key'), 'the key itself is never stored or shown');
        const pushed = await sse.next<{ version: number; status: string }>((data) => data.version === payment.version + 1);
        assert.equal(pushed.status, 'paid');
      } finally {
        sse.close();
      }
      const now = await report();
      const item = now.transactions.find((t: { id: string }) => t.id === id);
      assert.equal(item.class, 'fee_paid');
      assert.equal(item.paymentId, payment.id);
      assert.equal(now.totals.unmatched, before.totals.unmatched - 50_000);
      assert.equal(now.totals.toDeposit, before.totals.toDeposit + 50_000);
      assert.equal(now.totals.adjustmentCount, before.totals.adjustmentCount + 1);
      assertAddsUp(now);
      const csv = (await gateway.api('/api/reports/reconciliation?format=csv')).body as string;
      // An id is base64url: one in 64 starts with '-', which the CSV writes as '- (a spreadsheet would run it as a formula).
      assert.match(csv, new RegExp(`\\r\\nadjustment,${payment.code},.*,desk,'?[A-Za-z0-9_-]+,50000,.*attach; ${who.officer}`));
      const history = await gateway.api(`/api/payments/${payment.id}/history`);
      assert.equal(history.status, 200);
      assert.deepEqual(
        history.body.adjustments.map((a: { kind: string }) => a.kind),
        ['attach'],
      );
      assert.equal(history.body.transfers[0].id, id);
      // Public readers of the payment see no officer, key or reason.
      const open = await gateway.api(`/api/payments/${payment.id}`, { key: null });
      assert.ok(!('adjustments' in open.body));
      assert.equal((await gateway.api(`/api/payments/${payment.id}/history`, { key: null })).status, 401);
    });

    it('should refuse to attach a transfer twice, to the same or another payment: conflict, never double money', async () => {
      const [a, b] = [await createPayment(gateway), await createPayment(gateway)];
      const id = await transfer({ amount: 50_000 });
      assert.equal((await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: a.id, ...who } })).status, 201);
      for (const target of [a.id, b.id]) {
        const again = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: target, ...who } });
        assert.equal(again.status, 409);
        assert.equal(again.body.error.code, 'TRANSFER_ALREADY_ATTACHED');
      }
      assert.equal((await gateway.api(`/api/payments/${a.id}`)).body.amountPaid, 50_000);
      assert.equal((await gateway.api(`/api/payments/${b.id}`)).body.amountPaid, 0);
    });

    it('should reverse a wrong attachment: the money goes back to unmatched, the payment to its figures and QR', async () => {
      const payment = await createPayment(gateway);
      const id = await transfer({ amount: 20_000 });
      const attached = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: payment.id, ...who } });
      assert.equal(attached.body.payment.status, 'underpaid');
      assert.equal(decodeVietQR(attached.body.payment.qr).amount, '30000');
      const reversed = await gateway.api(`/api/adjustments/${attached.body.adjustment.id}/reverse`, {
        json: { officer: 'Trần Văn Minh', reason: 'Gắn nhầm hồ sơ' },
      });
      assert.equal(reversed.status, 201, JSON.stringify(reversed.body));
      assert.equal(reversed.body.adjustment.kind, 'reversal');
      assert.equal(reversed.body.adjustment.reverses, attached.body.adjustment.id);
      assert.equal(reversed.body.payment.status, 'pending');
      assert.equal(reversed.body.payment.amountPaid, 0);
      assert.equal(reversed.body.payment.qr, payment.qr, 'the QR asks for the whole fee again');
      assert.equal((await listed(id)).class, 'unmatched');
      const twice = await gateway.api(`/api/adjustments/${attached.body.adjustment.id}/reverse`, { json: who });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'ALREADY_REVERSED');
      const history = (await gateway.api(`/api/payments/${payment.id}/history`)).body;
      assert.deepEqual(
        history.adjustments.map((a: { kind: string; reversedBy: string | null }) => [a.kind, !!a.reversedBy]),
        [
          ['attach', true],
          ['reversal', false],
        ],
      );
      // The transfer is free again: it can go to the right payment.
      const right = await createPayment(gateway, { amount: 20_000 });
      const ok = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: right.code, ...who } });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.payment.status, 'paid');
      assertAddsUp(await report());
    });

    /** What a payment's own transfers owe to the treasury and back, as reconciliation classes them now. */
    async function owedOf(paymentId: string) {
      const mine = (await report()).transactions.filter(
        (t: { paymentId: string | null; status: string }) => t.paymentId === paymentId && t.status === 'matched',
      );
      const sum = (pick: (t: { toDeposit: number; refundOwed: number; surplus: number }) => number) =>
        mine.reduce((total: number, t: never) => total + pick(t), 0);
      return { toDeposit: sum((t) => t.toDeposit), refundOwed: sum((t) => t.refundOwed), surplus: sum((t) => t.surplus) };
    }

    it("should recompute the surplus of the payment's other transfers when an attachment is reversed", async () => {
      const payment = await createPayment(gateway, { amount: 50_000 });
      const loose = await transfer({ amount: 30_000 });
      const attached = await gateway.api(`/api/transfers/${loose}/attach`, { json: { payment: payment.id, ...who } });
      assert.equal(attached.body.payment.status, 'underpaid');
      await transfer({ paymentId: payment.id, amount: 30_000 }); // 60.000 ₫ for a 50.000 ₫ fee: 10.000 ₫ over
      assert.deepEqual(await owedOf(payment.id), { toDeposit: 50_000, refundOwed: 10_000, surplus: 10_000 });
      const reversed = await gateway.api(`/api/adjustments/${attached.body.adjustment.id}/reverse`, { json: { ...who, reason: 'Gắn nhầm' } });
      assert.equal(reversed.status, 201, JSON.stringify(reversed.body));
      assert.deepEqual([reversed.body.payment.status, reversed.body.payment.amountPaid], ['underpaid', 30_000]);
      assert.equal((await owedOf(payment.id)).surplus, 0, 'the 30.000 ₫ left pays part of the fee: nothing over');
      await transfer({ paymentId: payment.id, amount: 20_000 }); // exactly the rest
      assert.deepEqual(await owedOf(payment.id), { toDeposit: 50_000, refundOwed: 0, surplus: 0 });
      assertAddsUp(await report());
    });

    it("should recompute the surplus of the payment's transfers when cash is reversed", async () => {
      const payment = await createPayment(gateway, { amount: 50_000 });
      const cash = await gateway.api(`/api/payments/${payment.id}/cash`, { json: { receipt: unique('BL'), ...who } });
      assert.equal(cash.status, 201, JSON.stringify(cash.body));
      await transfer({ paymentId: payment.id, amount: 20_000 }); // on top of a paid fee: all of it owed back
      assert.deepEqual(await owedOf(payment.id), { toDeposit: 0, refundOwed: 20_000, surplus: 20_000 });
      const reversed = await gateway.api(`/api/adjustments/${cash.body.adjustment.id}/reverse`, { json: { ...who, reason: 'Biên lai ghi nhầm' } });
      assert.deepEqual([reversed.body.payment.status, reversed.body.payment.amountPaid], ['underpaid', 20_000]);
      assert.equal((await owedOf(payment.id)).surplus, 0);
      await transfer({ paymentId: payment.id, amount: 30_000 });
      assert.deepEqual(await owedOf(payment.id), { toDeposit: 50_000, refundOwed: 0, surplus: 0 });
      assertAddsUp(await report());
    });

    it("should keep every payment's surplus and the reconciliation true after any sequence of desk actions", async () => {
      type Step =
        | { kind: 'bank'; payment: number; amount: number }
        | { kind: 'loose'; amount: number }
        | { kind: 'attach'; transfer: number; payment: number }
        | { kind: 'cash'; payment: number }
        | { kind: 'reverse'; adjustment: number };
      const amount = fc.integer({ min: 1, max: 6 }).map((k) => k * 10_000);
      const step: fc.Arbitrary<Step> = fc.oneof(
        fc.record({ kind: fc.constant('bank' as const), payment: fc.nat({ max: 1 }), amount }),
        fc.record({ kind: fc.constant('loose' as const), amount }),
        fc.record({ kind: fc.constant('attach' as const), transfer: fc.nat({ max: 5 }), payment: fc.nat({ max: 1 }) }),
        fc.record({ kind: fc.constant('cash' as const), payment: fc.nat({ max: 1 }) }),
        fc.record({ kind: fc.constant('reverse' as const), adjustment: fc.nat({ max: 5 }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.tuple(amount, amount), fc.array(step, { minLength: 2, maxLength: 9 }), async (fees, steps) => {
          const payments = [await createPayment(gateway, { amount: fees[0] }), await createPayment(gateway, { amount: fees[1] })];
          const loose: string[] = [];
          const adjustments: string[] = [];
          for (const s of steps) {
            let answer: { status: number; body: { adjustment?: { id: string } } } | undefined;
            if (s.kind === 'bank') await transfer({ paymentId: payments[s.payment]!.id, amount: s.amount });
            else if (s.kind === 'loose') loose.push(await transfer({ amount: s.amount }));
            else if (s.kind === 'attach' && loose.length)
              answer = await gateway.api(`/api/transfers/${loose[s.transfer % loose.length]}/attach`, { json: { payment: payments[s.payment]!.id, ...who } });
            else if (s.kind === 'cash')
              answer = await gateway.api(`/api/payments/${payments[s.payment]!.id}/cash`, { json: { receipt: unique('BL'), ...who } });
            else if (s.kind === 'reverse' && adjustments.length)
              answer = await gateway.api(`/api/adjustments/${adjustments[s.adjustment % adjustments.length]}/reverse`, { json: who });
            // Refused actions (already attached, already paid, already reversed) change nothing; none is a 5xx.
            if (answer) assert.ok(answer.status === 201 || answer.status === 409, JSON.stringify(answer.body));
            if (answer?.status === 201 && s.kind !== 'reverse') adjustments.push(answer.body.adjustment!.id);
          }
          const now = await report();
          assertAddsUp(now);
          for (const payment of payments) {
            const { body } = await gateway.api(`/api/payments/${payment.id}/history`);
            const counted = body.transfers.filter((t: { status: string; paymentId: string }) => t.status === 'matched' && t.paymentId === payment.id);
            const cash = body.adjustments
              .filter((a: { kind: string; reversedBy: string | null }) => a.kind === 'cash' && !a.reversedBy)
              .reduce((total: number, a: { amount: number }) => total + a.amount, 0);
            const received = counted.reduce((total: number, t: { amount: number }) => total + t.amount, 0);
            assert.equal(body.payment.amountPaid, received + cash, 'amountPaid is what counts');
            const surplus = counted.reduce((total: number, t: { surplus: number }) => total + t.surplus, 0);
            assert.equal(surplus, Math.max(0, received + cash - payment.amount), 'the surplus is what lies beyond the fee');
            assert.equal(body.payment.status, received + cash >= payment.amount ? 'paid' : received + cash > 0 ? 'underpaid' : 'pending');
            const deposit = (await owedOf(payment.id)).toDeposit;
            assert.equal(deposit, body.payment.status === 'paid' ? payment.amount - cash : 0, 'the treasury gets the fee once, less the cash taken');
          }
        }),
        {
          numRuns: 10,
          // Always among the runs: a reversal under a payment's other transfers (attachment, then cash).
          examples: [
            [
              [50_000, 10_000],
              [
                { kind: 'loose', amount: 30_000 },
                { kind: 'attach', transfer: 0, payment: 0 },
                { kind: 'bank', payment: 0, amount: 30_000 },
                { kind: 'reverse', adjustment: 0 },
                { kind: 'bank', payment: 0, amount: 20_000 },
              ],
            ],
            [
              [50_000, 10_000],
              [
                { kind: 'cash', payment: 0 },
                { kind: 'bank', payment: 0, amount: 20_000 },
                { kind: 'reverse', adjustment: 0 },
                { kind: 'bank', payment: 0, amount: 30_000 },
              ],
            ],
          ],
        },
      );
    });

    it('should attach late money to the new payment: the closed one gives it up, refund owed falls', async () => {
      const old = await createPayment(gateway, { expiresIn: 1 });
      await eventually(
        () => gateway.api(`/api/payments/${old.id}`),
        (read) => read.body.status === 'expired',
      );
      const id = await transfer({ paymentId: old.id });
      const late = await listed(id);
      assert.equal(late.class, 'refund_owed');
      assert.equal((await gateway.api(`/api/payments/${old.id}`)).body.amountPaid, 50_000);
      const before = await report();
      const fresh = await createPayment(gateway, { dossier: old.dossier });
      const { status, body } = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: fresh.id, ...who } });
      assert.equal(status, 201, JSON.stringify(body));
      assert.equal(body.payment.status, 'paid');
      const closed = (await gateway.api(`/api/payments/${old.id}`)).body;
      assert.equal(closed.status, 'expired');
      assert.equal(closed.amountPaid, 0);
      const now = await report();
      assert.equal(now.totals.refundOwed, before.totals.refundOwed - 50_000);
      assert.equal((await listed(id)).class, 'fee_paid');
      // Reversed: late money for the closed payment again.
      await gateway.api(`/api/adjustments/${body.adjustment.id}/reverse`, { json: who });
      assert.equal((await gateway.api(`/api/payments/${old.id}`)).body.amountPaid, 50_000);
      assert.equal((await gateway.api(`/api/payments/${fresh.id}`)).body.amountPaid, 0);
      assert.equal((await listed(id)).class, 'refund_owed');
      assertAddsUp(await report());
    });

    it('should accept late money for its own expired payment (now paid), and refuse a cancelled payment', async () => {
      const old = await createPayment(gateway, { expiresIn: 1 });
      await eventually(
        () => gateway.api(`/api/payments/${old.id}`),
        (read) => read.body.status === 'expired',
      );
      const id = await transfer({ paymentId: old.id });
      const { body } = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: old.id, ...who } });
      assert.equal(body.payment.status, 'paid');
      assert.equal(body.payment.amountPaid, 50_000);
      const cancelled = await createPayment(gateway);
      await gateway.api(`/api/payments/${cancelled.id}/cancel`, { method: 'POST' });
      const other = await transfer({ amount: 50_000 });
      const refused = await gateway.api(`/api/transfers/${other}/attach`, { json: { payment: cancelled.id, ...who } });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'PAYMENT_CANCELLED');
    });

    it('should record a refund of an over-payment: it leaves "refund owed", once', async () => {
      const payment = await createPayment(gateway);
      const id = await transfer({ paymentId: payment.id, amount: 60_000 });
      const owed = await listed(id);
      assert.equal(owed.refundOwed, 10_000);
      const before = await report();
      const refund = { reference: 'FT26335000123', date: '2026-12-01', ...who, reason: 'Hoàn 10.000 đ chuyển thừa' };
      const { status, body } = await gateway.api(`/api/transfers/${id}/refund`, { json: refund });
      assert.equal(status, 201, JSON.stringify(body));
      assert.equal(body.adjustment.kind, 'refund');
      assert.equal(body.adjustment.amount, 10_000);
      assert.equal(body.adjustment.reference, 'FT26335000123');
      assert.equal(body.adjustment.refundDate, '2026-12-01');
      const item = await listed(id);
      assert.equal(item.class, 'fee_paid');
      assert.equal(item.refundOwed, 0);
      assert.equal(item.refunded, 10_000);
      const now = await report();
      assert.equal(now.totals.refundOwed, before.totals.refundOwed - 10_000);
      assert.equal(now.totals.refunded, before.totals.refunded + 10_000);
      assertAddsUp(now);
      const again = await gateway.api(`/api/transfers/${id}/refund`, { json: refund });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'ALREADY_REFUNDED');
      // Money that pays a fee (nothing owed back) cannot be "refunded".
      const exact = await createPayment(gateway);
      const paid = await transfer({ paymentId: exact.id });
      const nothing = await gateway.api(`/api/transfers/${paid}/refund`, { json: refund });
      assert.equal(nothing.status, 409);
      assert.equal(nothing.body.error.code, 'NOTHING_TO_REFUND');
      // A refunded transfer cannot then be attached.
      const loose = await transfer({ amount: 7_000 });
      assert.equal((await gateway.api(`/api/transfers/${loose}/refund`, { json: refund })).status, 201);
      assert.equal((await listed(loose)).class, 'refunded');
      const attach = await gateway.api(`/api/transfers/${loose}/attach`, { json: { payment: exact.id, ...who } });
      assert.equal(attach.body.error.code, 'TRANSFER_REFUNDED');
    });

    it('should mark a payment paid in cash at the counter (by id or code) with its receipt, once; reversible', async () => {
      const payment = await createPayment(gateway);
      const before = await report();
      const cash = { receipt: 'BL-0001234', ...who, reason: 'Công dân nộp tiền mặt tại quầy' };
      // By the code printed on the slip, what the officer has in hand.
      const { status, body } = await gateway.api(`/api/payments/${payment.code}/cash`, { json: cash });
      assert.equal(status, 201, JSON.stringify(body));
      assert.equal(body.payment.status, 'paid');
      assert.equal(body.payment.amountPaid, 50_000);
      assert.equal(body.adjustment.reference, 'BL-0001234');
      const now = await report();
      assert.equal(now.totals.cash, before.totals.cash + 50_000);
      assert.equal(now.totals.received, before.totals.received, 'cash is not bank money');
      const again = await gateway.api(`/api/payments/${payment.id}/cash`, { json: cash });
      assert.equal(again.body.error.code, 'PAYMENT_ALREADY_PAID');
      const reversed = await gateway.api(`/api/adjustments/${body.adjustment.id}/reverse`, { json: who });
      assert.equal(reversed.body.payment.status, 'pending');
      assert.equal((await report()).totals.cash, before.totals.cash);
    });

    it('should answer bad requests with a code: 401 without a key, 404 for unknown ids, 400 for a bad body', async () => {
      const payment = await createPayment(gateway);
      const id = await transfer({ amount: 1_000 });
      assert.equal((await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: payment.id, ...who }, key: null })).status, 401);
      assert.equal((await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: payment.id, ...who }, key: 'wrong-key-123456' })).status, 401);
      for (const [path, json] of [
        ['/api/transfers/999999999/attach', { payment: payment.id, ...who }],
        ['/api/transfers/not-a-number/attach', { payment: payment.id, ...who }],
        [`/api/transfers/${id}/attach`, { payment: 'NOSUCHCODE', ...who }],
        ['/api/payments/nosuchpayment/cash', { receipt: 'R1', ...who }],
        ['/api/adjustments/nosuchadjustment/reverse', who],
      ] as const) {
        const answer = await gateway.api(path, { json });
        assert.equal(answer.status, 404, path);
        assert.equal(answer.body.error.code, 'NOT_FOUND');
      }
      assert.equal((await gateway.api('/api/payments/nosuchpayment/history')).status, 404);
      for (const json of [
        { payment: payment.id, officer: who.officer },
        { payment: payment.id, reason: who.reason },
        { payment: payment.id, officer: '', reason: who.reason },
        { payment: payment.id, officer: who.officer, reason: 'x' },
        { payment: 12, ...who },
        { payment: payment.id, officer: 'a\u0000b', reason: who.reason },
      ]) {
        const answer = await gateway.api(`/api/transfers/${id}/attach`, { json });
        assert.equal(answer.status, 400, JSON.stringify(json));
        assert.equal(answer.body.error.code, 'INVALID_FIELD');
      }
      for (const json of [
        { reference: 'FT1', date: '2026-02-30', ...who },
        { reference: 'FT 1', date: '2026-12-01', ...who },
        { date: '2026-12-01', ...who },
      ]) {
        const answer = await gateway.api(`/api/transfers/${id}/refund`, { json });
        assert.equal(answer.status, 400, JSON.stringify(json));
      }
      const malformed = await gateway.api(`/api/transfers/${id}/attach`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'MALFORMED_JSON');
      assert.equal((await gateway.api(`/api/transfers/${id}/attach`, { method: 'GET' })).status, 405);
      // Nothing of that changed the transfer.
      assert.equal((await listed(id)).class, 'unmatched');
    });

    it('should answer a repeat with the same Idempotency-Key with the first answer, and refuse the key with another body', async () => {
      const payment = await createPayment(gateway);
      const id = await transfer({ amount: 50_000 });
      const key = unique('desk-key-');
      const first = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: payment.id, ...who }, headers: { 'idempotency-key': key } });
      assert.equal(first.status, 201);
      const repeat = await gateway.api(`/api/transfers/${id}/attach`, { json: { payment: payment.id, ...who }, headers: { 'idempotency-key': key } });
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body, first.body);
      const other = await gateway.api(`/api/transfers/${id}/attach`, {
        json: { payment: payment.id, ...who, reason: 'another reason' },
        headers: { 'idempotency-key': key },
      });
      assert.equal(other.status, 422);
      assert.equal((await gateway.api(`/api/payments/${payment.id}/history`)).body.adjustments.length, 1);
      const short = await gateway.api(`/api/payments/${payment.id}/cash`, { json: { receipt: 'R', ...who }, headers: { 'idempotency-key': 'short' } });
      assert.equal(short.status, 400);
    });

    it('should serve two officers at once one after the other: one attach wins, no money lost or doubled', async () => {
      const [a, b] = [await createPayment(gateway), await createPayment(gateway)];
      const id = await transfer({ amount: 50_000 });
      const answers = await Promise.all(
        [a, b, a, b].map((p, i) => gateway.api(`/api/transfers/${id}/attach`, { json: { payment: p.id, ...who, officer: `Cán bộ ${i}` } })),
      );
      assert.deepEqual(answers.map((x) => x.status).sort(), [201, 409, 409, 409]);
      const paid = [(await gateway.api(`/api/payments/${a.id}`)).body.amountPaid, (await gateway.api(`/api/payments/${b.id}`)).body.amountPaid];
      assert.equal(paid[0] + paid[1], 50_000);
      // Two transfers onto one payment at once: both count (no lost update), the payment is paid once.
      const target = await createPayment(gateway);
      const halves = [await transfer({ amount: 25_000 }), await transfer({ amount: 25_000 })];
      const both = await Promise.all(halves.map((t) => gateway.api(`/api/transfers/${t}/attach`, { json: { payment: target.id, ...who } })));
      assert.deepEqual(
        both.map((x) => x.status),
        [201, 201],
      );
      const final = (await gateway.api(`/api/payments/${target.id}`)).body;
      assert.equal(final.amountPaid, 50_000);
      assert.equal(final.status, 'paid');
      // Cash and a reversal racing on one payment: exactly one cash, never negative.
      const cashTarget = await createPayment(gateway);
      const cash = await Promise.all([1, 2, 3].map((n) => gateway.api(`/api/payments/${cashTarget.id}/cash`, { json: { receipt: `BL-${n}`, ...who } })));
      assert.deepEqual(cash.map((x) => x.status).sort(), [201, 409, 409]);
      const adjustment = cash.find((x) => x.status === 201)!.body.adjustment.id;
      const reversals = await Promise.all([1, 2].map(() => gateway.api(`/api/adjustments/${adjustment}/reverse`, { json: who })));
      assert.deepEqual(reversals.map((x) => x.status).sort(), [201, 409]);
      assert.equal((await gateway.api(`/api/payments/${cashTarget.id}`)).body.amountPaid, 0);
      assertAddsUp(await report());
    });
  });

  describe(`postal payments on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name);
    });
    after(() => gateway?.close());

    it('should give a postal payment 30 days by default (its expiresAt is the due date), and say it is postal', async () => {
      const payment = await createPayment(gateway, { delivery: 'postal' });
      const days = (Date.parse(payment.expiresAt) - Date.now()) / 86_400_000;
      assert.ok(days > 29.9 && days <= 30, `${days} days`);
      assert.equal(payment.delivery, 'postal');
      const counter = await createPayment(gateway);
      assert.ok(Date.parse(counter.expiresAt) - Date.now() <= 900_000);
      assert.ok(!('delivery' in counter), 'a counter payment carries no new field');
      const long = await createPayment(gateway, { delivery: 'postal', expiresIn: 60 * 86_400 });
      assert.ok(Date.parse(long.expiresAt) - Date.now() > 59 * 86_400_000);
      for (const json of [{ delivery: 'air' }, { delivery: 'counter', expiresIn: 60 * 86_400 }, { delivery: 'postal', expiresIn: 91 * 86_400 }]) {
        const answer = await gateway.api('/api/payments', { json: { dossier: unique('HS'), amount: 1_000, purpose: 'x', counter: 'C1', ...json } });
        assert.equal(answer.status, 400, JSON.stringify(json));
        assert.equal(answer.body.error.code, 'INVALID_FIELD');
      }
    });

    it('should take the postal lifetime from its configuration (MOTCUA_POSTAL_PAYMENT_TTL_SECONDS)', async () => {
      assert.equal(configFromEnv({}).postalPaymentTtlSeconds, 30 * 86_400);
      assert.equal(configFromEnv({ MOTCUA_POSTAL_PAYMENT_TTL_SECONDS: '86400' }).postalPaymentTtlSeconds, 86_400);
      assert.throws(() => configFromEnv({ MOTCUA_POSTAL_PAYMENT_TTL_SECONDS: '-1' }), /MOTCUA_POSTAL_PAYMENT_TTL_SECONDS/);
      const short = await startTestGateway(backend.name, { postalPaymentTtlSeconds: 3_600 });
      try {
        const payment = await createPayment(short, { delivery: 'postal' });
        assert.ok(Math.abs(Date.parse(payment.expiresAt) - Date.now() - 3_600_000) < 60_000);
      } finally {
        await short.close();
      }
    });
  });
}

/** Every transfer is in exactly one class and the totals add up, refunds included. */
function assertAddsUp(report: {
  transactions: Array<{ amount: number; toDeposit: number; refundOwed: number; refunded: number; class: string }>;
  totals: Record<string, number>;
}) {
  const { totals } = report;
  assert.equal(totals.received, totals.toDeposit! + totals.refundOwed! + totals.refunded! + totals.unmatched! + totals.pending!);
  for (const tx of report.transactions) {
    assert.ok(tx.toDeposit >= 0 && tx.refundOwed >= 0 && tx.refunded >= 0);
    assert.equal(tx.toDeposit + tx.refundOwed + tx.refunded + (tx.class === 'unmatched' || tx.class === 'pending' ? tx.amount : 0), tx.amount, tx.class);
  }
}
