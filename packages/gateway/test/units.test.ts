// Issue 13 items 2–5: one gateway, several units. A unit's key sees and changes its own data only
// (another unit's ids: 404 on every keyed route), the destination account of a notification decides
// the unit, counter ids belong to units, and reports go per unit and province-wide.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CounterState, PaymentResource } from '@motcua/core';
import { decodeVietQR } from '@motcua/core';
import { hmacHex } from '../src/crypto.js';
import type { GatewayConfig } from '../src/index.js';
import type { Unit } from '../src/units.js';
import { BACKENDS, createPayment, newDossier, openSse, SECRETS, startTestGateway, type TestGateway } from './helpers.js';

/** A unit's portal key and its counter C1's screen key: made from its id, so each is the unit's own. */
const portalKey = (unit: string) => `${unit}-portal-key-0123456789`;
const screenKey = (unit: string) => `${unit}-screen-C1-0123456789`;
/** A unit of the test province with one counter, C1 (named after the place), its key, screen key and webhook. */
const provinceUnit = (id: string, name: string, place: string, account: Unit['account']): Unit => ({
  id,
  name,
  account,
  counters: { C1: `Quầy 1 ${place}` },
  apiKeys: [portalKey(id)],
  screenKeys: { C1: screenKey(id) },
  // Nobody listens there: deliveries stay pending (retried), which is all these tests need.
  webhooks: [{ url: `http://127.0.0.1:9/${id}`, secret: `${id}-webhook-secret-0123` }],
});

const KEY_A = portalKey('hang-gai');
const KEY_B = portalKey('dong-tam');
const PROVINCE_KEY = 'province-report-key-0123456789';
const SCREEN_A = screenKey('hang-gai');
const SCREEN_B = screenKey('dong-tam');
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';

const UNITS: Unit[] = [
  provinceUnit('hang-gai', 'UBND phường Hàng Gai', 'Hàng Gai', { bin: '970415', account: ACCOUNT_A, accountName: 'UBND PHUONG HANG GAI' }),
  provinceUnit('dong-tam', 'UBND xã Đồng Tâm', 'Đồng Tâm', { bin: '970418', account: ACCOUNT_B, accountName: 'UBND XA DONG TAM' }),
];
const PROVINCE: Partial<GatewayConfig> = {
  units: UNITS,
  provinceKeys: [PROVINCE_KEY],
  webhookRetry: { firstDelayMs: 60_000, maxDelayMs: 60_000, giveUpAfterMs: 3 * 86_400_000 },
};

let sequence = 0;
/** A generic-provider notification, signed, into `account` (explicit bank reference). */
async function notify(gateway: TestGateway, transfer: { account: string; amount: number; memo: string; reference?: string }) {
  const id = `GEN-UNITS-${Date.now()}-${++sequence}`;
  const body = JSON.stringify({ id, amount: transfer.amount, memo: transfer.memo, account: transfer.account, reference: transfer.reference ?? `FT${id}` });
  const answer = await gateway.api('/api/bank/notifications/generic', {
    method: 'POST',
    body,
    key: null,
    headers: { 'content-type': 'application/json', 'x-signature': `sha256=${hmacHex(SECRETS.hmacSecret, body)}` },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return { id, outcome: answer.body.results?.[0] ?? answer.body };
}

for (const backend of BACKENDS) {
  describe(`units of a province on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, PROVINCE);
    });
    after(() => gateway?.close());
    const pay = (key: string, overrides: Record<string, unknown> = {}) =>
      createPayment({ api: (path, init = {}) => gateway.api(path, { ...init, key }) }, overrides);
    const reconciliation = async (key: string, query = '') => (await gateway.api(`/api/reports/reconciliation${query}`, { key })).body;

    it('should make each unit’s payment with the unit’s account, and one open payment per dossier in each unit', async () => {
      const dossier = newDossier();
      const a = await pay(KEY_A, { dossier });
      const b = await pay(KEY_B, { dossier });
      assert.notEqual(a.id, b.id, 'the same dossier number in two units is two payments');
      assert.deepEqual(a.bank, UNITS[0]!.account);
      assert.deepEqual(b.bank, UNITS[1]!.account);
      assert.equal(decodeVietQR(a.qr).account, ACCOUNT_A);
      assert.equal(decodeVietQR(b.qr).account, ACCOUNT_B);
      assert.equal((await pay(KEY_A, { dossier })).id, a.id, 'idempotent per dossier within the unit');
    });

    it('should answer another unit’s ids with 404 on every keyed route, and the owner’s key without 404', async () => {
      const payment = await pay(KEY_A);
      const other = await pay(KEY_A);
      const cashed = await pay(KEY_A);
      const unmatched = await notify(gateway, { account: ACCOUNT_A, amount: 10_000, memo: 'CHUYEN TIEN KHONG MA' });
      const transferId = (await reconciliation(KEY_A)).transactions.find((t: { transactionId: string }) => t.transactionId === unmatched.id).id as string;
      const cash = await gateway.api(`/api/payments/${cashed.id}/cash`, { key: KEY_A, json: { receipt: 'BL-0001', officer: 'CB01', reason: 'Nộp tiền mặt' } });
      assert.equal(cash.status, 201, JSON.stringify(cash.body));
      const adjustmentId = cash.body.adjustment.id as string;
      const delivery = (await gateway.api('/api/webhooks/deliveries', { key: KEY_A })).body.deliveries[0];
      assert.ok(delivery, 'unit A has a webhook delivery');
      const actor = { officer: 'CB01', reason: 'Đối soát' };
      // Every keyed route that names an id: B's key gets 404, A's key does not.
      const routes: Array<{ name: string; method: 'GET' | 'POST'; path: string; json?: unknown }> = [
        { name: 'cancel a payment', method: 'POST', path: `/api/payments/${other.id}/cancel` },
        { name: 'a payment’s history', method: 'GET', path: `/api/payments/${payment.id}/history` },
        { name: 'pay in cash', method: 'POST', path: `/api/payments/${payment.id}/cash`, json: { receipt: 'BL-0002', ...actor } },
        { name: 'attach a transfer', method: 'POST', path: `/api/transfers/${transferId}/attach`, json: { payment: payment.id, ...actor } },
        {
          name: 'refund a transfer',
          method: 'POST',
          path: `/api/transfers/${transferId}/refund`,
          json: { reference: 'FT-REFUND-1', date: '2026-01-02', ...actor },
        },
        { name: 'reverse an adjustment', method: 'POST', path: `/api/adjustments/${adjustmentId}/reverse`, json: actor },
        { name: 'redeliver a webhook', method: 'POST', path: `/api/webhooks/deliveries/${delivery.id}/redeliver` },
        { name: 'reset a counter', method: 'POST', path: '/api/units/hang-gai/counters/C1/idle' },
        { name: 'the unit’s reconciliation', method: 'GET', path: '/api/reports/reconciliation?unit=hang-gai' },
        { name: 'the unit’s satisfaction', method: 'GET', path: '/api/reports/satisfaction?unit=hang-gai' },
      ];
      for (const route of routes) {
        const init = { method: route.method, key: KEY_B, ...(route.json ? { json: route.json } : {}) };
        const foreign = await gateway.api(route.path, init);
        assert.equal(foreign.status, 404, `${route.name} with another unit's key: ${JSON.stringify(foreign.body)}`);
        assert.equal(foreign.body.error.code, 'NOT_FOUND', route.name);
      }
      // A's own key finds each of them (some actions then conflict with the one before: found all the same).
      for (const route of routes) {
        const own = await gateway.api(route.path, { method: route.method, key: KEY_A, ...(route.json ? { json: route.json } : {}) });
        assert.ok(own.status !== 404 && own.status < 500, `${route.name} with the unit's own key: ${own.status} ${JSON.stringify(own.body)}`);
      }
      // A transfer of B cannot be attached to a payment of A either (the payment is not found).
      const foreignTransfer = await notify(gateway, { account: ACCOUNT_B, amount: 10_000, memo: 'KHONG MA' });
      const idB = (await reconciliation(KEY_B)).transactions.find((t: { transactionId: string }) => t.transactionId === foreignTransfer.id).id;
      const cross = await gateway.api(`/api/transfers/${idB}/attach`, { key: KEY_B, json: { payment: payment.code, ...actor } });
      assert.equal(cross.status, 404);
    });

    it('should list to each key only its unit’s payments, deliveries and events', async () => {
      const a = await pay(KEY_A);
      const b = await pay(KEY_B);
      const list = async (key: string) => (await gateway.api('/api/payments?limit=500', { key })).body.payments.map((p: PaymentResource) => p.id);
      assert.ok((await list(KEY_A)).includes(a.id));
      assert.ok(!(await list(KEY_A)).includes(b.id));
      assert.ok(!(await list(KEY_B)).includes(a.id));
      const deliveries = (await gateway.api('/api/webhooks/deliveries?limit=500', { key: KEY_B })).body.deliveries;
      assert.ok(deliveries.length > 0);
      assert.ok(deliveries.every((d: { unit: string }) => d.unit === 'dong-tam'));
      const events = async (key: string) => {
        const all = [];
        for (let after = '0'; ; ) {
          const page = (await gateway.api(`/api/events?after=${after}&limit=500`, { key })).body;
          all.push(...page.events);
          if (!page.events.length) return all;
          after = page.next;
        }
      };
      const ofB = await events(KEY_B);
      assert.ok(ofB.some((e: { data: { payment?: PaymentResource } }) => e.data.payment?.id === b.id));
      assert.ok(ofB.every((e: { unit: string }) => e.unit === 'dong-tam'));
      assert.ok(!(await events(KEY_A)).some((e: { data: { payment?: PaymentResource } }) => e.data.payment?.id === b.id));
    });

    it('should let a province key read reports only: 403 on every other keyed route', async () => {
      const a = await pay(KEY_A);
      for (const [method, path, json] of [
        ['POST', '/api/payments', { dossier: newDossier(), amount: 1000, purpose: 'x', counter: 'C1' }],
        ['GET', '/api/payments', undefined],
        ['POST', `/api/payments/${a.id}/cancel`, undefined],
        ['GET', '/api/webhooks/deliveries', undefined],
        ['GET', '/api/events', undefined],
        ['POST', '/api/units/hang-gai/counters/C1/idle', undefined],
        ['POST', `/api/payments/${a.id}/cash`, { receipt: 'BL-9', officer: 'CB', reason: 'why' }],
      ] as const) {
        const answer = await gateway.api(path, { method, key: PROVINCE_KEY, ...(json ? { json } : {}) });
        assert.equal(answer.status, 403, `${method} ${path}`);
        assert.equal(answer.body.error.code, 'PROVINCE_KEY_READ_ONLY');
      }
      assert.equal((await gateway.api('/api/reports/reconciliation?unit=dong-tam', { key: PROVINCE_KEY })).status, 200);
      assert.equal((await gateway.api('/api/reports/reconciliation', { key: PROVINCE_KEY })).status, 400);
      assert.equal((await gateway.api('/api/reports/reconciliation?unit=no-such-unit', { key: PROVINCE_KEY })).status, 404);
      assert.equal((await gateway.api('/api/province/reports/reconciliation', { key: KEY_A })).body.error.code, 'PROVINCE_KEY_REQUIRED');
      assert.equal((await gateway.api('/api/province/reports/reconciliation', { key: 'not-a-key-0123456789' })).status, 401);
    });

    it('should never match a unit’s code with money paid into another unit’s account', async () => {
      const a = await pay(KEY_A, { amount: 30_000 });
      const wrong = await notify(gateway, { account: ACCOUNT_B, amount: 30_000, memo: `${a.code} LE PHI` });
      assert.deepEqual([wrong.outcome.outcome, wrong.outcome.reason], ['unmatched', 'unknown_code']);
      assert.equal((await gateway.api(`/api/payments/${a.id}`, { key: null })).body.status, 'pending');
      const inB = (await reconciliation(KEY_B)).unmatched.find((t: { transactionId: string }) => t.transactionId === wrong.id);
      assert.ok(inB, 'the receiving unit lists it as unmatched');
      assert.ok(!(await reconciliation(KEY_A)).transactions.some((t: { transactionId: string }) => t.transactionId === wrong.id));
      // Into A's own account it pays.
      const right = await notify(gateway, { account: ACCOUNT_A, amount: 30_000, memo: `${a.code} LE PHI` });
      assert.equal(right.outcome.outcome, 'matched');
      assert.equal((await gateway.api(`/api/payments/${a.id}`, { key: null })).body.status, 'paid');
    });

    it('should keep money into an account of no unit out of every unit, and in the province’s report', async () => {
      const a = await pay(KEY_A, { amount: 20_000 });
      const stray = await notify(gateway, { account: '999999999999', amount: 20_000, memo: `${a.code}` });
      assert.deepEqual([stray.outcome.outcome, stray.outcome.reason], ['unmatched', 'other_account']);
      for (const key of [KEY_A, KEY_B])
        assert.ok(!(await reconciliation(key)).transactions.some((t: { transactionId: string }) => t.transactionId === stray.id));
      const province = (await gateway.api('/api/province/reports/reconciliation', { key: PROVINCE_KEY })).body;
      assert.ok(province.noUnit.transactions.some((t: { transactionId: string }) => t.transactionId === stray.id));
      assert.equal((await gateway.api(`/api/payments/${a.id}`, { key: null })).body.status, 'pending');
    });

    it('should count the same bank reference in two units’ accounts as two transfers (not a duplicate)', async () => {
      const a = await pay(KEY_A, { amount: 40_000 });
      const b = await pay(KEY_B, { amount: 40_000 });
      const reference = `FT-SAME-${Date.now()}`;
      const first = await notify(gateway, { account: ACCOUNT_A, amount: 40_000, memo: a.code, reference });
      const second = await notify(gateway, { account: ACCOUNT_B, amount: 40_000, memo: b.code, reference });
      assert.equal(first.outcome.outcome, 'matched');
      assert.equal(second.outcome.outcome, 'matched');
      assert.equal((await gateway.api(`/api/payments/${b.id}`, { key: null })).body.status, 'paid');
    });

    it('should keep each unit’s counter C1 apart: its own state, stream, screen key and reset', async () => {
      const screenA = await openSse(`${gateway.url}/api/units/hang-gai/counters/C1/events?key=${SCREEN_A}`);
      const screenB = await openSse(`${gateway.url}/api/units/dong-tam/counters/C1/events?key=${SCREEN_B}`);
      try {
        await screenA.next<CounterState>(() => true);
        const idleB = await screenB.next<CounterState>(() => true);
        const a = await pay(KEY_A, { counter: 'C1' });
        const shown = await screenA.next<CounterState>((s) => s.state === 'payment' && s.payment.id === a.id);
        assert.equal(shown.counterName, 'Quầy 1 Hàng Gai');
        const b = await pay(KEY_B, { counter: 'C1' });
        const shownB = await screenB.next<CounterState>((s) => s.state === 'payment');
        assert.ok(shownB.state === 'payment' && shownB.payment.id === b.id, 'B’s screen saw B’s payment first, never A’s');
        assert.equal(shownB.counterName, 'Quầy 1 Đồng Tâm');
        assert.ok(
          screenB.events.every((e) => !e.data.includes(a.id)),
          'nothing of A on B’s screen',
        );
        assert.notEqual(idleB.version, undefined);
        const readA = await gateway.api('/api/units/hang-gai/counters/C1', { key: null });
        assert.equal(readA.body.payment.id, a.id);
        // A's screen key is not B's counter's.
        assert.equal((await gateway.api(`/api/units/dong-tam/counters/C1?key=${SCREEN_A}`, { key: null })).status, 401);
        assert.equal((await gateway.api('/api/units/no-such-unit/counters/C1', { key: null })).status, 404);
        // A province names the unit: the unit-less counter paths do not guess.
        assert.equal((await gateway.api('/api/counters/C1', { key: null })).status, 404);
        const reset = await gateway.api('/api/units/dong-tam/counters/C1/idle', { method: 'POST', key: KEY_B });
        assert.equal(reset.body.state, 'idle');
        assert.equal((await gateway.api('/api/units/hang-gai/counters/C1', { key: null })).body.state, 'payment', 'A’s C1 untouched');
      } finally {
        screenA.close();
        screenB.close();
      }
    });

    it('should refuse a counter the unit does not list: 400 on writes, 404 on its paths, never a state of its own', async () => {
      const unknown = (answer: { status: number; body: any }, status: number, what: string) => {
        assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.error.code, 'UNKNOWN_COUNTER', what);
        assert.match(answer.body.error.message, /"C9".*"hang-gai"/, `${what} names the counter and the unit`);
      };
      const created = await gateway.api('/api/payments', { key: KEY_A, json: { dossier: newDossier(), amount: 1000, purpose: 'Lệ phí', counter: 'C9' } });
      unknown(created, 400, 'create a payment');
      unknown(await gateway.api('/api/payments?counter=C9', { key: KEY_A }), 400, 'list the counter’s payments');
      assert.equal((await gateway.api('/api/payments?counter=C1', { key: KEY_A })).status, 200, 'list a counter the unit lists');
      unknown(await gateway.api('/api/units/hang-gai/counters/C9/idle', { method: 'POST', key: KEY_A }), 404, 'reset the counter');
      unknown(await gateway.api('/api/units/hang-gai/counters/C9', { key: null }), 404, 'read the counter');
      unknown(await gateway.api('/api/units/hang-gai/counters/C9/events', { key: null }), 404, 'watch the counter');
      const kiosk = {
        surveyId: 'counter',
        unit: 'hang-gai',
        counter: 'C9',
        answers: { attitude: 'satisfied' },
        locale: 'vi',
        submittedAt: new Date().toISOString(),
      };
      unknown(await gateway.api('/api/surveys', { json: kiosk, key: null, headers: { 'idempotency-key': `u-${Date.now()}-c9` } }), 400, 'rate the counter');
      // Another unit's key still learns nothing of hang-gai's counters.
      const foreign = await gateway.api('/api/units/hang-gai/counters/C9/idle', { method: 'POST', key: KEY_B });
      assert.deepEqual([foreign.status, foreign.body.error.code], [404, 'NOT_FOUND']);
      assert.equal((await gateway.api('/api/units/hang-gai/counters/C1', { key: null })).status, 200, 'a counter the unit lists');
    });

    it('should store a rating under its counter’s unit, and report satisfaction per unit and ranked for the province', async () => {
      const screen = await openSse(`${gateway.url}/api/units/dong-tam/counters/C1/events?key=${SCREEN_B}`);
      let token: string;
      try {
        const b = await pay(KEY_B, { counter: 'C1', amount: 15_000 });
        await notify(gateway, { account: ACCOUNT_B, amount: 15_000, memo: b.code });
        const prompt = await screen.next<CounterState>((s) => s.state === 'survey');
        assert.ok(prompt.state === 'survey');
        token = prompt.survey.token;
      } finally {
        screen.close();
      }
      const submittedAt = new Date().toISOString();
      const rate = (body: Record<string, unknown>, key: string) => gateway.api('/api/surveys', { json: body, key: null, headers: { 'idempotency-key': key } });
      assert.equal(
        (await rate({ surveyId: 'counter', token, unit: 'hang-gai', answers: { attitude: 'satisfied' }, locale: 'vi', submittedAt }, `u-${Date.now()}-0`))
          .status,
        400,
      );
      assert.equal(
        (await rate({ surveyId: 'counter', token, answers: { attitude: 'very_satisfied' }, locale: 'vi', submittedAt }, `u-${Date.now()}-1`)).status,
        201,
      );
      // Tokenless (a kiosk of its own): a province needs the unit.
      const kiosk = { surveyId: 'counter', counter: 'C1', answers: { attitude: 'dissatisfied' }, locale: 'vi', submittedAt };
      const unnamed = await rate(kiosk, `u-${Date.now()}-2`);
      assert.equal(unnamed.status, 400);
      assert.match(unnamed.body.error.message, /"unit" is required/);
      assert.equal((await rate({ ...kiosk, unit: 'hang-gai' }, `u-${Date.now()}-3`)).status, 201);

      const ofB = (await gateway.api('/api/reports/satisfaction', { key: KEY_B })).body;
      assert.equal(ofB.unit, 'dong-tam');
      assert.equal(ofB.total, 1);
      assert.equal(ofB.byCounter[0].name, 'Quầy 1 Đồng Tâm');
      const ofA = (await gateway.api('/api/reports/satisfaction', { key: KEY_A })).body;
      assert.equal(ofA.total, 1);
      assert.equal(ofA.byCounter[0].questions.attitude.dissatisfied.count, 1);

      const province = (await gateway.api('/api/province/reports/satisfaction', { key: PROVINCE_KEY })).body;
      assert.deepEqual(
        province.units.map((u: { unit: string; rank: number; score: number }) => [u.rank, u.unit, u.score]),
        [
          [1, 'dong-tam', 100],
          [2, 'hang-gai', 0],
        ],
      );
      assert.deepEqual(province.units[0].indicators.attitude, { indicator: 7, answers: 1, meanPoints: 2, satisfiedPercent: 100 });
      const csv = await gateway.api('/api/province/reports/satisfaction?format=csv', { key: PROVINCE_KEY });
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    });

    it('should reconcile the province: each unit’s totals, the transfers into no unit, and their sums', async () => {
      const report = (await gateway.api('/api/province/reports/reconciliation', { key: PROVINCE_KEY })).body;
      assert.deepEqual(
        report.units.map((u: { unit: string }) => u.unit),
        ['hang-gai', 'dong-tam'],
      );
      for (const unit of report.units) {
        const own = (await gateway.api(`/api/reports/reconciliation?unit=${unit.unit}`, { key: PROVINCE_KEY })).body;
        assert.deepEqual(unit.totals, own.totals, `${unit.unit}: the province shows the unit's own totals`);
      }
      for (const name of Object.keys(report.totals))
        assert.equal(
          report.totals[name],
          report.units.reduce((sum: number, u: { totals: Record<string, number> }) => sum + u.totals[name]!, report.noUnit.totals[name]),
          name,
        );
      const { received, toDeposit, refundOwed, refunded, unmatched, pending } = report.totals;
      assert.equal(received, toDeposit + refundOwed + refunded + unmatched + pending);
      const csv = await fetch(`${gateway.url}/api/province/reports/reconciliation?format=csv`, { headers: { authorization: `Bearer ${PROVINCE_KEY}` } });
      const lines = (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.equal(lines[0]!.split(',').slice(0, 4).join(','), 'kind,unit,name,received');
      assert.deepEqual(
        lines.slice(1).map((line) => line.split(',')[0]),
        ['unit', 'unit', 'no_unit', 'total'],
      );
      assert.equal(lines.at(-1)!.split(',')[3], String(report.totals.received));
    });
  });
}
