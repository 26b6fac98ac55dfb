// Bad input gets a 4xx naming the field, never a 500: the inputs of issue 11 item 14, then a table of
// hostile bodies and queries over every keyed and public route.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createPayment, startTestGateway, type TestGateway } from './helpers.js';

const rating = (extra: Record<string, unknown> = {}) => ({
  surveyId: 'counter',
  counter: 'H1',
  answers: { attitude: 'satisfied' },
  locale: 'vi',
  submittedAt: new Date().toISOString(),
  ...extra,
});

/** Bodies no route should choke on. */
const HOSTILE_BODIES: Array<[string, string]> = [
  ['malformed JSON', '{"dossier":'],
  ['empty body', ''],
  ['JSON null', 'null'],
  ['JSON array', '[1,2,3]'],
  ['JSON string', '"x"'],
  ['huge number', '{"amount":1e308,"expiresIn":1e308,"limit":1e308}'],
  ['beyond 2^64', '{"amount":18446744073709551617,"expiresIn":-18446744073709551617}'],
  ['wrong types', '{"dossier":{"$gt":""},"amount":"12abc","purpose":[1],"counter":true,"answers":[["a","b"]],"submittedAt":5}'],
  [
    'NUL everywhere',
    JSON.stringify({
      dossier: 'A\u0000B',
      amount: 1000,
      purpose: '\u0000',
      counter: 'C1',
      officer: '\u0000',
      procedure: '\u0000',
      surveyId: '\u0000',
      answers: { '\u0000': '\u0000' },
      locale: '\u0000',
      submittedAt: new Date().toISOString(),
      comment: '\u0000',
      paymentId: '\u0000',
      code: '\u0000',
      memo: 'MC\u0000',
      transactionId: '\u0000',
    }),
  ],
  [
    'lone surrogates',
    JSON.stringify({
      dossier: 'A\uD800',
      amount: 1000,
      purpose: '\uDC00x',
      counter: 'C1',
      surveyId: 'counter',
      answers: { q: '\uD800' },
      locale: 'vi',
      submittedAt: new Date().toISOString(),
      comment: 'x\uDFFF',
      memo: '\uD800',
    }),
  ],
  [
    'control characters',
    JSON.stringify({
      dossier: 'A\u001bB',
      amount: 1000,
      purpose: 'x\u0007',
      counter: 'C1\n',
      surveyId: 'c\r',
      answers: { q: 'a\u0008' },
      locale: 'v\u007f',
      submittedAt: new Date().toISOString(),
      comment: '\u001b[31m',
    }),
  ],
  [
    'overlong strings',
    JSON.stringify({
      dossier: 'D'.repeat(5000),
      amount: 1000,
      purpose: 'P'.repeat(5000),
      counter: 'C'.repeat(5000),
      surveyId: 's'.repeat(5000),
      answers: { ['q'.repeat(5000)]: 'a'.repeat(5000) },
      locale: 'l'.repeat(5000),
      submittedAt: 'x'.repeat(5000),
      comment: 'c'.repeat(5000),
      token: 't'.repeat(5000),
    }),
  ],
  ['extreme dates', JSON.stringify({ ...rating(), submittedAt: '-271821-04-20T00:00:00Z', expiresAt: '+275760-09-13T00:00:00Z' })],
  ['prototype keys', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"answers":{"__proto__":"x"}}'],
  ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
];

const HOSTILE_QUERIES = [
  'limit=-1',
  'limit=1.5',
  'limit=1e309',
  'limit=99999999999999999999',
  'counter=%00',
  'counter=%C0',
  'status=%00',
  'date=2026-02-30',
  'date=0000-01-01',
  'date=%00',
  'month=0000-01',
  'month=2026-00',
  'month=%00',
  'format=%00',
  'lastEventId=-1e400',
];

for (const backend of BACKENDS) {
  describe(`hostile input on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    let paymentId: string;
    before(async () => {
      gateway = await startTestGateway(backend.name, { rateLimitPerMinute: 0, surveyRateLimitPerMinute: 0 });
      paymentId = (await createPayment(gateway, { counter: 'H0' })).id;
    });
    after(() => gateway?.close());

    const post = (body: unknown, key = `hostile-${Math.random()}`) =>
      gateway.api('/api/surveys', { json: body, key: null, headers: { 'idempotency-key': key } });

    it('should answer the listed bad queries with 400 naming the field', async () => {
      for (const [path, name] of [
        ['/api/payments?limit=-1', 'limit'],
        ['/api/payments?limit=1.5', 'limit'],
        ['/api/payments?limit=abc', 'limit'],
        ['/api/payments?limit=0', 'limit'],
        ['/api/payments?counter=%00', 'counter'],
        ['/api/payments?status=%00', 'status'],
        ['/api/reports/reconciliation?date=2026-02-30', 'date'],
        ['/api/reports/reconciliation?date=0000-01-01', 'date'],
        ['/api/reports/reconciliation?date=2026-13-01', 'date'],
        ['/api/reports/satisfaction?month=0000-01', 'month'],
        ['/api/reports/satisfaction?month=2026-1', 'month'],
      ] as const) {
        const answer = await gateway.api(path);
        assert.equal(answer.status, 400, path);
        assert.match(answer.body.error.message, new RegExp(`"${name}"`), path);
      }
      assert.equal((await gateway.api('/api/payments?limit=2')).status, 200);
      assert.equal((await gateway.api('/api/reports/reconciliation?date=2024-02-29')).status, 200, 'a leap day exists');
      assert.equal((await gateway.api('/api/reports/satisfaction?month=2026-02')).status, 200);
    });

    it('should answer the listed bad ratings with 400 naming the field', async () => {
      for (const [extra, name] of [
        [{ submittedAt: '-271821-04-20T00:00:00Z' }, 'submittedAt'],
        [{ submittedAt: '+275760-09-13T00:00:00Z' }, 'submittedAt'],
        [{ submittedAt: '1900-01-01T00:00:00Z' }, 'submittedAt'],
        [{ submittedAt: '2026-02-30T00:00:00Z' }, 'submittedAt'],
        [{ comment: 'tốt\u0000' }, 'comment'],
        [{ comment: 'x\uD800' }, 'comment'],
        [{ answers: { attitude: 'satisfied\u0000' } }, 'answers.attitude'],
        [{ answers: { 'q\u0000': 'x' } }, 'answers.q?'],
        [{ locale: 'vi\u0000' }, 'locale'],
        [{ surveyId: 'counter\u0000' }, 'surveyId'],
        [{ counter: 'H 1' }, 'counter'],
      ] as const) {
        const answer = await post(rating(extra));
        assert.equal(answer.status, 400, JSON.stringify(extra));
        assert.ok(answer.body.error.message.includes(`"${name}"`), `${JSON.stringify(extra)}: ${answer.body.error.message}`);
      }
      // A comment over several lines is still fine.
      assert.equal((await post(rating({ comment: 'Cán bộ nhiệt tình.\nCảm ơn!' }))).status, 201);
    });

    it('should never answer 5xx to hostile bodies on any route', async () => {
      const routes: Array<[string, string, boolean]> = [
        ['POST', '/api/payments', true],
        ['POST', `/api/payments/${paymentId}/cancel`, true],
        ['POST', '/api/counters/H0/idle', true],
        ['POST', '/api/surveys', false],
        ['POST', '/api/bank/notifications/generic', false],
        ['POST', '/api/bank/notifications/sepay', false],
        ['POST', '/api/bank/notifications/casso', false],
        ['POST', '/api/bank/notifications/payos', false],
        ['POST', '/api/bank/notifications/nope', false],
        ['POST', '/dev/bank/transfer', false],
        ['GET', '/api/payments', true],
      ];
      const failures: string[] = [];
      for (const [method, path, keyed] of routes) {
        for (const [name, body] of HOSTILE_BODIES) {
          const answer = await gateway.api(path, {
            method,
            key: keyed ? undefined : null,
            headers: { 'content-type': 'application/json', 'idempotency-key': `hostile-${name.replace(/\W/g, '')}-${Math.random()}` },
            ...(method === 'POST' ? { body } : {}),
          });
          if (answer.status >= 500) failures.push(`${method} ${path} ${name} → ${answer.status} ${JSON.stringify(answer.body)}`);
          else if (answer.status >= 400) assert.equal(typeof answer.body.error?.message, 'string', `${method} ${path} ${name}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    it('should never answer 5xx to hostile paths and queries on any route', async () => {
      const paths = ['/api/payments', `/api/payments/${paymentId}`, '/api/counters/H0', '/api/reports/reconciliation', '/api/reports/satisfaction', '/healthz'];
      const sneaky = [
        '/api/payments/%00',
        '/api/payments/%00/events',
        '/api/counters/%00',
        '/api/counters/%00/events',
        '/api/counters/%E0%A4%A/events',
        `/api/payments/${'x'.repeat(10_000)}`,
        '/api/bank/notifications/%00',
        '/%00',
        '/..%2f..%2fetc/passwd',
      ];
      const failures: string[] = [];
      for (const path of paths) {
        for (const query of HOSTILE_QUERIES) {
          const answer = await gateway.api(`${path}?${query}`);
          if (answer.status >= 500) failures.push(`GET ${path}?${query} → ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }
      for (const path of sneaky) {
        const answer = await gateway.api(path, { key: null });
        if (answer.status >= 500) failures.push(`GET ${path} → ${answer.status}`);
      }
      const headers: Array<Record<string, string>> = [
        { 'last-event-id': '\u00ff'.repeat(100) },
        { 'last-event-id': '-1e400' },
        { 'x-forwarded-for': '\u00ff, ::1' },
        { authorization: 'Bearer \u00ff' },
        { 'x-api-key': 'x'.repeat(8000) },
      ];
      for (const header of headers) {
        const answer = await gateway.api('/api/payments', { key: null, headers: header });
        if (answer.status >= 500) failures.push(`header ${Object.keys(header)[0]} → ${answer.status}`);
      }
      assert.deepEqual(failures, []);
    });
  });
}
