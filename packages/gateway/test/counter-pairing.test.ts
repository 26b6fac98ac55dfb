// The rating token goes to the counter's paired citizen screen only (issue 11 item 8): the public
// counter read — JSON and stream, no credentials, guessable ids — carries nothing usable for rating.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CounterState } from '@motcua/core';
import { configFromEnv } from '../src/config.js';
import { startGateway } from '../src/index.js';
import { BACKENDS, SCREEN_KEYS, baseConfig, createPayment, openSse, pairedScreenUrl, startTestGateway, type TestGateway } from './helpers.js';

for (const backend of BACKENDS) {
  describe(`counter screen pairing on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0, surveyRateLimitPerMinute: 0 });
    });
    after(() => gateway?.close());

    it('should give the rating token to the paired screen only, never to a public reader', async () => {
      const paired = await openSse(pairedScreenUrl(gateway, 'C1'));
      const stranger = await openSse(`${gateway.url}/api/counters/C1/events`);
      const payment = await createPayment(gateway, { counter: 'C1' });
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
      const prompt = await paired.next<CounterState>((s) => s.state === 'survey' && s.payment?.id === payment.id);
      assert.ok(prompt.state === 'survey');
      assert.ok(prompt.survey.token && prompt.survey.phoneUrl?.includes(prompt.survey.token));
      // The stranger hears the same change (same version), as the paid payment: no prompt, no token.
      const seen = await stranger.next<CounterState>((s) => s.version === prompt.version);
      assert.ok(seen.state === 'payment');
      assert.equal(seen.payment.id, payment.id);
      assert.equal(seen.payment.status, 'paid');
      const polled = await gateway.api('/api/counters/C1', { key: null });
      assert.deepEqual(polled.body, seen);
      // A stream opened now (the channel's latest state is cached in memory) is redacted too.
      const late = await openSse(`${gateway.url}/api/counters/C1/events`);
      assert.equal((await late.next<CounterState>()).state, 'payment');
      for (const text of [...stranger.events.map((e) => e.data), ...late.events.map((e) => e.data), JSON.stringify(polled.body)]) {
        assert.ok(!text.includes(prompt.survey.token), 'no token in the public read');
        assert.doesNotMatch(text, /"survey"|phoneUrl|token/);
      }
      // The paired screen polls with the key in a header or the query.
      const pairedPoll = await gateway.api('/api/counters/C1', { key: null, headers: { 'x-screen-key': SCREEN_KEYS.C1! } });
      assert.equal(pairedPoll.body.survey.token, prompt.survey.token);
      // What the public read shows is useless for rating: with it alone, a rating cannot name the dossier.
      const guess = await gateway.api('/api/surveys', {
        json: {
          surveyId: 'counter',
          counter: 'C1',
          dossier: seen.payment.dossier,
          answers: { attitude: 'very_dissatisfied' },
          locale: 'vi',
          submittedAt: new Date().toISOString(),
        },
        key: null,
        headers: { 'idempotency-key': `guess-${payment.id}` },
      });
      assert.equal(guess.status, 400);
      for (const stream of [paired, stranger, late]) stream.close();
    });

    it("should refuse a wrong key, another counter's key and a key for an unpaired counter (401)", async () => {
      for (const path of [
        `/api/counters/C1?key=${'x'.repeat(24)}`,
        `/api/counters/C1?key=${SCREEN_KEYS.Q1}`,
        `/api/counters/NOKEY?key=${SCREEN_KEYS.C1}`,
        '/api/counters/C1?key=',
        `/api/counters/C1/events?key=${SCREEN_KEYS.Q1}`,
      ]) {
        const answer = await gateway.api(path, { key: null });
        assert.deepEqual([answer.status, answer.body.error?.code], [401, 'INVALID_SCREEN_KEY'], path);
      }
      const header = await gateway.api('/api/counters/C1', { key: null, headers: { 'x-screen-key': SCREEN_KEYS.Q1! } });
      assert.equal(header.status, 401);
    });
  });
}

describe('screen keys configuration', () => {
  it('should read MOTCUA_SCREEN_KEYS as counter=key pairs', () => {
    assert.deepEqual(configFromEnv({ MOTCUA_SCREEN_KEYS: 'C1=k1-0123456789abcdef, C2=k2-0123456789abcdef' }).screenKeys, {
      C1: 'k1-0123456789abcdef',
      C2: 'k2-0123456789abcdef',
    });
  });

  it('should refuse to start with a short or unsafe screen key, naming the variable', async () => {
    for (const key of ['short', 'has space in it 0123456789', 'with&amp;0123456789abcdef']) {
      await assert.rejects(startGateway(baseConfig({ screenKeys: { C1: key } })), /MOTCUA_SCREEN_KEYS/);
    }
  });
});
