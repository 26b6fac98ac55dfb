// Money rules under forgery, confusion and faults (issue 11, items 1–6): what counts, what is kept
// with its reason, and a reconciliation whose totals add up.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { configFromEnv, payosSignature } from '../src/index.js';
import { classifyTransfer, reconciliationTotals, type ReportTransaction } from '../src/reports.js';
import { openDatabase } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { ADAPTERS } from '../src/providers.js';
import { migrate } from '../src/schema.js';
import { Store } from '../src/store.js';
import { vietnamToday } from '../src/vietnam-time.js';
import {
  BACKENDS,
  SECRETS,
  createPayment,
  payosData as buildPayosData,
  openSse,
  sleep,
  startTestGateway,
  throwawayDatabase,
  type TestGateway,
} from './helpers.js';

const ACCOUNT = '113366668888';
const OTHER_ACCOUNT = '0451000999999';
let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${++seq}`;

interface Transfer {
  memo: string;
  amount: number;
  account?: string;
  reference?: string;
  id?: string;
}

/** The documented payOS `data`, every key present (the dev bank's builder). */
const payosData = (t: Transfer) =>
  buildPayosData({ memo: t.memo, amount: t.amount, account: t.account ?? ACCOUNT, transactionId: t.reference ?? unique('FT') });

/** Signed, real-shaped notifications; `raw` posts a body exactly as given (bytes included). */
const send = {
  raw(gateway: TestGateway, provider: string, body: string | Buffer, headers: Record<string, string>) {
    return gateway.api(`/api/bank/notifications/${provider}`, { method: 'POST', key: null, body, headers: { 'content-type': 'application/json', ...headers } });
  },
  genericBody(gateway: TestGateway, body: string | Buffer) {
    return send.raw(gateway, 'generic', body, { 'x-signature': `sha256=${createHmac('sha256', SECRETS.hmacSecret).update(body).digest('hex')}` });
  },
  generic(gateway: TestGateway, t: Transfer) {
    return send.genericBody(
      gateway,
      JSON.stringify({ id: t.id ?? unique('G'), amount: t.amount, memo: t.memo, account: t.account ?? ACCOUNT, reference: t.reference ?? unique('FT') }),
    );
  },
  sepayBody(gateway: TestGateway, body: unknown) {
    return send.raw(gateway, 'sepay', JSON.stringify(body), { authorization: `Apikey ${SECRETS.sepayApiKey}` });
  },
  sepay(gateway: TestGateway, t: Transfer, extra: Record<string, unknown> = {}) {
    return send.sepayBody(gateway, {
      id: Number(t.id ?? 80_000_000 + ++seq),
      gateway: 'MBBank',
      transactionDate: '2026-11-22 09:15:02',
      accountNumber: t.account ?? ACCOUNT,
      subAccount: null,
      code: null,
      content: t.memo,
      transferType: 'in',
      description: `BankAPINotify ${t.memo}`,
      transferAmount: t.amount,
      referenceCode: t.reference ?? unique('FT'),
      accumulated: 19_077_000,
      ...extra,
    });
  },
  cassoItems(gateway: TestGateway, items: unknown[]) {
    return send.raw(gateway, 'casso', JSON.stringify({ error: 0, data: items }), { 'secure-token': SECRETS.cassoSecureToken });
  },
  cassoItem: (t: Transfer) => ({
    id: Number(t.id ?? 60_000 + ++seq),
    tid: t.reference ?? unique('FT'),
    description: t.memo,
    amount: t.amount,
    cusum_balance: 1,
    when: '2026-11-22 09:15:02',
    bank_sub_acc_id: t.account ?? ACCOUNT,
    subAccId: t.account ?? ACCOUNT,
  }),
  casso(gateway: TestGateway, t: Transfer) {
    return send.cassoItems(gateway, [send.cassoItem(t)]);
  },
  payosData(gateway: TestGateway, data: Record<string, unknown>, signature = payosSignature(data, SECRETS.payosChecksumKey)) {
    return send.raw(gateway, 'payos', JSON.stringify({ code: '00', desc: 'success', success: true, data, signature }), {});
  },
  payos(gateway: TestGateway, t: Transfer) {
    return send.payosData(gateway, payosData(t));
  },
};
const PROVIDERS = ['generic', 'sepay', 'casso', 'payos'] as const;

for (const backend of BACKENDS) {
  describe(`money rules on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0 });
    });
    after(() => gateway?.close());
    const get = async (id: string) => (await gateway.api(`/api/payments/${id}`, { key: null })).body;
    const report = async () => (await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`)).body;
    const recorded = async (transactionId: string) => (await report()).transactions.filter((tx: ReportTransaction) => tx.transactionId === transactionId);

    describe('payOS: only the documented, unambiguous data counts', () => {
      it('should not pay a 5,000,000 fee from a 2,000 transfer re-split with the same signature', async () => {
        const payment = await createPayment(gateway, { amount: 5_000_000 });
        const real = payosData({ memo: `X&amount=5000000&description=${payment.code}&reference=NEW`, amount: 2_000 });
        const signature = payosSignature(real, SECRETS.payosChecksumKey);
        // The attack: fewer keys, the memo's pairs read as the real ones, the rest folded into two values.
        const pairs = (Object.keys(real) as Array<keyof typeof real>)
          .sort()
          .map((key) => `${key}=${real[key] ?? ''}`)
          .join('&');
        const forged = {
          accountNumber: pairs.slice('accountNumber='.length, pairs.indexOf('&amount=5000000')),
          amount: 5_000_000,
          description: payment.code,
          reference: pairs.slice(pairs.indexOf('&reference=NEW') + '&reference='.length),
        };
        assert.equal(payosSignature(forged, SECRETS.payosChecksumKey), signature, 'the forgery carries a valid signature');
        const answers = [await send.payosData(gateway, forged, signature), await send.payosData(gateway, real, signature)];
        for (const answer of answers) assert.ok(answer.status === 200 || answer.status === 401, String(answer.status));
        const state = await get(payment.id);
        assert.deepEqual([state.status, state.amountPaid], ['pending', 0]);
        const reasons = (await report()).transactions
          .filter((tx: ReportTransaction) => tx.provider === 'payos' && tx.status === 'rejected')
          .map((tx: ReportTransaction) => tx.reason);
        assert.ok(reasons.includes('unexpected_fields') && reasons.includes('ambiguous_signature'), reasons.join());
      });

      it('should not count one transfer twice by re-splitting its memo into a new reference', async () => {
        const payment = await createPayment(gateway, { amount: 40_000 });
        const tail = '&orderCode=1&paymentLinkId=p&reference=FTNEW&transactionDateTime=t&virtualAccountName=&virtualAccountNumber=';
        const real = payosData({ memo: `${payment.code}${tail}`, amount: 20_000 });
        const signature = payosSignature(real, SECRETS.payosChecksumKey);
        const rest = `&orderCode=${real.orderCode}&paymentLinkId=${real.paymentLinkId}&reference=${real.reference}&transactionDateTime=${real.transactionDateTime}&virtualAccountName=&virtualAccountNumber=`;
        const forged = {
          ...real,
          description: payment.code,
          orderCode: '1',
          paymentLinkId: 'p',
          reference: 'FTNEW',
          transactionDateTime: 't',
          virtualAccountName: '',
          virtualAccountNumber: rest,
        };
        assert.equal(payosSignature(forged, SECRETS.payosChecksumKey), signature);
        await send.payosData(gateway, real, signature);
        await send.payosData(gateway, forged, signature);
        assert.equal((await get(payment.id)).amountPaid, 0);
      });

      it('should refuse missing or extra keys, another currency, a failed code and another account', async () => {
        const payment = await createPayment(gateway, { amount: 30_000 });
        const base = () => payosData({ memo: payment.code, amount: 30_000 });
        const { virtualAccountNumber: _dropped, ...missing } = base();
        const cases: Array<[Record<string, unknown>, string]> = [
          [missing, 'unexpected_fields'],
          [{ ...base(), extra: 'x' }, 'unexpected_fields'],
          [{ ...base(), currency: 'USD' }, 'not_vnd'],
          [{ ...base(), code: '01' }, 'not_success'],
        ];
        for (const [data, reason] of cases) {
          const answer = await send.payosData(gateway, data);
          assert.equal(answer.status, 200, reason);
          assert.deepEqual(answer.body, { success: true });
          const rows = (await report()).transactions.filter((tx: ReportTransaction) => tx.provider === 'payos' && tx.reason === reason);
          assert.ok(rows.length > 0 && rows.every((tx: ReportTransaction) => tx.amount === 0 && tx.class === 'unmatched'), reason);
        }
        await send.payos(gateway, { memo: payment.code, amount: 30_000, account: OTHER_ACCOUNT });
        assert.equal((await get(payment.id)).status, 'pending');
        await send.payos(gateway, { memo: payment.code, amount: 30_000 });
        assert.equal((await get(payment.id)).status, 'paid');
      });
    });

    describe('destination account', () => {
      for (const provider of PROVIDERS) {
        it(`should record ${provider} money into another account as unmatched (other_account), never counted`, async () => {
          const payment = await createPayment(gateway, { amount: 25_000 });
          const id = provider === 'payos' ? unique('FT') : String(70_000_000 + ++seq);
          const answer = await send[provider](gateway, {
            memo: payment.code,
            amount: 25_000,
            account: OTHER_ACCOUNT,
            ...(provider === 'payos' ? { reference: id } : { id }),
          });
          assert.equal(answer.status, 200);
          assert.equal((await get(payment.id)).status, 'pending');
          const [row] = await recorded(id);
          assert.deepEqual([row.status, row.reason, row.class, row.account, row.toDeposit], ['unmatched', 'other_account', 'unmatched', OTHER_ACCOUNT, 0]);
        });
      }

      it("should require the generic webhook's account (stored as rejected, naming the field)", async () => {
        const payment = await createPayment(gateway, { amount: 25_000 });
        const answer = await send.genericBody(gateway, JSON.stringify({ id: unique('G'), amount: 25_000, memo: payment.code }));
        assert.equal(answer.status, 200);
        assert.equal(answer.body.results[0].outcome, 'rejected');
        assert.match(answer.body.results[0].message, /"account"/);
        assert.equal((await get(payment.id)).status, 'pending');
      });

      it('should let the dev bank simulate a transfer into another account', async () => {
        const payment = await createPayment(gateway, { amount: 35_000 });
        const { body } = await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id, provider: 'sepay', account: OTHER_ACCOUNT } });
        assert.equal(body.response.status, 200);
        assert.equal((await get(payment.id)).status, 'pending');
      });
    });

    describe('one transfer, two providers', () => {
      it('should count a transfer reported by SePay, Casso, payOS and the generic webhook once, and link the other reports', async () => {
        const payment = await createPayment(gateway, { amount: 60_000 });
        const reference = unique('FT');
        const t = { memo: payment.code, amount: 60_000, reference };
        // SePay spells the account with spaces: still the same account.
        const answers = [
          await send.sepay(gateway, { ...t, account: '1133 6666 8888' }),
          await send.casso(gateway, t),
          await send.payos(gateway, t),
          await send.generic(gateway, t),
        ];
        assert.ok(answers.every((a) => a.status === 200));
        assert.equal(answers[3]!.body.results[0].outcome, 'duplicate');
        assert.equal(answers[3]!.body.results[0].duplicateOf.provider, 'sepay');
        assert.equal((await get(payment.id)).amountPaid, 60_000);
        const body = await report();
        const reports = [...body.transactions, ...body.duplicates].filter((tx: ReportTransaction) => tx.bankReference === reference);
        assert.deepEqual(reports.map((tx: ReportTransaction) => tx.class).sort(), ['duplicate', 'duplicate', 'duplicate', 'fee_paid']);
        assert.equal(body.totals.received, body.totals.toDeposit + body.totals.refundOwed + body.totals.unmatched + body.totals.pending);
      });

      it('should count it once when the reports race each other', async () => {
        const payment = await createPayment(gateway, { amount: 90_000 });
        const t = { memo: payment.code, amount: 30_000, reference: unique('FT') };
        await Promise.all([send.sepay(gateway, t), send.casso(gateway, t), send.generic(gateway, t), send.payos(gateway, t)]);
        assert.equal((await get(payment.id)).amountPaid, 30_000);
      });

      it('should still count two transfers with the same reference into the same account but different amounts', async () => {
        const payment = await createPayment(gateway, { amount: 50_000 });
        const reference = unique('FT');
        await send.sepay(gateway, { memo: payment.code, amount: 20_000, reference });
        await send.casso(gateway, { memo: payment.code, amount: 30_000, reference });
        assert.equal((await get(payment.id)).amountPaid, 50_000);
      });
    });

    describe('never drop an authentic notification', () => {
      it('should store and count a notification with NUL, lone surrogates or invalid UTF-8 in its body', async () => {
        const bodies = [
          (code: string) =>
            `{"id":"${unique('N')}","amount":10000,"memo":"${code} \\u0000 le phi","account":"${ACCOUNT}","reference":"${unique('FT')}","note":"\\u0000"}`,
          (code: string) =>
            `{"id":"${unique('S')}","amount":10000,"memo":"${code} \\ud800 x \\udc00","account":"${ACCOUNT}","reference":"${unique('FT')}","\\udfff":1}`,
          (code: string) =>
            Buffer.concat([
              Buffer.from(`{"id":"${unique('B')}","amount":10000,"account":"${ACCOUNT}","memo":"${code} `),
              Buffer.from([0xff, 0xfe, 0xc0]),
              Buffer.from('"}'),
            ]),
        ];
        for (const body of bodies) {
          const payment = await createPayment(gateway, { amount: 10_000 });
          const answer = await send.genericBody(gateway, body(payment.code));
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          assert.equal(answer.body.results[0].outcome, 'matched');
          assert.equal((await get(payment.id)).status, 'paid');
        }
      });

      it('should still refuse a forged body with a NUL (401) and record nothing', async () => {
        const payment = await createPayment(gateway, { amount: 10_000 });
        const before = (await report()).totals.transactionCount;
        const body = `{"id":"${unique('F')}","amount":10000,"memo":"${payment.code}\\u0000","account":"${ACCOUNT}"}`;
        const answer = await send.raw(gateway, 'generic', body, { 'x-signature': `sha256=${'0'.repeat(64)}` });
        assert.equal(answer.status, 401);
        assert.equal((await report()).totals.transactionCount, before);
        assert.equal((await get(payment.id)).status, 'pending');
      });

      it('should store the good items of a Casso batch and record the bad one as rejected', async () => {
        const first = await createPayment(gateway, { amount: 15_000 });
        const second = await createPayment(gateway, { amount: 16_000 });
        const bad = { id: 60_000 + ++seq, tid: unique('FT'), description: 'no amount', bank_sub_acc_id: ACCOUNT };
        const answer = await send.cassoItems(gateway, [
          send.cassoItem({ memo: first.code, amount: 15_000 }),
          bad,
          send.cassoItem({ memo: second.code, amount: 16_000 }),
          'not an object',
        ]);
        assert.equal(answer.status, 200);
        assert.equal(answer.body.error, 0);
        assert.equal((await get(first.id)).status, 'paid');
        assert.equal((await get(second.id)).status, 'paid');
        const rejected = (await report()).unmatched.filter(
          (tx: ReportTransaction) => tx.provider === 'casso' && tx.status === 'rejected' && tx.reason === 'invalid_field',
        );
        assert.ok(rejected.length >= 2);
        // The same notification again: nothing new.
        const count = (await report()).totals.transactionCount;
        const again = [send.cassoItem({ memo: first.code, amount: 15_000, id: '1' }), bad];
        await send.cassoItems(gateway, again);
        assert.equal((await report()).totals.transactionCount, count + 2);
        await send.cassoItems(gateway, again);
        assert.equal((await report()).totals.transactionCount, count + 2);
      });

      it('should store SePay transfers that are not incoming (OUT, missing direction) as rejected, and count "IN"', async () => {
        const payment = await createPayment(gateway, { amount: 12_000 });
        const ids = [String(81_000_000 + ++seq), String(81_000_000 + ++seq)];
        for (const [index, transferType] of ['OUT', undefined].entries()) {
          const answer = await send.sepay(gateway, { memo: payment.code, amount: 12_000, id: ids[index]! }, { transferType });
          assert.deepEqual([answer.status, answer.body], [200, { success: true }]);
        }
        assert.equal((await get(payment.id)).status, 'pending');
        const rows = (await report()).transactions.filter((tx: ReportTransaction) => tx.provider === 'sepay' && tx.reason === 'not_incoming');
        assert.ok(rows.length >= 2 && rows.every((tx: ReportTransaction) => tx.amount === 0 && tx.class === 'unmatched'));
        await send.sepay(gateway, { memo: payment.code, amount: 12_000 }, { transferType: 'IN' });
        assert.equal((await get(payment.id)).status, 'paid');
      });

      it('should store an authentic but unreadable body as rejected and acknowledge it', async () => {
        const answers = [
          await send.genericBody(gateway, '{"id": 1, "amount":'),
          await send.raw(gateway, 'sepay', '[]', { authorization: `Apikey ${SECRETS.sepayApiKey}` }),
          await send.raw(gateway, 'casso', '{"error":0,"data":[]}', { 'secure-token': SECRETS.cassoSecureToken }),
        ];
        assert.deepEqual(
          answers.map((a) => a.status),
          [200, 200, 200],
        );
        assert.deepEqual(
          answers[0]!.body.results.map((r: { outcome: string; reason: string }) => [r.outcome, r.reason]),
          [['rejected', 'malformed_body']],
        );
        const reasons = (await report()).unmatched.map((tx: ReportTransaction) => `${tx.provider}:${tx.reason}`);
        for (const expected of ['generic:malformed_body', 'sepay:malformed_body', 'casso:no_transactions']) assert.ok(reasons.includes(expected), expected);
      });
    });

    describe('reconciliation classes', () => {
      it('should owe back a part-payment of a cancelled payment, never deposit it', async () => {
        const payment = await createPayment(gateway, { amount: 50_000 });
        const id = unique('P');
        await send.generic(gateway, { memo: payment.code, amount: 20_000, id });
        assert.equal((await recorded(id))[0].class, 'pending');
        await gateway.api(`/api/payments/${payment.id}/cancel`, { method: 'POST' });
        const [row] = await recorded(id);
        assert.deepEqual([row.class, row.toDeposit, row.refundOwed], ['refund_owed', 0, 20_000]);
        const late = unique('L');
        await send.generic(gateway, { memo: payment.code, amount: 30_000, id: late });
        assert.deepEqual(
          (await recorded(late)).map((tx: ReportTransaction) => [tx.reason, tx.class, tx.refundOwed]),
          [['payment_closed', 'refund_owed', 30_000]],
        );
      });

      it('should show money for a cancelled payment in amountPaid (status kept, version bumped, pushed live), owed back; a re-delivery or rejected item adds nothing', async () => {
        const payment = await createPayment(gateway, { amount: 50_000 });
        const cancelled = (await gateway.api(`/api/payments/${payment.id}/cancel`, { method: 'POST' })).body;
        const stream = await openSse(`${gateway.url}/api/payments/${payment.id}/events`, { 'last-event-id': String(cancelled.version) });
        try {
          const id = unique('C');
          const answer = await send.generic(gateway, { memo: payment.code, amount: 50_000, id });
          assert.deepEqual([answer.body.results[0].outcome, answer.body.results[0].reason], ['unmatched', 'payment_closed']);
          const pushed = await stream.next();
          assert.deepEqual([pushed.status, pushed.amountPaid, pushed.version], ['cancelled', 50_000, cancelled.version + 1]);
          assert.deepEqual(await get(payment.id), pushed);
          assert.equal((await send.generic(gateway, { memo: payment.code, amount: 50_000, id })).body.results[0].outcome, 'duplicate');
          const out = await send.sepay(gateway, { memo: payment.code, amount: 70_000 }, { transferType: 'out' });
          assert.equal(out.status, 200);
          const now = await get(payment.id);
          assert.deepEqual([now.status, now.amountPaid, now.version], ['cancelled', 50_000, pushed.version]);
          const body = await report();
          const [row] = body.transactions.filter((tx: ReportTransaction) => tx.transactionId === id);
          assert.deepEqual([row.class, row.toDeposit, row.refundOwed], ['refund_owed', 0, 50_000]);
          assert.ok(body.refunds.some((tx: ReportTransaction) => tx.transactionId === id));
          assertAddsUp(body);
        } finally {
          stream.close();
        }
      });

      it('should split an over-payment into the fee to deposit and the surplus owed back', async () => {
        const payment = await createPayment(gateway, { amount: 50_000 });
        const id = unique('O');
        await send.generic(gateway, { memo: payment.code, amount: 80_000, id });
        const [row] = await recorded(id);
        assert.deepEqual([row.class, row.toDeposit, row.refundOwed], ['fee_paid', 50_000, 30_000]);
        assert.ok((await report()).refunds.some((tx: ReportTransaction) => tx.transactionId === id));
      });

      it('should keep every total equal to what a generated mix of payments and transfers implies, in JSON and CSV', async () => {
        const fate = fc.constantFrom('open', 'cancelFirst', 'cancelAfter');
        const target = fc.oneof(fc.nat({ max: 3 }), fc.constantFrom('no_code', 'unknown_code', 'other_account'));
        const scenario = fc.record({
          payments: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 60 }).map((k) => k * 1_000), fate }), { minLength: 1, maxLength: 4 }),
          transfers: fc.array(fc.record({ target, amount: fc.integer({ min: 1, max: 40 }).map((k) => k * 1_000), provider: fc.constantFrom(...PROVIDERS) }), {
            minLength: 1,
            maxLength: 8,
          }),
        });
        await fc.assert(
          fc.asyncProperty(scenario, async ({ payments: specs, transfers }) => {
            const start = (await report()).totals;
            const payments = [];
            for (const spec of specs) {
              const payment = await createPayment(gateway, { amount: spec.amount });
              if (spec.fate === 'cancelFirst') await gateway.api(`/api/payments/${payment.id}/cancel`, { method: 'POST' });
              payments.push({ ...spec, payment, paid: 0 });
            }
            const expected = { received: 0, toDeposit: 0, refundOwed: 0, unmatched: 0, pending: 0 };
            for (const transfer of transfers) {
              expected.received += transfer.amount;
              const t: Transfer = { memo: 'CHUYEN KHOAN LE PHI', amount: transfer.amount };
              if (typeof transfer.target === 'number' && transfer.target < payments.length) {
                const entry = payments[transfer.target]!;
                t.memo = `${entry.payment.code} le phi`;
                if (entry.fate === 'cancelFirst') expected.refundOwed += transfer.amount;
                else entry.paid += transfer.amount;
              } else {
                if (transfer.target === 'unknown_code') t.memo = 'MC2345678 le phi';
                if (transfer.target === 'other_account') t.account = OTHER_ACCOUNT;
                expected.unmatched += transfer.amount;
              }
              assert.equal((await send[transfer.provider](gateway, t)).status, 200);
            }
            for (const entry of payments) {
              if (entry.fate === 'cancelFirst') continue;
              if (entry.paid >= entry.amount) {
                expected.toDeposit += entry.amount;
                expected.refundOwed += entry.paid - entry.amount;
              } else if (entry.fate === 'cancelAfter') {
                await gateway.api(`/api/payments/${entry.payment.id}/cancel`, { method: 'POST' });
                expected.refundOwed += entry.paid;
              } else expected.pending += entry.paid;
            }
            const body = await report();
            const end = body.totals;
            for (const key of Object.keys(expected) as Array<keyof typeof expected>) assert.equal(end[key] - start[key], expected[key], key);
            assertAddsUp(body);
            const csv = await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}&format=csv`);
            assertCsvAddsUp(String(csv.body), end);
          }),
          { numRuns: 6 },
        );
      });
    });
  });

  describe(`expiry with a grace window on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    // A 4 s grace window: the "just after expiresAt" transfer must get in within it on a loaded CI host too.
    const graceMs = 4_000;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0, expiryGraceSeconds: graceMs / 1000, sweepIntervalMs: 100 });
    });
    after(() => gateway?.close());
    const get = async (id: string) => (await gateway.api(`/api/payments/${id}`, { key: null })).body;

    it('should pay the fee with a transfer arriving just after expiresAt, within the grace window', async () => {
      const payment = await createPayment(gateway, { amount: 20_000, expiresIn: 1 });
      await sleep(Date.parse(payment.expiresAt) - Date.now() + 300);
      assert.equal((await get(payment.id)).status, 'pending', 'still open during the grace window');
      const answer = await send.generic(gateway, { memo: payment.code, amount: 20_000 });
      assert.equal(answer.body.results[0].outcome, 'matched');
      assert.equal((await get(payment.id)).status, 'paid');
    });

    it('should expire after the grace window, and owe back money arriving later (never unmatched silently)', async () => {
      const payment = await createPayment(gateway, { amount: 20_000, expiresIn: 1 });
      await sleep(Date.parse(payment.expiresAt) - Date.now() + graceMs + 600);
      assert.equal((await get(payment.id)).status, 'expired');
      const id = unique('LATE');
      const answer = await send.generic(gateway, { memo: payment.code, amount: 20_000, id });
      assert.deepEqual([answer.body.results[0].outcome, answer.body.results[0].reason], ['unmatched', 'payment_closed']);
      const body = (await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`)).body;
      const row = body.transactions.find((tx: ReportTransaction) => tx.transactionId === id);
      assert.deepEqual([row.class, row.refundOwed, row.paymentId], ['refund_owed', 20_000, payment.id]);
    });

    it('should show late money on the expired payment (amountPaid, new version, pushed live) so no screen asks to pay again', async () => {
      const payment = await createPayment(gateway, { amount: 20_000, expiresIn: 1 });
      await sleep(Date.parse(payment.expiresAt) - Date.now() + graceMs + 600);
      const expired = await get(payment.id);
      assert.deepEqual([expired.status, expired.amountPaid], ['expired', 0]);
      const stream = await openSse(`${gateway.url}/api/payments/${payment.id}/events`, { 'last-event-id': String(expired.version) });
      try {
        const id = unique('LATE');
        await send.generic(gateway, { memo: payment.code, amount: 15_000, id });
        const pushed = await stream.next();
        assert.deepEqual([pushed.status, pushed.amountPaid, pushed.version], ['expired', 15_000, expired.version + 1]);
        assert.deepEqual(await get(payment.id), pushed);
        await send.casso(gateway, { memo: payment.code, amount: 15_000, id: String(90_000_000 + ++seq), reference: unique('FT') });
        assert.deepEqual([(await get(payment.id)).amountPaid, (await get(payment.id)).status], [30_000, 'expired']);
        const body = (await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`)).body;
        const rows = body.transactions.filter((tx: ReportTransaction) => tx.paymentId === payment.id);
        assert.deepEqual(
          rows.map((tx: ReportTransaction) => [tx.class, tx.toDeposit, tx.refundOwed]),
          [
            ['refund_owed', 0, 15_000],
            ['refund_owed', 0, 15_000],
          ],
        );
        assertAddsUp(body);
      } finally {
        stream.close();
      }
    });
  });
}

function assertAddsUp(body: { transactions: ReportTransaction[]; totals: Record<string, number> }) {
  const { totals } = body;
  assert.equal(totals.received, totals.toDeposit + totals.refundOwed + (totals.refunded ?? 0) + totals.unmatched + totals.pending);
  for (const tx of body.transactions) {
    assert.ok(['fee_paid', 'refund_owed', 'unmatched', 'pending', 'refunded'].includes(tx.class), tx.class);
    assert.equal(tx.toDeposit + tx.refundOwed + (tx.refunded ?? 0) + (tx.class === 'unmatched' || tx.class === 'pending' ? tx.amount : 0), tx.amount);
  }
}

/** The CSV's transfer rows add up to the JSON totals. */
function assertCsvAddsUp(csv: string, totals: Record<string, number>) {
  const [header, ...rows] = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
  const column = (name: string) => header!.indexOf(name);
  // Memos here hold no comma, so a plain split is exact.
  const transfers = rows.filter((row) => (row[0] === 'payment' || row[0] === 'unmatched') && row[column('class')] !== '');
  const sum = (name: string, keep: (row: string[]) => boolean = () => true) =>
    transfers.filter(keep).reduce((total, row) => total + Number(row[column(name)]), 0);
  assert.equal(sum('to_deposit'), totals.toDeposit);
  assert.equal(sum('refund_owed'), totals.refundOwed);
  assert.equal(sum('transaction_amount'), totals.received);
  assert.equal(
    sum('transaction_amount', (row) => row[column('class')] === 'unmatched'),
    totals.unmatched,
  );
  assert.equal(
    sum('transaction_amount', (row) => row[column('class')] === 'pending'),
    totals.pending,
  );
  const total = (name: string) => Number(rows.find((row) => row[0] === 'total' && row[1] === name)?.[column('amount_due')]);
  assert.equal(total('toDeposit'), totals.toDeposit);
}

for (const backend of BACKENDS) {
  describe(`stored notifications on ${backend.name}`, { skip: backend.skip }, () => {
    it('should keep the body of every authentic notification byte for byte, once, whatever it holds', async () => {
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      const db = await openDatabase({ ...(database ? { databaseUrl: database.url } : {}), dataDir: 'memory://', poolSize: 2, log: createLogger('silent') });
      try {
        await migrate(db);
        const store = new Store(db, {
          units: [{ id: 'default', account: { bin: '970415', account: ACCOUNT, accountName: 'X' }, counters: {} }],
          surveyTokenSecret: 's',
          surveyTokenTtlSeconds: 60,
          surveyScreenMs: 1,
          expiredScreenMs: 1,
          onCommit: () => {},
        });
        const body = Buffer.concat([
          Buffer.from('{"error":0,"data":[{"id":1,"amount":5000,"description":"a\\u0000\\ud800 '),
          Buffer.from([0xff]),
          Buffer.from(`","bank_sub_acc_id":"${ACCOUNT}"},{"id":2}]}`),
        ]);
        const items = ADAPTERS.casso.parse({ 'secure-token': SECRETS.cassoSecureToken }, body, SECRETS);
        assert.deepEqual(
          items.map((item) => item.rejection?.reason ?? 'ok'),
          ['ok', 'invalid_field'],
        );
        for (const item of [...items, ...items]) await store.applyTransaction(item);
        const kept = await db.query<{ body: Uint8Array; provider: string }>('SELECT body, provider FROM bank_notifications');
        assert.equal(kept.length, 1);
        assert.ok(Buffer.from(kept[0]!.body).equals(body));
        const rows = await db.query<{ memo: string; status: string }>(
          'SELECT memo, status FROM bank_transactions WHERE notification_sha256 IS NOT NULL ORDER BY id',
        );
        assert.deepEqual(
          rows.map((row) => row.status),
          ['unmatched', 'rejected'],
        );
        assert.equal(rows[0]!.memo, 'a\uFFFD\uFFFD \uFFFD');
      } finally {
        await db.close();
        await database?.drop();
      }
    });
  });
}

describe('reconciliation arithmetic', () => {
  it('should put every transfer in exactly one class, with received = toDeposit + refundOwed + unmatched + pending', () => {
    const record = fc.record({
      status: fc.constantFrom('matched', 'unmatched', 'rejected', 'duplicate'),
      reason: fc.constantFrom(null, 'no_code', 'unknown_code', 'payment_closed', 'other_account', 'not_incoming'),
      amount: fc.integer({ min: 0, max: 10_000_000 }),
      surplusShare: fc.double({ min: 0, max: 1, noNaN: true }),
      paymentStatus: fc.constantFrom(null, 'pending', 'underpaid', 'paid', 'expired', 'cancelled'),
      // What an officer recorded as refunded at the desk (any amount: more than owed never counts twice).
      refunded: fc.constantFrom(0, 0, 1, 1_000, 10_000_000),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const transactions = records.map((r): ReportTransaction => {
          const tx = {
            status: r.status,
            reason: r.reason,
            amount: r.status === 'rejected' ? 0 : r.amount,
            surplus: r.status === 'matched' && r.paymentStatus === 'paid' ? Math.floor(r.amount * r.surplusShare) : 0,
          };
          return {
            ...tx,
            id: 'x',
            provider: 'generic',
            transactionId: 'x',
            memo: '',
            bankReference: null,
            account: null,
            receivedAt: '',
            paymentId: null,
            duplicateOf: null,
            ...classifyTransfer(tx, r.paymentStatus, r.refunded),
          };
        });
        const totals = reconciliationTotals(transactions);
        assert.equal(totals.received, totals.toDeposit + totals.refundOwed + totals.refunded + totals.unmatched + totals.pending);
        for (const tx of transactions) assert.ok(tx.refunded >= 0 && tx.refundOwed >= 0 && tx.refunded + tx.refundOwed + tx.toDeposit <= tx.amount);
        assert.equal(totals.transactionCount + totals.duplicateCount, records.length);
        assertAddsUp({ transactions: transactions.filter((tx) => tx.class !== 'duplicate'), totals });
      }),
      { numRuns: 300 },
    );
  });
});

describe('configuration', () => {
  it('should read the expiry grace window from MOTCUA_EXPIRY_GRACE_SECONDS, 10 minutes by default', () => {
    assert.equal(configFromEnv({}).expiryGraceSeconds, 600);
    assert.equal(configFromEnv({ MOTCUA_EXPIRY_GRACE_SECONDS: '30' }).expiryGraceSeconds, 30);
    assert.throws(() => configFromEnv({ MOTCUA_EXPIRY_GRACE_SECONDS: '-1' }), /MOTCUA_EXPIRY_GRACE_SECONDS/);
  });
});
