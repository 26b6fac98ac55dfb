// The province's day reconciliation reads every unit's transfers and desk actions in a fixed number
// of statements (it issued three per unit: about 450 for 150 units), and shows each unit exactly the
// totals of the unit's own report, and the transfers into no unit's account as the `null` report does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { provinceReconciliation, reconciliation } from '../src/reports.js';
import { migrate } from '../src/schema.js';
import { vietnamToday } from '../src/vietnam-time.js';
import { BACKENDS, throwawayDatabase } from './helpers.js';

const UNITS = ['hang-gai', 'dong-tam', 'hang-bac', 'hoan-kiem', 'ba-dinh'].map((id) => ({ id, name: `UBND ${id}` }));

/** `db` counting the statements sent through it. */
function counting(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  const counted = Object.create(db) as Database;
  counted.query = (sql, params) => {
    statements++;
    return db.query(sql, params);
  };
  return { db: counted, statements: () => statements };
}

for (const backend of BACKENDS) {
  describe(`province reconciliation on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    let drop = async () => {};
    const today = vietnamToday();
    before(async () => {
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      if (database) drop = database.drop;
      db = await openDatabase({ databaseUrl: database?.url, dataDir: 'memory://', poolSize: 2, log: createLogger('silent') });
      await migrate(db);
      let sequence = 0;
      const transfer = async (unit: string | null, amount: number, status: string, reason: string | null, duplicateOf?: number) => {
        const [row] = await db.query<{ id: string }>(
          `INSERT INTO bank_transactions (provider, provider_tx_id, amount, memo, status, reason, raw, account, unit, duplicate_of)
           VALUES ('generic', $1, $2, 'KHONG MA', $3, $4, '{}', '111', $5, $6) RETURNING id`,
          [`PROVINCE-${++sequence}`, amount, status, reason, unit, duplicateOf ?? null],
        );
        return Number(row!.id);
      };
      const desk = (unit: string, kind: string, amount: number, transferId: number | null) =>
        db.query(
          `INSERT INTO payment_adjustments (id, kind, transaction_id, amount, officer, api_key, reason, unit) VALUES ($1, $2, $3, $4, 'CB01', 'key:0', 'test', $5)`,
          [`adj-${++sequence}`, kind, transferId, amount, unit],
        );
      // Each unit a different mix (the last unit nothing at all), and money into no unit's account.
      for (const [index, unit] of UNITS.slice(0, -1).entries()) {
        for (let n = 0; n <= index; n++) await transfer(unit.id, 10_000 * (n + 1), 'unmatched', 'no_code');
        const closed = await transfer(unit.id, 7_000 + index, 'unmatched', 'payment_closed');
        await transfer(unit.id, 5_000, 'duplicate', null, closed);
        await transfer(unit.id, 0, 'rejected', 'bad_amount');
        if (index % 2) await desk(unit.id, 'refund', 7_000 + index, closed);
        await desk(unit.id, 'cash', 20_000 * (index + 1), null);
      }
      const stray = await transfer(null, 33_000, 'unmatched', 'other_account');
      await transfer(null, 33_000, 'duplicate', null, stray);
    });
    after(async () => {
      await db?.close();
      await drop();
    });

    it('should read every unit in two statements, and give each unit its own report’s totals', async () => {
      for (const size of [3, UNITS.length]) {
        const { db: counted, statements } = counting(db);
        const report = await provinceReconciliation(counted, today, UNITS.slice(0, size));
        assert.equal(statements(), 2, `${size} units`);
        assert.deepEqual(
          report.units.map((u) => u.unit),
          UNITS.slice(0, size).map((u) => u.id),
        );
        for (const unit of report.units) assert.deepEqual(unit.totals, (await reconciliation(db, today, unit.unit)).totals, unit.unit);
        const none = await reconciliation(db, today, null);
        assert.deepEqual(report.noUnit, { totals: none.totals, transactions: none.transactions });
        assert.equal(report.noUnit.transactions.length, 1);
        assert.equal(report.units[0]!.totals.cash, 20_000);
        assert.equal(report.units[1]!.totals.refunded, 7_001);
      }
      const empty = (await provinceReconciliation(db, today, UNITS)).units.at(-1)!;
      assert.deepEqual(empty.totals, (await reconciliation(db, today, empty.unit)).totals);
      assert.equal(empty.totals.transactionCount, 0);
    });
  });
}
