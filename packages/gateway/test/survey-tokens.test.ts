import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeQr } from '@motcua/core/qr';
import type { CounterState, SurveySubmission } from '@motcua/core';
import { openDatabase, type Database } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { migrate } from '../src/schema.js';
import { Store } from '../src/store.js';
import { checkSurveyToken, issueSurveyToken, signSurveyToken, SURVEY_TOKEN_PATTERN, surveyTokenId } from '../src/survey-token.js';
import { vietnamMonth } from '../src/vietnam-time.js';
import { BACKENDS, createPayment, openSse, pairedScreenUrl, sleep, startTestGateway, throwawayDatabase, type TestGateway } from './helpers.js';

const BASE_URL = 'https://motcua.hoankiem.hanoi.gov.vn';
const SECRET = 'survey-secret';

/** Pays a new payment of `counter` and returns the survey prompt its screen shows. */
async function surveyPrompt(gateway: TestGateway, counter: string, overrides: Record<string, unknown> = {}) {
  const screen = await openSse(pairedScreenUrl(gateway, counter));
  const payment = await createPayment(gateway, { counter, ...overrides });
  await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
  const state = await screen.next<CounterState>((s) => s.state === 'survey' && s.payment?.id === payment.id);
  screen.close();
  assert.ok(state.state === 'survey');
  return { payment, survey: state.survey };
}

const rating = (counter: string, token: string | undefined, extra: Partial<SurveySubmission> = {}): SurveySubmission => ({
  surveyId: 'counter',
  counter,
  ...(token ? { token } : {}),
  answers: { attitude: 'satisfied' },
  locale: 'vi',
  submittedAt: new Date().toISOString(),
  ...extra,
});

for (const backend of BACKENDS) {
  describe(`short survey tokens on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    let shortLived: TestGateway;
    let noLateWindow: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0, surveyRateLimitPerMinute: 0, publicBaseUrl: BASE_URL });
      shortLived = await startTestGateway(backend.name, { rateLimitPerMinute: 0, surveyRateLimitPerMinute: 0, surveyTokenTtlSeconds: 1 });
      noLateWindow = await startTestGateway(backend.name, {
        rateLimitPerMinute: 0,
        surveyRateLimitPerMinute: 0,
        surveyTokenTtlSeconds: 1,
        surveyLateWindowSeconds: 0,
      });
    });
    after(async () => {
      await gateway?.close();
      await shortLived?.close();
      await noLateWindow?.close();
    });
    const post = (target: TestGateway, body: unknown, key = `k-${Math.random()}`) =>
      target.api('/api/surveys', { json: body, key: null, headers: { 'idempotency-key': key } });

    it('should issue a 22-character URL-safe token, different each time, whose phone QR is version 5 or less', async () => {
      const { survey } = await surveyPrompt(gateway, 'T1', {
        dossier: 'HS-000.00.21.H26-260512-0001',
        officer: 'CB07',
        procedure: 'Cấp bản sao trích lục hộ tịch',
      });
      assert.match(survey.token, SURVEY_TOKEN_PATTERN);
      assert.equal(survey.phoneUrl, `${BASE_URL}/survey.html?token=${survey.token}`);
      assert.ok(encodeQr(survey.phoneUrl!).version <= 5, `QR version ${encodeQr(survey.phoneUrl!).version}`);
      const other = await surveyPrompt(gateway, 'T1');
      assert.notEqual(other.survey.token, survey.token);
    });

    it('should accept a token once, for its counter and dossier only, and keep the 201/200/422/409 behaviour', async () => {
      const { payment, survey } = await surveyPrompt(gateway, 'T2', { officer: 'CB09' });
      assert.equal((await post(gateway, rating('T3', survey.token))).body.error.code, 'INVALID_FIELD');
      assert.equal((await post(gateway, rating('T2', survey.token, { dossier: 'HS-someone-else' }))).status, 400);
      const key = `short-${payment.id}`;
      const body = rating('T2', survey.token);
      const first = await post(gateway, body, key);
      assert.equal(first.status, 201);
      const repeat = await post(gateway, { ...body }, key);
      assert.deepEqual([repeat.status, repeat.body], [200, first.body]);
      assert.equal((await post(gateway, { ...body, answers: { attitude: 'dissatisfied' } }, key)).status, 422);
      const again = await post(gateway, rating('T2', survey.token, { answers: { attitude: 'dissatisfied' } }));
      assert.deepEqual([again.status, again.body.error.code], [409, 'ALREADY_RATED']);
    });

    it('should refuse unknown and malformed tokens with 401 INVALID_TOKEN', async () => {
      for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', 'x'.repeat(23), 'AAAAAAAAAAAAAAAAAAAA+/', 'eyJ0aWQiOiJ4In0.deadbeef']) {
        const answer = await post(gateway, rating('T4', token));
        assert.deepEqual([answer.status, answer.body.error.code], [401, 'INVALID_TOKEN'], token);
      }
      // A real token with one character changed is unknown too.
      const { survey } = await surveyPrompt(gateway, 'T4');
      const flipped = survey.token.slice(0, -1) + (survey.token.endsWith('A') ? 'B' : 'A');
      assert.equal((await post(gateway, rating('T4', flipped))).body.error.code, 'INVALID_TOKEN');
    });

    it('should refuse an expired token with 401 TOKEN_EXPIRED', async () => {
      const { survey } = await surveyPrompt(shortLived, 'T5');
      await sleep(2_100);
      const answer = await post(shortLived, rating('T5', survey.token));
      assert.deepEqual([answer.status, answer.body.error.code], [401, 'TOKEN_EXPIRED']);
    });

    it('should stop taking a token exactly when its prompt says (expiresAt), not up to a second earlier', async () => {
      const prompt = await surveyPrompt(shortLived, 'T10');
      const expiresAt = Date.parse(prompt.survey.expiresAt);
      // Made a millisecond before the expiry the screen and the phone page were given; it arrives late.
      await sleep(Math.max(0, expiresAt - Date.now()) + 200);
      const answer = await post(shortLived, rating('T10', prompt.survey.token, { submittedAt: new Date(expiresAt - 1).toISOString() }));
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
    });

    it('should accept a rating made before its token expired and queued through an outage, once; refuse one made after, from the future, or past the window', async () => {
      // "Made in time" is half a second before the token's own expiry (a 1 s lifetime), read from the
      // prompt: not the test's clock when the prompt arrived, which a loaded machine (CI's Node 24 run
      // alongside the browsers) delivered more than a second after the token was issued.
      const madeInTime = (prompt: { survey: { expiresAt: string } }) => new Date(Date.parse(prompt.survey.expiresAt) - 500).toISOString();
      const queued = await surveyPrompt(shortLived, 'T7');
      const [after, future, beyond] = await Promise.all([surveyPrompt(shortLived, 'T8'), surveyPrompt(shortLived, 'T9'), surveyPrompt(noLateWindow, 'T7')]);
      await sleep(2_100);
      // The widget queued it while the token was valid; it arrives after the expiry, without the counter (the token names it).
      const { counter: _omitted, ...body } = rating('T7', queued.survey.token, { submittedAt: madeInTime(queued) });
      const late = await post(shortLived, body);
      assert.equal(late.status, 201, JSON.stringify(late.body));
      const stored = await shortLived.api(`/api/reports/satisfaction?month=${vietnamMonth()}`);
      assert.deepEqual(
        stored.body.byCounter.filter((group: { key: string }) => group.key === 'T7').map((group: { key: string; count: number }) => [group.key, group.count]),
        [['T7', 1]],
      );
      assert.deepEqual((await post(shortLived, body)).body.error.code, 'ALREADY_RATED');
      // Made after the expiry: the token no longer vouched for it.
      assert.deepEqual(
        [(await post(shortLived, rating('T8', after.survey.token))).status, (await post(shortLived, rating('T8', after.survey.token))).body.error.code],
        [401, 'TOKEN_EXPIRED'],
      );
      // A forged submittedAt in the future is refused too.
      const forged = await post(shortLived, rating('T9', future.survey.token, { submittedAt: new Date(Date.now() + 3_600_000).toISOString() }));
      assert.deepEqual([forged.status, forged.body.error.code], [401, 'TOKEN_EXPIRED']);
      // Past the late-rating window (0 here), even a rating made in time is refused.
      const tooLate = await post(noLateWindow, rating('T7', beyond.survey.token, { submittedAt: madeInTime(beyond) }));
      assert.deepEqual([tooLate.status, tooLate.body.error.code], [401, 'TOKEN_EXPIRED']);
    });

    it('should take the counter from the token when the body leaves it out, and require it without a token', async () => {
      const { survey } = await surveyPrompt(gateway, 'T8');
      const { counter: _omitted, ...body } = rating('T8', survey.token);
      assert.equal((await post(gateway, body)).status, 201);
      const { counter: _none, ...tokenless } = rating('T8', undefined);
      const refused = await post(gateway, tokenless);
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'INVALID_FIELD']);
      assert.match(refused.body.error.message, /"counter"/);
    });

    it('should still accept a signed long token issued before the change, once, until it expires', async () => {
      const { payment } = await surveyPrompt(gateway, 'T6');
      const exp = Math.floor(Date.now() / 1000) + 600;
      const legacy = signSurveyToken({ counter: 'T6', dossier: payment.dossier, exp }, SECRET).token;
      assert.equal((await post(gateway, rating('T6', legacy))).status, 201);
      assert.equal((await post(gateway, rating('T6', legacy))).status, 409);
      const expired = signSurveyToken({ counter: 'T6', dossier: 'HS-legacy-expired', exp: Math.floor(Date.now() / 1000) - 1 }, SECRET).token;
      assert.equal((await post(gateway, rating('T6', expired))).body.error.code, 'TOKEN_EXPIRED');
      const forged = signSurveyToken({ counter: 'T6', dossier: 'HS-legacy-forged', exp }, 'another-secret').token;
      assert.equal((await post(gateway, rating('T6', forged))).body.error.code, 'INVALID_TOKEN');
    });
  });

  describe(`survey_tokens table on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    let drop: (() => Promise<void>) | undefined;
    before(async () => {
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      drop = database?.drop;
      db = await openDatabase({ ...(database ? { databaseUrl: database.url } : {}), dataDir: 'memory://', poolSize: 2, log: createLogger('silent') });
      await migrate(db);
    });
    after(async () => {
      await db?.close();
      await drop?.();
    });

    it('should store the claims keyed by the SHA-256 of the token, never the token itself', async () => {
      const exp = Math.floor(Date.now() / 1000) + 60;
      const { token, claims } = await db.transaction((tx) =>
        issueSurveyToken(tx, { unit: 'default', counter: 'C9', dossier: 'HS-1', officer: 'CB1', procedure: 'P', exp }),
      );
      assert.equal(claims.tid, surveyTokenId(token));
      const rows = await db.query('SELECT * FROM survey_tokens');
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(token));
      assert.deepEqual(await checkSurveyToken(db, token, SECRET), {
        ok: true,
        claims: { tid: claims.tid, unit: 'default', counter: 'C9', dossier: 'HS-1', officer: 'CB1', procedure: 'P', exp },
      });
      assert.deepEqual(await checkSurveyToken(db, token, SECRET, (exp + 1) * 1000), { ok: false, reason: 'TOKEN_EXPIRED' });
      // A token whose transaction rolled back does not exist.
      let lost = '';
      await assert.rejects(
        db.transaction(async (tx) => {
          lost = (await issueSurveyToken(tx, { unit: 'default', counter: 'C9', exp })).token;
          throw new Error('rollback');
        }),
      );
      assert.deepEqual(await checkSurveyToken(db, lost, SECRET), { ok: false, reason: 'INVALID_TOKEN' });
    });

    it('should let an expired token vouch only for a rating made while it was valid, within the late window', async () => {
      const exp = Math.floor(Date.now() / 1000) + 60;
      const { token } = await db.transaction((tx) => issueSurveyToken(tx, { unit: 'default', counter: 'C7', exp }));
      const week = 7 * 86_400_000;
      const made = exp * 1000 - 30_000;
      const anHourLate = exp * 1000 + 3_600_000;
      assert.equal((await checkSurveyToken(db, token, SECRET, anHourLate, { submittedAt: made, windowMs: week })).ok, true);
      assert.equal((await checkSurveyToken(db, token, SECRET, anHourLate, { submittedAt: exp * 1000, windowMs: week })).ok, true);
      const refused = { ok: false, reason: 'TOKEN_EXPIRED' };
      assert.deepEqual(await checkSurveyToken(db, token, SECRET, anHourLate), refused);
      assert.deepEqual(
        await checkSurveyToken(db, token, SECRET, anHourLate, { submittedAt: exp * 1000 + 1_000, windowMs: week }),
        refused,
        'made after the expiry',
      );
      assert.deepEqual(
        await checkSurveyToken(db, token, SECRET, anHourLate, { submittedAt: Date.now() - 3_600_000, windowMs: week }),
        refused,
        'made before the token was issued',
      );
      assert.deepEqual(
        await checkSurveyToken(db, token, SECRET, exp * 1000 + week + 1_000, { submittedAt: made, windowMs: week }),
        refused,
        'beyond the window',
      );
      assert.deepEqual(
        await checkSurveyToken(db, token, SECRET, exp * 1000 + 1_000, { submittedAt: exp * 1000 + 2_000, windowMs: week }),
        refused,
        'from the future',
      );
    });

    it('should delete tokens a week past their expiry on sweep, and keep the others', async () => {
      const now = Math.floor(Date.now() / 1000);
      const old = await db.transaction((tx) => issueSurveyToken(tx, { unit: 'default', counter: 'C8', exp: now - 8 * 86_400 }));
      const recent = await db.transaction((tx) => issueSurveyToken(tx, { unit: 'default', counter: 'C8', exp: now - 86_400 }));
      const store = new Store(db, {
        units: [{ id: 'default', account: { bin: '970415', account: '1', accountName: 'X' }, counters: {} }],
        surveyTokenSecret: SECRET,
        surveyTokenTtlSeconds: 60,
        surveyScreenMs: 1_000,
        expiredScreenMs: 1_000,
        onCommit: () => {},
      });
      await store.sweep();
      assert.equal((await checkSurveyToken(db, old.token, SECRET)).ok, false);
      assert.deepEqual(await checkSurveyToken(db, old.token, SECRET), { ok: false, reason: 'INVALID_TOKEN' });
      assert.deepEqual(await checkSurveyToken(db, recent.token, SECRET), { ok: false, reason: 'TOKEN_EXPIRED' });
    });
  });
}
