import { decodeVietQR } from '@motcua/core';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { payosSignature, startGateway } from '../src/index.js';
import { vietnamToday } from '../src/vietnam-time.js';
import pg from 'pg';
import { BACKENDS, SECRETS, baseConfig, createPayment, openSse, payosData, startTestGateway, throwawayDatabase, withApi, type TestGateway } from './helpers.js';

const hmac = (body: string) => createHmac('sha256', SECRETS.hmacSecret).update(body).digest('hex');
let txSeq = 0;
const txId = (prefix: string) => `${prefix}${Date.now()}${++txSeq}`;

/** Real-shaped notifications, as each provider documents them. */
const notify = {
  generic(gateway: TestGateway, memo: string, amount: number, id = txId('G'), signature?: string) {
    const body = JSON.stringify({ id, amount, memo, account: '113366668888', reference: 'FT2611220001' });
    return gateway.api('/api/bank/notifications/generic', {
      method: 'POST',
      body,
      key: null,
      headers: { 'content-type': 'application/json', 'x-signature': signature ?? `sha256=${hmac(body)}` },
    });
  },
  sepay(gateway: TestGateway, memo: string, amount: number, id = ++txSeq + 90_000_000, key = SECRETS.sepayApiKey, transferType = 'in') {
    const body = {
      id,
      gateway: 'MBBank',
      transactionDate: '2026-11-22 09:15:02',
      accountNumber: '113366668888',
      subAccount: null,
      code: null,
      content: memo,
      transferType,
      description: `BankAPINotify ${memo}`,
      transferAmount: amount,
      referenceCode: 'FT26326123456',
      accumulated: 19_077_000,
    };
    return gateway.api('/api/bank/notifications/sepay', { json: body, key: null, headers: { authorization: `Apikey ${key}` } });
  },
  casso(gateway: TestGateway, memo: string, amount: number, id = ++txSeq + 50_000, token = SECRETS.cassoSecureToken) {
    const body = {
      error: 0,
      data: [
        {
          id,
          tid: 'TF2611220915',
          description: memo,
          amount,
          cusum_balance: 12_500_000,
          when: '2026-11-22 09:15:02',
          bank_sub_acc_id: '113366668888',
          subAccId: '113366668888',
        },
      ],
    };
    return gateway.api('/api/bank/notifications/casso', { json: body, key: null, headers: { 'secure-token': token } });
  },
  payos(gateway: TestGateway, memo: string, amount: number, reference = txId('FT'), key = SECRETS.payosChecksumKey) {
    const data = payosData({ memo, amount, transactionId: reference });
    return gateway.api('/api/bank/notifications/payos', {
      json: { code: '00', desc: 'success', success: true, data, signature: payosSignature(data, key) },
      key: null,
    });
  },
};

for (const backend of BACKENDS) {
  describe(`bank notifications on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0 });
    });
    after(() => gateway?.close());
    const get = async (id: string) => (await gateway.api(`/api/payments/${id}`, { key: null })).body;

    for (const provider of ['generic', 'sepay', 'casso', 'payos'] as const) {
      it(`should mark a payment paid from a ${provider} notification and answer as ${provider} expects`, async () => {
        const payment = await createPayment(gateway, { amount: 75_000 });
        const answer = await notify[provider](gateway, `${payment.code} Le phi`, 75_000);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        if (provider === 'sepay' || provider === 'payos') assert.deepEqual(answer.body, { success: true });
        if (provider === 'casso') assert.equal(answer.body.error, 0);
        const paid = await get(payment.id);
        assert.equal(paid.status, 'paid');
        assert.equal(paid.amountPaid, 75_000);
        assert.ok(paid.paidAt);
        assert.ok(paid.version > payment.version);
      });
    }

    it('should refuse bad signatures, keys and tokens with 401, and record nothing', async () => {
      const payment = await createPayment(gateway);
      const memo = payment.code;
      const answers = [
        await notify.generic(gateway, memo, 50_000, undefined, 'sha256=' + '0'.repeat(64)),
        await notify.generic(gateway, memo, 50_000, undefined, ''),
        await notify.sepay(gateway, memo, 50_000, undefined, 'wrong-key'),
        await notify.casso(gateway, memo, 50_000, undefined, 'wrong-token'),
        await notify.payos(gateway, memo, 50_000, undefined, 'wrong-checksum'),
      ];
      for (const answer of answers) {
        assert.equal(answer.status, 401);
        assert.equal(answer.body.error.code, 'INVALID_SIGNATURE');
      }
      // A body altered after signing.
      const body = JSON.stringify({ id: txId('G'), amount: 50_000, memo });
      const tampered = await gateway.api('/api/bank/notifications/generic', {
        method: 'POST',
        key: null,
        body: body.replace('50000', '50001'),
        headers: { 'x-signature': `sha256=${hmac(body)}` },
      });
      assert.equal(tampered.status, 401);
      assert.equal((await get(payment.id)).status, 'pending');
    });

    it('should acknowledge authentic but malformed bodies (stored as rejected, naming the field) and refuse unknown providers with 404', async () => {
      const bad = '{"id": 1, "amount":';
      const malformed = await gateway.api('/api/bank/notifications/generic', {
        method: 'POST',
        key: null,
        body: bad,
        headers: { 'x-signature': `sha256=${hmac(bad)}` },
      });
      assert.equal(malformed.status, 200);
      assert.deepEqual(
        malformed.body.results.map((r: { outcome: string; reason: string }) => [r.outcome, r.reason]),
        [['rejected', 'malformed_body']],
      );
      const noAmount = JSON.stringify({ id: 'x1', memo: 'MC2345678', account: '113366668888' });
      const missing = await gateway.api('/api/bank/notifications/generic', {
        method: 'POST',
        key: null,
        body: noAmount,
        headers: { 'x-signature': `sha256=${hmac(noAmount)}` },
      });
      assert.equal(missing.status, 200);
      assert.equal(missing.body.results[0].reason, 'invalid_field');
      assert.match(missing.body.results[0].message, /"amount"/);
      assert.equal(
        (
          await gateway.api('/api/bank/notifications/sepay', {
            method: 'POST',
            key: null,
            body: '[]',
            headers: { authorization: `Apikey ${SECRETS.sepayApiKey}` },
          })
        ).status,
        200,
      );
      assert.equal((await gateway.api('/api/bank/notifications/momo', { json: {}, key: null })).status, 404);
    });

    it('should count the same notification delivered 5 times once', async () => {
      const payment = await createPayment(gateway, { amount: 100_000 });
      const id = txId('DUP');
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await notify.generic(gateway, `${payment.code}`, 40_000, id));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200, 200],
      );
      assert.deepEqual(
        answers.map((a) => a.body.results[0].outcome),
        ['matched', 'duplicate', 'duplicate', 'duplicate', 'duplicate'],
      );
      const after = await get(payment.id);
      assert.equal(after.amountPaid, 40_000);
      assert.equal(after.status, 'underpaid');
      // The QR now asks only for what is still due, to the same account with the same memo.
      const dueQr = decodeVietQR(after.qr);
      const firstQr = decodeVietQR(payment.qr);
      assert.deepEqual([dueQr.amount, dueQr.account, dueQr.purpose], ['60000', firstQr.account, firstQr.purpose]);
      // Also when the 5 deliveries race each other.
      const sepayId = ++txSeq + 70_000_000;
      await Promise.all(Array.from({ length: 5 }, () => notify.sepay(gateway, payment.code, 10_000, sepayId)));
      assert.equal((await get(payment.id)).amountPaid, 50_000);
    });

    it('should keep amountPaid consistent under 50 concurrent notifications for one payment', async () => {
      const payment = await createPayment(gateway, { amount: 1_000_000 });
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => notify.generic(gateway, `${payment.code} phan ${i}`, 25_000)));
      assert.ok(answers.every((a) => a.status === 200));
      const after = await get(payment.id);
      assert.equal(after.amountPaid, 1_250_000);
      assert.equal(after.status, 'paid');
      assert.equal(after.version, payment.version + 50);
      const report = await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`);
      const row = report.body.payments.find((p: { id: string }) => p.id === payment.id);
      assert.equal(row.transactions.length, 50);
      assert.equal(
        row.transactions.reduce((sum: number, tx: { surplus: number }) => sum + tx.surplus, 0),
        250_000,
      );
    });

    it('should find the code in mangled memos', async () => {
      const mangle = [
        (code: string) => code.toLowerCase(),
        (code: string) => `MBVCB.1234567.${code} LE PHI.CT tu 0123456789 NGUYEN VAN A`,
        (code: string) => `${code.slice(0, 2)} ${code.slice(2, 5)} ${code.slice(5)}`,
        (code: string) => `IBFT-${code.slice(0, 4)}-${code.slice(4)}-LEPHI`,
        (code: string) => `Chuyển khoản ${code.toLowerCase()}, lệ phí!`,
        (code: string) => `${code}LEPHICAPBANSAO`,
      ];
      for (const [index, transform] of mangle.entries()) {
        const payment = await createPayment(gateway, { amount: 20_000 });
        const memo = transform(payment.code);
        const provider = (['generic', 'sepay', 'casso', 'payos'] as const)[index % 4]!;
        await notify[provider](gateway, memo, 20_000);
        assert.equal((await get(payment.id)).status, 'paid', memo);
      }
    });

    it('should accumulate underpayments until paid, and record an overpayment as surplus', async () => {
      const short = await createPayment(gateway, { amount: 90_000 });
      await notify.casso(gateway, short.code, 30_000);
      let state = await get(short.id);
      assert.deepEqual([state.status, state.amountPaid], ['underpaid', 30_000]);
      await notify.sepay(gateway, short.code, 30_000);
      state = await get(short.id);
      assert.deepEqual([state.status, state.amountPaid], ['underpaid', 60_000]);
      await notify.payos(gateway, short.code, 30_000);
      state = await get(short.id);
      assert.deepEqual([state.status, state.amountPaid], ['paid', 90_000]);

      const over = await createPayment(gateway, { amount: 50_000 });
      const answer = await notify.generic(gateway, over.code, 80_000);
      assert.equal(answer.body.results[0].surplus, 30_000);
      state = await get(over.id);
      assert.deepEqual([state.status, state.amountPaid], ['paid', 80_000]);
    });

    it('should keep money for unknown, missing, cancelled and expired codes as unmatched transactions', async () => {
      const cancelled = await createPayment(gateway);
      await gateway.api(`/api/payments/${cancelled.id}/cancel`, { method: 'POST' });
      const expired = await createPayment(gateway, { expiresIn: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      const answers = [
        await notify.generic(gateway, 'CHUYEN TIEN LE PHI', 11_000),
        await notify.generic(gateway, 'MC2345678 le phi', 12_000),
        await notify.generic(gateway, cancelled.code, 13_000),
        await notify.generic(gateway, expired.code, 14_000),
      ];
      assert.deepEqual(
        answers.map((a) => a.body.results[0].reason),
        ['no_code', 'unknown_code', 'payment_closed', 'payment_closed'],
      );
      assert.equal((await get(cancelled.id)).status, 'cancelled');
      assert.equal((await get(expired.id)).status, 'expired');
      const report = await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`);
      // Money without a payment is to match by hand; money for a closed payment is owed back to the citizen.
      const unmatchedAmounts = report.body.unmatched.map((tx: { amount: number }) => tx.amount);
      for (const amount of [11_000, 12_000]) assert.ok(unmatchedAmounts.includes(amount), String(amount));
      const refundAmounts = report.body.refunds.map((tx: { amount: number }) => tx.amount);
      for (const amount of [13_000, 14_000]) assert.ok(refundAmounts.includes(amount) && !unmatchedAmounts.includes(amount), String(amount));
    });

    it('should not count outgoing transfers (SePay transferType out, Casso negative amounts)', async () => {
      const payment = await createPayment(gateway);
      assert.deepEqual((await notify.sepay(gateway, payment.code, 50_000, undefined, SECRETS.sepayApiKey, 'out')).body, { success: true });
      const casso = await gateway.api('/api/bank/notifications/casso', {
        json: { error: 0, data: [{ id: 999_001, description: payment.code, amount: -50_000 }] },
        key: null,
        headers: { 'secure-token': SECRETS.cassoSecureToken },
      });
      assert.equal(casso.status, 200);
      assert.equal((await get(payment.id)).status, 'pending');
    });

    it('should expire payments past expiresAt without any request touching them', async () => {
      const payment = await createPayment(gateway, { expiresIn: 1, counter: 'EXP1' });
      const stream = await openSse(`${gateway.url}/api/payments/${payment.id}/events`);
      await stream.next((p: { status: string }) => p.status === 'pending');
      const expired = await stream.next<{ status: string; version: number }>((p) => p.status === 'expired', 4_000);
      assert.equal(expired.version, payment.version + 1);
      stream.close();
    });

    for (const provider of ['generic', 'sepay', 'casso', 'payos'] as const) {
      it(`should let the dev bank send a correctly signed ${provider} notification`, async () => {
        const payment = await createPayment(gateway, { amount: 35_000 });
        const { status, body } = await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id, provider } });
        assert.equal(status, 200);
        assert.equal(body.response.status, 200, JSON.stringify(body));
        assert.equal((await get(payment.id)).status, 'paid');
      });
    }

    it('should let the dev bank send by code or by free memo', async () => {
      const payment = await createPayment(gateway, { amount: 35_000 });
      await gateway.api('/dev/bank/transfer', { json: { memo: `mbvcb.99.${payment.code.toLowerCase()}`, amount: 5_000, provider: 'sepay' } });
      await gateway.api('/dev/bank/transfer', { json: { code: payment.code, amount: 30_000 } });
      assert.equal((await get(payment.id)).status, 'paid');
    });
  });
}

describe('prepared statements on PostgreSQL', { skip: BACKENDS[1].skip }, () => {
  let gateway: TestGateway;
  let database: Awaited<ReturnType<typeof throwawayDatabase>>;
  before(async () => {
    database = await throwawayDatabase();
    // One connection: the statements prepared by the first payment are the ones the later ones reuse.
    gateway = withApi(await startGateway(baseConfig({ databaseUrl: database.url, databasePoolSize: 1, rateLimitPerMinute: 0 })));
  });
  after(async () => {
    await gateway?.close();
    await database?.drop();
  });

  it("should keep paying after another instance's migration adds columns to the tables it reads", async () => {
    const first = await createPayment(gateway, { amount: 20_000 });
    assert.equal((await notify.generic(gateway, first.code, 20_000)).status, 200);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      for (const table of ['payments', 'bank_transactions', 'counter_states', 'webhook_events', 'survey_tokens'])
        await admin.query(`ALTER TABLE ${table} ADD COLUMN added_later text`);
    } finally {
      await admin.end();
    }
    const second = await createPayment(gateway, { amount: 20_000 });
    const answer = await notify.generic(gateway, second.code, 20_000);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal((await gateway.api(`/api/payments/${second.id}`, { key: null })).body.status, 'paid');
  });
});
