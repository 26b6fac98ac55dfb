// bench/province run tiny (3 units, 50 watchers, 3 s): proves that the province benchmark still runs
// and what it measures holds — three instances on one PostgreSQL, every stream gets its event, every
// webhook event is delivered once to its unit, and it cleans up after itself. It asserts behaviour,
// never speed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { NO_PG, PG_ADMIN_URL } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Latency {
  count: number;
}
interface ProvinceResults {
  sizes: { instances: number; screens: number; watchers: number; payments: number };
  notifications: { matched: number; other: number; failed: number };
  streams: { open: number; notReady: number; screensOff: number; expected: number };
  instances: Array<{ streams: number; all: Latency; lost: number; closed: number; rss: { end: number } }>;
  lost: number;
  webhooks: {
    events: number;
    delivered: number;
    missing: number;
    twice: number;
    unknown: number;
    badSignature: number;
    wrongUnit: number;
    byType: Record<string, number>;
    byUnit: Record<string, number>;
    outbox: { pending: number; failed: number; delivered: number };
  };
  processes: number[];
  database: string;
}

function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bench/province/run.mjs'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('bench/province (smoke: 3 units, 50 watchers, 3 s)', { skip: NO_PG }, () => {
  it('should deliver every event to every stream of all three instances and every webhook event once, then clean up', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'motcua-province-'));
    try {
      const json = path.join(dir, 'results.json');
      const { code, output } = await runBench({
        BENCH_UNITS: '3',
        BENCH_WATCHERS: '50',
        BENCH_SECONDS: '3',
        BENCH_RATE: '50',
        BENCH_JSON: json,
        MOTCUA_TEST_PG_URL: PG_ADMIN_URL!,
      });
      assert.equal(code, 0, output);
      const results = JSON.parse(readFileSync(json, 'utf8')) as ProvinceResults;
      const { sizes, streams, webhooks } = results;
      assert.deepEqual([sizes.instances, sizes.screens, sizes.watchers, sizes.payments], [3, 15, 50, 150]);
      assert.deepEqual(results.notifications, { ...results.notifications, matched: 150, other: 0, failed: 0 });
      // Every screen started on its payment, every stream got its first state and then its event.
      assert.deepEqual([streams.open, streams.notReady, streams.screensOff, streams.expected], [65, 0, 0, 65]);
      assert.equal(results.lost, 0);
      for (const instance of results.instances) {
        assert.ok(instance.streams >= 21, `streams spread over the instances: ${instance.streams}`);
        assert.equal(instance.all.count, instance.streams);
        assert.equal(instance.closed, 0);
        assert.ok(instance.rss.end > 0);
      }
      // Every payment made and paid is one event each, delivered exactly once, correctly signed.
      assert.deepEqual(webhooks.byType, { 'payment.created': 150, 'payment.paid': 150 });
      // Each unit's events at its own endpoint, signed with its own secret: 50 payments each.
      assert.deepEqual(webhooks.byUnit, { u001: 100, u002: 100, u003: 100 });
      assert.deepEqual(
        [webhooks.events, webhooks.delivered, webhooks.missing, webhooks.twice, webhooks.unknown, webhooks.badSignature, webhooks.wrongUnit],
        [300, 300, 0, 0, 0, 0, 0],
      );
      assert.deepEqual(webhooks.outbox, { pending: 0, failed: 0, delivered: 300 });
      // Cleaned up: no gateway process left, the database dropped.
      assert.deepEqual(results.processes.filter(alive), []);
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      try {
        const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [results.database]);
        assert.equal(rows.length, 0, `database ${results.database} left behind`);
      } finally {
        await admin.end();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
