// Issue 13: a database written before units is upgraded with its rows in the implicit unit, and the
// webhook outbox's delivered events are deleted past their retention window (never a pending one).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { configFromEnv } from '../src/config.js';
import { openDatabase } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { migrate } from '../src/schema.js';
import { enqueueEvent, pruneWebhookEvents, registerEndpoints, sequenceEvents } from '../src/webhooks.js';
import { API_KEY, BACKENDS, baseConfig, throwawayDatabase, withApi } from './helpers.js';
import { startGateway } from '../src/index.js';

/** The last migration before units (schema.ts): what the gateways before issue 13 left. */
const BEFORE_UNITS = 5;

for (const backend of BACKENDS) {
  describe(`units storage on ${backend.name}`, { skip: backend.skip }, () => {
    const folders: string[] = [];
    after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
    /** A database that outlives one connection: a PGlite folder, or a throwaway PostgreSQL database. */
    const durable = async () => {
      if (backend.name === 'PostgreSQL') {
        const database = await throwawayDatabase();
        return { where: { databaseUrl: database.url }, drop: database.drop };
      }
      const folder = mkdtempSync(path.join(tmpdir(), 'motcua-units-'));
      folders.push(folder);
      return { where: { dataDir: path.join(folder, 'pglite') }, drop: async () => {} };
    };
    const open = (where: { databaseUrl?: string; dataDir?: string }) =>
      openDatabase({ ...where, dataDir: where.dataDir ?? 'memory://', poolSize: 2, log: createLogger('silent') });

    it('should upgrade a database written before units: its rows belong to the implicit unit', async () => {
      const { where, drop } = await durable();
      try {
        const old = await open(where);
        await migrate(old, 'unused', BEFORE_UNITS);
        await old.query(
          `INSERT INTO payments (id, code, dossier, counter, purpose, amount, status, qr, bank_bin, bank_account, bank_account_name, expires_at, amount_paid, paid_at, version)
           VALUES ('old-payment', 'MCOLD0001', 'HS-OLD-1', 'C1', 'Le phi', 50000, 'paid', 'qr', '970415', '113366668888', 'UBND', now() + interval '1 hour', 50000, now(), 2)`,
        );
        await old.query(
          `INSERT INTO bank_transactions (provider, provider_tx_id, amount, memo, payment_id, status, raw, account) VALUES ('generic', 'OLD-TX-1', 50000, 'MCOLD0001', 'old-payment', 'matched', '{}', '113366668888')`,
        );
        await old.query(`INSERT INTO counter_states (counter, state, version) VALUES ('C1', '{"state":"idle","counter":"C1","version":7}', 7)`);
        await old.query(
          `INSERT INTO ratings (id, survey_id, counter, dossier, answers, locale, submitted_at) VALUES ('old-rating', 'counter', 'C1', 'HS-OLD-1', '{"attitude":"satisfied"}', 'vi', now())`,
        );
        await old.close();

        const gateway = withApi(await startGateway(baseConfig({ ...where, unitId: 'hang-bac' })));
        try {
          const listed = (await gateway.api('/api/payments?limit=500', { key: API_KEY })).body.payments.map((p: { id: string }) => p.id);
          assert.ok(listed.includes('old-payment'), 'the old payment is the implicit unit’s');
          assert.equal((await gateway.api('/api/counters/C1', { key: null })).body.version, 7, 'the old counter state is the implicit unit’s C1');
          assert.equal((await gateway.api('/api/units/hang-bac/counters/C1', { key: null })).body.version, 7);
          const reconciliation = (await gateway.api('/api/reports/reconciliation', { key: API_KEY })).body;
          assert.equal(reconciliation.unit, 'hang-bac');
          assert.ok(reconciliation.transactions.some((t: { transactionId: string }) => t.transactionId === 'OLD-TX-1'));
          assert.equal((await gateway.api('/api/reports/satisfaction', { key: API_KEY })).body.total, 1);
          // One rating per dossier still holds for the old rows.
          const cancel = await gateway.api('/api/payments/old-payment/cancel', { method: 'POST', key: API_KEY });
          assert.equal(cancel.body.error.code, 'PAYMENT_FINAL', 'found under the implicit unit');
        } finally {
          await gateway.close();
        }
      } finally {
        await drop();
      }
    });

    it('should delete delivered and given-up events past the retention window, with their deliveries and tries, and keep pending ones', async () => {
      assert.equal(configFromEnv({}).webhookRetentionDays, 30);
      assert.equal(configFromEnv({ MOTCUA_WEBHOOK_RETENTION_DAYS: '7' }).webhookRetentionDays, 7);
      const { where, drop } = await durable();
      const db = await open(where);
      try {
        await migrate(db);
        await registerEndpoints(db, 'default', [{ url: 'https://portal.example.vn/hook', secret: 'a-secret-of-16-chars' }]);
        const ids: Record<string, string> = {};
        for (const name of ['oldDelivered', 'oldFailed', 'oldPending', 'recentDelivered']) {
          await db.transaction((tx) => enqueueEvent(tx, { type: 'payment.created', unit: 'default', paymentId: name, data: { payment: { id: name } } }));
          const [row] = await db.query<{ id: string }>('SELECT id FROM webhook_events WHERE payment_id = $1', [name]);
          ids[name] = String(row!.id);
        }
        await sequenceEvents(db);
        const set = (name: string, status: string, daysAgo: number) =>
          db.transaction(async (tx) => {
            await tx.query(`UPDATE webhook_events SET created_at = now() - make_interval(days => $2) WHERE id = $1::int8`, [ids[name], daysAgo]);
            await tx.query(`UPDATE webhook_deliveries SET status = $2 WHERE event = $1::int8`, [ids[name], status]);
            await tx.query(`INSERT INTO webhook_attempts (delivery, status, duration_ms) SELECT id, 200, 5 FROM webhook_deliveries WHERE event = $1::int8`, [
              ids[name],
            ]);
          });
        await set('oldDelivered', 'delivered', 31);
        await set('oldFailed', 'failed', 40);
        await set('oldPending', 'pending', 45);
        await set('recentDelivered', 'delivered', 29);

        assert.equal(await pruneWebhookEvents(db, 30), 2);
        const left = await db.query<{ payment_id: string }>('SELECT payment_id FROM webhook_events ORDER BY id');
        assert.deepEqual(
          left.map((row) => row.payment_id),
          ['oldPending', 'recentDelivered'],
        );
        const deliveries = await db.query<{ payment_id: string }>('SELECT payment_id FROM webhook_deliveries ORDER BY id');
        assert.deepEqual(
          deliveries.map((row) => row.payment_id),
          ['oldPending', 'recentDelivered'],
        );
        const [{ attempts }] = (await db.query<{ attempts: string }>('SELECT count(*) AS attempts FROM webhook_attempts')) as [{ attempts: string }];
        assert.equal(Number(attempts), 2, 'the tries of the deleted deliveries went with them');
        assert.equal(await pruneWebhookEvents(db, 30), 0, 'nothing more to delete');
        // A shorter window takes the recent one too; the pending one stays whatever the window.
        assert.equal(await pruneWebhookEvents(db, 1), 1);
        assert.deepEqual(
          (await db.query<{ payment_id: string }>('SELECT payment_id FROM webhook_events')).map((row) => row.payment_id),
          ['oldPending'],
        );
      } finally {
        await db.close();
        await drop();
      }
    });
  });
}
