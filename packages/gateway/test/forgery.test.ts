// Ratings that cannot be forged (issue 11 item 7) and a client address that X-Forwarded-For cannot
// forge (item 9).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CounterState } from '@motcua/core';
import { configFromEnv } from '../src/config.js';
import { clientAddress, trustedProxyHops } from '../src/server.js';
import { vietnamMonth } from '../src/vietnam-time.js';
import { BACKENDS, SCREEN_KEYS, createPayment, openSse, startTestGateway, type TestGateway } from './helpers.js';

const rating = (counter: string, extra: Record<string, unknown> = {}) => ({
  surveyId: 'counter',
  counter,
  answers: { attitude: 'very_dissatisfied' },
  locale: 'vi',
  submittedAt: new Date().toISOString(),
  ...extra,
});

for (const backend of BACKENDS) {
  describe(`ratings without and with a token on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0, surveyRateLimitPerMinute: 0 });
    });
    after(() => gateway?.close());
    const post = (body: unknown) => gateway.api('/api/surveys', { json: body, key: null, headers: { 'idempotency-key': `forgery-${Math.random()}` } });

    /** Pays a payment at the paired counter C1 and returns the prompt its screen receives. */
    async function paidPrompt(overrides: Record<string, unknown> = {}) {
      const screen = await openSse(`${gateway.url}/api/counters/C1/events?key=${SCREEN_KEYS.C1}`);
      const payment = await createPayment(gateway, { counter: 'C1', officer: 'CB07', procedure: 'Đăng ký khai sinh', ...overrides });
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
      const state = await screen.next<CounterState>((s) => s.state === 'survey' && s.payment?.id === payment.id);
      screen.close();
      assert.ok(state.state === 'survey');
      return { payment, survey: state.survey };
    }

    it("should refuse a tokenless rating naming a dossier or an officer, so nobody can block a citizen's own rating", async () => {
      const { payment, survey } = await paidPrompt();
      const forged = await post(rating('C1', { dossier: payment.dossier }));
      assert.deepEqual([forged.status, forged.body.error.code], [400, 'INVALID_FIELD']);
      assert.match(forged.body.error.message, /"dossier"/);
      const named = await post(rating('C1', { officer: 'CB07' }));
      assert.deepEqual([named.status, named.body.error.code], [400, 'INVALID_FIELD']);
      assert.match(named.body.error.message, /"officer"/);
      // The citizen's real rating still goes in.
      const real = await post(rating('C1', { token: survey.token, dossier: payment.dossier, officer: 'CB07', answers: { attitude: 'very_satisfied' } }));
      assert.equal(real.status, 201);
      // A tokenless rating of the counter alone (a kiosk of its own) stays possible.
      assert.equal((await post(rating('C1'))).status, 201);
    });

    it('should take dossier, officer and procedure from the token only', async () => {
      const officer = `CB${Date.now().toString(36)}`;
      const { payment, survey } = await paidPrompt({ officer, procedure: 'Chứng thực chữ ký' });
      const otherDossier = await post(rating('C1', { token: survey.token, dossier: 'HS-someone-else' }));
      assert.equal(otherDossier.status, 400);
      assert.match(otherDossier.body.error.message, /"dossier"/);
      const otherOfficer = await post(rating('C1', { token: survey.token, officer: 'CB-rival' }));
      assert.equal(otherOfficer.status, 400);
      assert.match(otherOfficer.body.error.message, /"officer"/);
      // A procedure in the body is not part of a submission: ignored, the token's is stored.
      assert.equal((await post(rating('C1', { token: survey.token, procedure: 'Forged procedure' }))).status, 201);
      const report = (await gateway.api(`/api/reports/satisfaction?month=${vietnamMonth()}`)).body;
      assert.equal(report.byOfficer.find((group: { key: string }) => group.key === officer)?.count, 1);
      assert.ok(report.byProcedure.some((group: { key: string }) => group.key === 'Chứng thực chữ ký'));
      assert.ok(!report.byProcedure.some((group: { key: string }) => group.key === 'Forged procedure'));
      assert.equal((await post(rating('C1', { token: survey.token }))).status, 409, `one rating for ${payment.dossier}`);
    });
  });
}

describe('client address behind trusted proxies (MOTCUA_TRUST_PROXY)', () => {
  it('should take the entry the nearest trusted proxy wrote, never a client-written one', () => {
    assert.equal(clientAddress('10.0.0.1', '6.6.6.6, 203.0.113.7', 0), '10.0.0.1');
    assert.equal(clientAddress('10.0.0.1', '6.6.6.6, 203.0.113.7', 1), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7, 10.0.0.1', 2), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.2', ['6.6.6.6', '203.0.113.7, 10.0.0.1'], 2), '203.0.113.7');
    // Fewer entries than hops: the leftmost, which a trusted proxy wrote.
    assert.equal(clientAddress('10.0.0.1', undefined, 1), '10.0.0.1');
    assert.equal(clientAddress('10.0.0.1', '203.0.113.7', 3), '203.0.113.7');
    assert.equal(trustedProxyHops(true), 1);
    assert.equal(trustedProxyHops(false), 0);
    assert.equal(trustedProxyHops(2), 2);
  });

  it('should read MOTCUA_TRUST_PROXY as true (one hop), false or a number of hops', () => {
    assert.equal(trustedProxyHops(configFromEnv({ MOTCUA_TRUST_PROXY: 'true' }).trustProxy), 1);
    assert.equal(trustedProxyHops(configFromEnv({ MOTCUA_TRUST_PROXY: '1' }).trustProxy), 1);
    assert.equal(trustedProxyHops(configFromEnv({ MOTCUA_TRUST_PROXY: '2' }).trustProxy), 2);
    assert.equal(trustedProxyHops(configFromEnv({ MOTCUA_TRUST_PROXY: 'false' }).trustProxy), 0);
    assert.equal(trustedProxyHops(configFromEnv({}).trustProxy), 0);
  });

  for (const [hops, chain] of [
    [true, (forged: string) => `${forged}, 203.0.113.7`],
    [2, (forged: string) => `${forged}, 203.0.113.7, 10.0.0.1`],
  ] as const) {
    it(`should keep the rate limits whatever the client writes into X-Forwarded-For (trustProxy ${hops})`, async () => {
      const gateway = await startTestGateway('PGlite', { trustProxy: hops, rateLimitPerMinute: 5, surveyRateLimitPerMinute: 3 });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 8; i++)
          statuses.push((await gateway.api('/api/payments/nope', { key: null, headers: { 'x-forwarded-for': chain(`198.51.100.${i}`) } })).status);
        assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429, 429]);
        const ratings: number[] = [];
        for (let i = 0; i < 6; i++) {
          const headers = { 'x-forwarded-for': chain(`198.51.100.${i}, 192.0.2.${i}`), 'idempotency-key': `xff-rating-${i}-${Math.random()}` };
          ratings.push((await gateway.api('/api/surveys', { json: rating('X1'), key: null, headers })).status);
        }
        assert.deepEqual(ratings, [201, 201, 201, 429, 429, 429], 'forged ratings are limited too');
        // Another real client (another address written by the trusted proxy) has its own budget.
        const other = hops === true ? '198.51.100.1, 203.0.113.8' : '198.51.100.1, 203.0.113.8, 10.0.0.1';
        assert.equal((await gateway.api('/api/payments/nope', { key: null, headers: { 'x-forwarded-for': other } })).status, 404);
      } finally {
        await gateway.close();
      }
    });
  }
});
