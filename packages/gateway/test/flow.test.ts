import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CounterState, SurveySubmission } from '@motcua/core';
import { vietnamMonth, vietnamToday } from '../src/vietnam-time.js';
import { BACKENDS, SCREEN_KEYS, createPayment, openSse, pairedScreenUrl, sleep, startTestGateway, type TestGateway } from './helpers.js';

for (const backend of BACKENDS) {
  describe(`live status, counter channel, surveys and reports on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(backend.name, {
        rateLimitPerMinute: 0,
        surveyRateLimitPerMinute: 0,
        heartbeatMs: 200,
        sseRetryMs: 2500,
        surveyScreenMs: 60_000,
      });
    });
    after(() => gateway?.close());

    it('should stream payment events with ids, retry and heartbeats, and honour Last-Event-ID', async () => {
      const payment = await createPayment(gateway, { amount: 60_000, counter: 'S1' });
      const stream = await openSse(`${gateway.url}/api/payments/${payment.id}/events`, { origin: 'https://portal.example.vn' });
      assert.match(stream.response.headers.get('content-type')!, /^text\/event-stream/);
      assert.equal(stream.response.headers.get('access-control-allow-origin'), 'https://portal.example.vn');
      const first = await stream.next();
      assert.equal(first.status, 'pending');
      assert.equal(stream.events[0]!.event, 'payment');
      assert.equal(stream.events[0]!.id, String(first.version));
      assert.equal(stream.retry, 2500);
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id, amount: 10_000 } });
      const underpaid = await stream.next();
      assert.deepEqual([underpaid.status, underpaid.amountPaid, underpaid.version], ['underpaid', 10_000, first.version + 1]);
      await stream.waitFor(() => stream.comments.includes(': heartbeat'), 2_000);
      stream.close();

      // Reconnecting with the latest id: nothing to resend until something changes.
      const resumed = await openSse(`${gateway.url}/api/payments/${payment.id}/events`, { 'last-event-id': String(underpaid.version) });
      await sleep(150);
      assert.equal(resumed.events.length, 0);
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id, amount: 50_000 } });
      const paid = await resumed.next();
      assert.deepEqual([paid.status, paid.version], ['paid', underpaid.version + 1]);
      resumed.close();
      // Reconnecting with an older id: the current state at once.
      const behind = await openSse(`${gateway.url}/api/payments/${payment.id}/events`, { 'last-event-id': String(first.version) });
      assert.equal((await behind.next()).status, 'paid');
      behind.close();
    });

    it('should send a ping event without an id on the payment and counter streams at the heartbeat interval', async () => {
      const payment = await createPayment(gateway, { amount: 20_000, counter: 'P1' });
      const streams = [
        await openSse(`${gateway.url}/api/payments/${payment.id}/events`),
        await openSse(`${gateway.url}/api/counters/P${Date.now().toString(36)}/events`),
      ];
      for (const stream of streams) {
        await stream.next();
        const before = Date.now();
        // heartbeatMs is 200 (the default 15 s would send none within the wait): two pings, their server
        // times an interval apart — a loaded host may stretch it, never to the default's 15 s.
        await stream.waitFor(() => stream.pings.length >= 2, 10_000);
        const [ping, next] = stream.pings.map((event) => ({ id: event.id, ...(JSON.parse(event.data) as { t: number }) }));
        assert.deepEqual([ping!.id, next!.id], [undefined, undefined]);
        assert.equal(typeof ping!.t, 'number');
        assert.ok(Math.abs(ping!.t - before) < 5_000, `t is the server's clock in ms (${ping!.t})`);
        assert.ok(next!.t - ping!.t >= 150 && next!.t - ping!.t < 5_000, `pings at ${ping!.t} and ${next!.t}`);
        stream.close();
      }
    });

    it('should walk the counter screen idle → payment → survey → idle after the rating', async () => {
      const counter = 'K1';
      const screen = await openSse(pairedScreenUrl(gateway, counter));
      const idle = await screen.next<CounterState>();
      assert.equal(idle.state, 'idle');
      assert.equal(screen.events[0]!.event, 'counter');
      const payment = await createPayment(gateway, { counter, amount: 45_000, officer: 'CB07', procedure: 'Chứng thực bản sao' });
      const showing = await screen.next<CounterState>((s) => s.state === 'payment');
      assert.ok(showing.state === 'payment');
      assert.equal(showing.payment.id, payment.id);
      assert.equal(showing.paymentSrc, `/api/payments/${payment.id}`);
      assert.ok(showing.version > idle.version);
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id, provider: 'sepay' } });
      const prompt = await screen.next<CounterState>((s) => s.state === 'survey');
      assert.ok(prompt.state === 'survey');
      assert.equal(prompt.payment!.status, 'paid');
      assert.equal(prompt.survey.endpoint, '/api/surveys');
      assert.equal(prompt.survey.counter, counter);
      assert.equal(prompt.survey.officer, 'CB07');
      assert.ok(prompt.survey.phoneUrl!.startsWith('/survey.html?token='));
      assert.ok(Date.parse(prompt.survey.expiresAt) > Date.now());

      const submission: SurveySubmission = {
        surveyId: prompt.survey.surveyId,
        counter,
        token: prompt.survey.token,
        answers: { attitude: 'very_satisfied' },
        locale: 'vi',
        submittedAt: new Date().toISOString(),
      };
      const stored = await gateway.api('/api/surveys', { json: submission, key: null, headers: { 'idempotency-key': 'rating-key-0001-flow' + counter } });
      assert.equal(stored.status, 201);
      assert.equal(typeof stored.body.id, 'string');
      const back = await screen.next<CounterState>((s) => s.state === 'idle');
      assert.ok(back.version > prompt.version);
      screen.close();
      // Polling fallback: the same state as JSON.
      const polled = await gateway.api(`/api/counters/${counter}?key=${SCREEN_KEYS[counter]}`, { key: null });
      assert.equal(polled.body.state, 'idle');
      assert.equal(polled.body.version, back.version);
    });

    it('should keep showing the newer payment when an older one of the same counter gets paid', async () => {
      const older = await createPayment(gateway, { counter: 'N2' });
      const newer = await createPayment(gateway, { counter: 'N2' });
      await gateway.api('/dev/bank/transfer', { json: { paymentId: older.id } });
      assert.equal((await gateway.api(`/api/payments/${older.id}`, { key: null })).body.status, 'paid');
      const screen = (await gateway.api('/api/counters/N2', { key: null })).body;
      assert.equal(screen.state, 'payment');
      assert.equal(screen.payment.id, newer.id);
    });

    it('should reset a counter screen on POST /api/counters/:counter/idle (API key)', async () => {
      const payment = await createPayment(gateway, { counter: 'R1' });
      assert.equal((await gateway.api('/api/counters/R1', { key: null })).body.payment.id, payment.id);
      assert.equal((await gateway.api('/api/counters/R1/idle', { method: 'POST', key: null })).status, 401);
      const reset = await gateway.api('/api/counters/R1/idle', { method: 'POST' });
      assert.equal(reset.status, 200);
      assert.equal(reset.body.state, 'idle');
      assert.equal(reset.body.counterName, undefined);
      assert.equal((await gateway.api('/api/counters/C1', { key: null })).body.counterName, 'Quầy 1');
    });

    it('should store a rating once per Idempotency-Key, 422 on another body, 409 on a second rating of the dossier', async () => {
      const payment = await createPayment(gateway, { counter: 'Q1', officer: 'CB09' });
      const screen = await openSse(pairedScreenUrl(gateway, 'Q1'));
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
      const prompt = await screen.next<CounterState>((s) => s.state === 'survey' && s.payment?.id === payment.id);
      screen.close();
      assert.ok(prompt.state === 'survey');
      const submission: SurveySubmission = {
        surveyId: 'counter',
        counter: 'Q1',
        token: prompt.survey.token,
        answers: { attitude: 'satisfied' },
        comment: 'Cán bộ nhiệt tình',
        locale: 'vi',
        submittedAt: new Date().toISOString(),
      };
      const post = (body: unknown, key: string) => gateway.api('/api/surveys', { json: body, key: null, headers: { 'idempotency-key': key } });
      const first = await post(submission, `idem-${payment.id}`);
      assert.equal(first.status, 201);
      const repeat = await post({ ...submission }, `idem-${payment.id}`);
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body, first.body);
      const changed = await post({ ...submission, answers: { attitude: 'dissatisfied' } }, `idem-${payment.id}`);
      assert.equal(changed.status, 422);
      assert.equal(changed.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
      const second = await post({ ...submission, answers: { attitude: 'dissatisfied' } }, `idem2-${payment.id}`);
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'ALREADY_RATED');
      // Without the token a rating may not name the dossier at all (issue 11: nobody can rate someone else's).
      const { token: _token, ...tokenless } = submission;
      assert.equal((await post({ ...tokenless, dossier: payment.dossier }, `idem3-${payment.id}`)).status, 400);
    });

    it('should refuse forged or mismatched tokens, missing keys and bad bodies', async () => {
      const base: SurveySubmission = {
        surveyId: 'counter',
        counter: 'Q2',
        answers: { overall: 'satisfied' },
        locale: 'vi',
        submittedAt: new Date().toISOString(),
      };
      const post = (body: unknown, key: string | null = `k-${Math.random()}`) =>
        gateway.api('/api/surveys', { json: body, key: null, headers: key ? { 'idempotency-key': key } : {} });
      assert.equal((await post({ ...base, token: 'eyJ0aWQiOiJ4In0.deadbeef' })).status, 401);
      assert.equal((await post(base, null)).body.error.code, 'IDEMPOTENCY_KEY_REQUIRED');
      for (const bad of [
        { ...base, answers: {} },
        { ...base, answers: 'good' },
        { ...base, counter: 5 },
        { ...base, submittedAt: 'yesterday' },
        { ...base, answers: { q: '' } },
      ]) {
        assert.equal((await post(bad)).status, 400, JSON.stringify(bad));
      }
      const malformed = await gateway.api('/api/surveys', { method: 'POST', body: '{', key: null, headers: { 'idempotency-key': 'malformed-0001' } });
      assert.equal(malformed.status, 400);
      // A kiosk rating without a token is accepted (no dossier to protect).
      assert.equal((await post(base)).status, 201);
    });

    it('should never store contact details', async () => {
      const body = {
        surveyId: 'counter',
        counter: 'PRIV',
        answers: { overall: 'dissatisfied' },
        contact: '0912345678',
        locale: 'en',
        submittedAt: new Date().toISOString(),
      };
      const stored = await gateway.api('/api/surveys', { json: body, key: null, headers: { 'idempotency-key': `priv-${Date.now()}` } });
      assert.equal(stored.status, 201);
      const rows = await gateway.api(`/api/reports/satisfaction?month=${vietnamMonth()}&format=csv`);
      assert.doesNotMatch(rows.body, /0912345678/);
    });

    it('should report reconciliation and satisfaction as JSON and CSV', async () => {
      const payment = await createPayment(gateway, { counter: 'REP', amount: 70_000, officer: 'CB11', procedure: 'Đăng ký kết hôn' });
      const screen = await openSse(pairedScreenUrl(gateway, 'REP'));
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id, amount: 100_000 } });
      await gateway.api('/dev/bank/transfer', { json: { memo: '=HYPERLINK("x") no code', amount: 5_000 } });
      const prompt = await screen.next<CounterState>((s) => s.state === 'survey');
      screen.close();
      assert.ok(prompt.state === 'survey');
      await gateway.api('/api/surveys', {
        json: {
          surveyId: 'counter',
          counter: 'REP',
          token: prompt.survey.token,
          answers: { attitude: 'very_satisfied', convenience: 'satisfied' },
          locale: 'vi',
          submittedAt: new Date().toISOString(),
        },
        key: null,
        headers: { 'idempotency-key': `rep-${payment.id}` },
      });
      // A tokenless rating rates the counter only (it may not name an officer).
      await gateway.api('/api/surveys', {
        json: { surveyId: 'counter', counter: 'REP', answers: { attitude: 'dissatisfied' }, locale: 'vi', submittedAt: new Date().toISOString() },
        key: null,
        headers: { 'idempotency-key': `rep2-${payment.id}` },
      });

      const recon = await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`);
      assert.equal(recon.status, 200);
      const row = recon.body.payments.find((p: { id: string }) => p.id === payment.id);
      assert.equal(row.status, 'paid');
      assert.equal(row.transactions[0].amount, 100_000);
      assert.equal(row.transactions[0].surplus, 30_000);
      const { totals } = recon.body;
      // Matched money on open or closed payments is pending or owed back, never deposited.
      assert.ok(totals.toDeposit <= totals.matched - totals.surplus);
      assert.equal(totals.received, totals.toDeposit + totals.refundOwed + totals.unmatched + totals.pending);
      assert.deepEqual([row.transactions[0].class, row.transactions[0].toDeposit, row.transactions[0].refundOwed], ['fee_paid', 70_000, 30_000]);
      assert.ok(recon.body.unmatched.some((tx: { memo: string }) => tx.memo.startsWith('=HYPERLINK')));

      const csv = await gateway.api(`/api/reports/reconciliation?date=${vietnamToday()}`, { headers: { accept: 'text/csv' } });
      assert.match(csv.headers.get('content-type')!, /^text\/csv/);
      assert.match(csv.body, /kind,payment_code,dossier/);
      assert.match(csv.body, new RegExp(`payment,${payment.code},`));
      assert.match(csv.body, /'=HYPERLINK/, 'formula cells are neutralised');
      assert.match(csv.body, /total,toDeposit,/);

      const sat = await gateway.api(`/api/reports/satisfaction?month=${vietnamMonth()}`);
      assert.equal(sat.status, 200);
      const rep = sat.body.byCounter.find((g: { key: string }) => g.key === 'REP');
      assert.equal(rep.count, 2);
      assert.deepEqual(rep.questions.attitude, { very_satisfied: { count: 1, percent: 50 }, dissatisfied: { count: 1, percent: 50 } });
      assert.deepEqual(rep.questions.convenience, { satisfied: { count: 1, percent: 100 } }, 'unanswered questions are not counted');
      const officer = sat.body.byOfficer.find((g: { key: string }) => g.key === 'CB11');
      assert.equal(officer.count, 1);
      const procedure = sat.body.byProcedure.find((g: { key: string }) => g.key === 'Đăng ký kết hôn');
      assert.equal(procedure.count, 1);
      const satCsv = await gateway.api(`/api/reports/satisfaction?month=${vietnamMonth()}&format=csv`);
      assert.match(satCsv.body, /counter,REP,2,attitude,very_satisfied,1,50/);
      assert.equal((await gateway.api('/api/reports/satisfaction?month=2026-13')).status, 400);
      assert.equal((await gateway.api('/api/reports/reconciliation?date=22/11/2026')).status, 400);
    });

    it('should return the survey screen to idle after its timeout', async () => {
      const quick = await startTestGateway('PGlite', { surveyScreenMs: 300, sweepIntervalMs: 100 });
      try {
        const payment = await createPayment(quick, { counter: 'T1' });
        const screen = await openSse(pairedScreenUrl(quick, 'T1'));
        await quick.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
        await screen.next<CounterState>((s) => s.state === 'survey');
        await screen.next<CounterState>((s) => s.state === 'idle', 3_000);
        screen.close();
      } finally {
        await quick.close();
      }
    });
  });
}
