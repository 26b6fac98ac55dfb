import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeVietQR } from '@motcua/core';
import { parsePaymentResource } from '@motcua/core/protocol';
import { BACKENDS, createPayment, newDossier, startTestGateway, type TestGateway } from './helpers.js';

for (const backend of BACKENDS) {
  describe(`gateway API on ${backend.name}`, { skip: backend.skip }, () => {
    let gateway: TestGateway;
    const parent = mkdtempSync(path.join(tmpdir(), 'motcua-static-'));
    const site = path.join(parent, 'site');
    before(async () => {
      mkdirSync(path.join(site, 'js'), { recursive: true });
      writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>demo</title>');
      writeFileSync(path.join(site, 'js', 'app.js'), 'export {};');
      writeFileSync(path.join(parent, 'secret.txt'), 'nope');
      gateway = await startTestGateway(backend.name, { staticRoot: site, rateLimitPerMinute: 0 });
    });
    after(async () => {
      await gateway?.close();
      rmSync(parent, { recursive: true, force: true });
    });

    it('should answer /healthz', async () => {
      const { status, body } = await gateway.api('/healthz', { key: null });
      assert.equal(status, 200);
      assert.equal(body.ok, true);
      assert.equal(body.database, backend.name === 'PGlite' ? 'pglite' : 'postgres');
    });

    it('should create a payment with a short code and a dynamic VietQR carrying code and ASCII purpose', async () => {
      const payment = await createPayment(gateway, { amount: 123_000, purpose: 'Lệ phí đăng ký khai sinh' });
      parsePaymentResource(payment);
      assert.match(payment.code, /^MC[2-9A-HJKMNP-Z]{7}$/);
      assert.equal(payment.status, 'pending');
      assert.equal(payment.amountPaid, 0);
      assert.deepEqual(payment.bank, { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG HOAN KIEM' });
      const qr = decodeVietQR(payment.qr);
      assert.equal(qr.initiation, 'dynamic');
      assert.equal(qr.bin, '970415');
      assert.equal(qr.account, '113366668888');
      assert.equal(qr.amount, '123000');
      assert.ok(qr.purpose!.startsWith(`${payment.code} `), qr.purpose);
      assert.ok(qr.purpose!.length <= 25);
      assert.match(qr.purpose!, /^[\x20-\x7e]+$/);
      assert.ok(Math.abs(Date.parse(payment.expiresAt) - Date.now() - 900_000) < 10_000);
      const fetched = await gateway.api(`/api/payments/${payment.id}`, { key: null });
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, payment);
    });

    it('should be idempotent per dossier while pending, and refuse a different amount (409)', async () => {
      const dossier = newDossier();
      const first = await gateway.api('/api/payments', { json: { dossier, amount: 30_000, purpose: 'Le phi', counter: 'C2' } });
      const again = await gateway.api('/api/payments', { json: { dossier, amount: 30_000, purpose: 'Le phi', counter: 'C2' } });
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      const other = await gateway.api('/api/payments', { json: { dossier, amount: 40_000, purpose: 'Le phi', counter: 'C2' } });
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, 'DOSSIER_HAS_OPEN_PAYMENT');
      const concurrent = await Promise.all(
        Array.from({ length: 8 }, () => gateway.api('/api/payments', { json: { dossier: `${dossier}-x`, amount: 10_000, purpose: 'x', counter: 'C2' } })),
      );
      assert.equal(new Set(concurrent.map((r) => r.body.id)).size, 1);
      assert.equal(concurrent.filter((r) => r.status === 201).length, 1);
    });

    it('should cancel a payment, then allow a new one for the dossier; a final payment cannot be cancelled', async () => {
      const payment = await createPayment(gateway, { counter: 'C3' });
      const cancelled = await gateway.api(`/api/payments/${payment.id}/cancel`, { method: 'POST' });
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal(cancelled.body.version, payment.version + 1);
      const fresh = await createPayment(gateway, { dossier: payment.dossier, counter: 'C3' });
      assert.notEqual(fresh.id, payment.id);
      await gateway.api('/dev/bank/transfer', { json: { paymentId: fresh.id } });
      const refused = await gateway.api(`/api/payments/${fresh.id}/cancel`, { method: 'POST' });
      assert.equal(refused.status, 409);
      assert.equal((await gateway.api('/api/payments/nope/cancel', { method: 'POST' })).status, 404);
    });

    it('should list payments by status and counter (API key)', async () => {
      const payment = await createPayment(gateway, { counter: 'LIST1' });
      const { status, body } = await gateway.api('/api/payments?status=pending&counter=LIST1');
      assert.equal(status, 200);
      assert.deepEqual(
        body.payments.map((p: { id: string }) => p.id),
        [payment.id],
      );
      assert.equal((await gateway.api('/api/payments?status=weird')).status, 400);
    });

    it('should refuse bad API keys (401), malformed JSON and fields (400), unknown ids (404), big bodies (413)', async () => {
      const body = { dossier: newDossier(), amount: 1000, purpose: 'x', counter: 'C1' };
      assert.equal((await gateway.api('/api/payments', { json: body, key: null })).status, 401);
      const wrong = await gateway.api('/api/payments', { json: body, key: 'wrong' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'UNAUTHORIZED');
      assert.equal((await gateway.api('/api/payments?status=pending', { key: null })).status, 401);
      assert.equal((await gateway.api('/api/reports/reconciliation', { key: 'x' })).status, 401);
      const malformed = await gateway.api('/api/payments', { method: 'POST', body: '{"dossier":', headers: { 'content-type': 'application/json' } });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'MALFORMED_JSON');
      for (const bad of [
        { ...body, amount: 0 },
        { ...body, amount: 1.5 },
        { ...body, amount: -5 },
        { ...body, dossier: '' },
        { ...body, counter: 'C 1' },
        { ...body, purpose: 7 },
        { ...body, expiresIn: 0 },
        [1, 2],
      ]) {
        const answer = await gateway.api('/api/payments', { json: bad });
        assert.equal(answer.status, 400, JSON.stringify(bad));
        assert.equal(typeof answer.body.error.message, 'string');
      }
      assert.equal((await gateway.api('/api/payments/doesnotexist', { key: null })).status, 404);
      assert.equal((await gateway.api('/api/payments/doesnotexist/events', { key: null })).status, 404);
      const huge = await gateway.api('/api/payments', { json: { ...body, purpose: 'x'.repeat(70_000) } });
      assert.equal(huge.status, 413);
      assert.equal(huge.body.error.code, 'PAYLOAD_TOO_LARGE');
    });

    it('should give the public resource only the widget fields', async () => {
      const payment = await createPayment(gateway, { officer: 'CB77', procedure: 'Secret procedure' });
      const { body } = await gateway.api(`/api/payments/${payment.id}`, { key: null });
      assert.deepEqual(Object.keys(body).sort(), [
        'amount',
        'amountPaid',
        'bank',
        'code',
        'counter',
        'currency',
        'dossier',
        'expiresAt',
        'id',
        'paidAt',
        'purpose',
        'qr',
        'status',
        'version',
      ]);
      assert.ok(payment.id.length >= 20, 'ids are unguessable');
    });

    it('should send CORS headers to allowed origins only, and answer preflights', async () => {
      const payment = await createPayment(gateway);
      const allowed = await fetch(`${gateway.url}/api/payments/${payment.id}`, { headers: { origin: 'https://portal.example.vn' } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://portal.example.vn');
      const denied = await fetch(`${gateway.url}/api/payments/${payment.id}`, { headers: { origin: 'https://evil.example' } });
      assert.equal(denied.headers.get('access-control-allow-origin'), null);
      const preflight = await fetch(`${gateway.url}/api/surveys`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://portal.example.vn',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,idempotency-key',
        },
      });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-headers')!, /Idempotency-Key/);
    });

    it('should serve the static root with content types, index.html for /, and no traversal', async () => {
      const index = await fetch(`${gateway.url}/`);
      assert.equal(index.status, 200);
      assert.match(index.headers.get('content-type')!, /^text\/html/);
      assert.match(await index.text(), /demo/);
      // A strict policy on everything the gateway serves, not only in the demo.
      for (const header of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'"]) {
        assert.ok(index.headers.get('content-security-policy')?.split(/;\s*/).includes(header), `${header} in ${index.headers.get('content-security-policy')}`);
      }
      assert.doesNotMatch(index.headers.get('content-security-policy')!, /unsafe-inline|unsafe-eval|\*/);
      assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
      const script = await fetch(`${gateway.url}/js/app.js`);
      assert.match(script.headers.get('content-type')!, /^text\/javascript/);
      assert.ok(script.headers.get('content-security-policy'));
      for (const sneaky of ['/../secret.txt', '/%2e%2e/secret.txt', '/js/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
        const answer = await fetch(`${gateway.url}${sneaky}`);
        assert.equal(answer.status, 404, sneaky);
        assert.doesNotMatch(await answer.text(), /nope/);
      }
      assert.equal((await fetch(`${gateway.url}/missing.html`)).status, 404);
    });
  });
}

describe('gateway rate limits', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway('PGlite', {
      rateLimitPerMinute: 5,
      surveyRateLimitPerMinute: 2,
      devBank: false,
      collectionAccount: { bin: '970415', account: '100200300400', accountName: 'UBND PHUONG HOAN KIEM' },
    });
  });
  after(() => gateway?.close());

  it('should answer 429 with Retry-After past the public limit', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await gateway.api('/api/payments/nope', { key: null })).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429]);
    const limited = await gateway.api('/api/payments/nope', { key: null });
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('should limit survey submissions separately', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await gateway.api('/api/surveys', { json: {}, key: null, headers: { 'idempotency-key': `key-${i}-abcdefgh` } })).status);
    assert.deepEqual(statuses, [400, 400, 429]);
  });

  it('should not expose the dev bank unless configured', async () => {
    assert.equal((await gateway.api('/dev/bank/transfer', { json: { code: 'MC2345678', amount: 1 } })).status, 404);
  });
});
