// The gateway starts with exactly the environment docs/deploying-gateway.md's "Run it" block sets
// (read from the doc itself, so a doc that drifts fails here), and refuses to start — naming the
// variable — without a collection account outside dev mode (issue 18 items 2 and 3).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { configFromEnv } from '../src/config.js';
import { startGateway } from '../src/index.js';
import { untilOutput } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const DOC = fileURLToPath(new URL('../../../docs/deploying-gateway.md', import.meta.url));

/** The `NAME=value` assignments of the doc's "Run it" shell block (quotes removed). */
function documentedEnv(): Record<string, string> {
  const doc = readFileSync(DOC, 'utf8');
  const block = /## Run it\s+```sh\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/deploying-gateway.md has a "Run it" sh block');
  const command = block
    .split('\n')
    .filter((line) => !line.startsWith('npm '))
    .join(' ')
    .replace(/\\\s/g, ' ');
  assert.match(command, /npx motcua-gateway\s*$/, 'the block runs the gateway');
  return Object.fromEntries([...command.matchAll(/([A-Z_]+)=("[^"]*"|\S+)/g)].map(([, name, value]) => [name!, value!.replace(/^"|"$/g, '')]));
}

/** Runs the CLI with `env` only (plus PATH); resolves with how it ended, or its URL once it has started. */
function runCli(env: Record<string, string>): Promise<{ started?: string; code?: number | null; output: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    child.kill('SIGTERM');
    return exited;
  };
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  // No fixed deadline (a first PGlite folder takes minutes on a loaded machine): it fails only if the CLI stalls.
  return untilOutput(child, /"msg":"gateway started","url":"([^"]+)"/).then(
    ({ match }) => ({ started: match[1]!, output, stop }),
    async (error) => {
      if (child.exitCode === null && child.signalCode === null) throw (child.kill('SIGKILL'), error);
      return { code: await exited, output, stop };
    },
  );
}

describe('the documented environment', () => {
  const folders: string[] = [];
  const dataDir = () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'motcua-documented-'));
    folders.push(folder);
    return path.join(folder, 'pglite');
  };
  after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('should start with exactly the env of deploying-gateway.md\'s "Run it" (a temporary data folder, a free port) and stop on SIGTERM', async () => {
    const env = documentedEnv();
    assert.ok(env.MOTCUA_BANK_ACCOUNT && !('MOTCUA_SURVEY_TOKEN_SECRET' in env), JSON.stringify(env));
    const run = await runCli({ ...env, MOTCUA_DATA_DIR: dataDir(), PORT: '0' });
    assert.ok(run.started, run.output);
    const health = await fetch(`${run.started}/healthz`);
    assert.equal(health.status, 200);
    const created = await fetch(`${run.started}/api/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.MOTCUA_API_KEYS}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dossier: 'HS-DOC-1', amount: 50_000, purpose: 'Le phi', counter: 'C1' }),
    });
    assert.equal(created.status, 201);
    assert.equal(((await created.json()) as { bank: { account: string } }).bank.account, env.MOTCUA_BANK_ACCOUNT);
    assert.equal(await run.stop(), 0);
  });

  it('should refuse to start outside dev mode without a collection account, naming the variables', async () => {
    const { MOTCUA_BANK_BIN: _bin, MOTCUA_BANK_ACCOUNT: _account, MOTCUA_BANK_ACCOUNT_NAME: _name, ...env } = documentedEnv();
    const run = await runCli({ ...env, MOTCUA_DATA_DIR: dataDir(), PORT: '0' });
    assert.equal(run.started, undefined, 'it must not start');
    assert.equal(run.code, 1);
    assert.match(run.output, /MOTCUA_BANK_ACCOUNT/);
    assert.match(run.output, /"level":"error"/);
  });

  it('should run the README\'s "from code" sample as written', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const sample = /Or from code:\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(sample, 'the README has a "from code" sample');
    // Beside the package, so that `@motcua/gateway` resolves as it does for an adopter (to the built dist/).
    const file = fileURLToPath(new URL(`../.readme-sample-${process.pid}.mts`, import.meta.url));
    writeFileSync(file, sample);
    try {
      const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk) => (text += chunk));
        child.stderr.on('data', (chunk) => (text += chunk));
        child.once('exit', (code) => resolve({ code, text }));
      });
      assert.equal(output.code, 0, output.text);
      assert.match(output.text, /^http:\/\/127\.0\.0\.1:\d+$/m);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('should read the webhook endpoints as deploying-gateway.md and webhooks.md set them, and refuse bad ones naming the field', () => {
    for (const file of [DOC, fileURLToPath(new URL('../../../docs/webhooks.md', import.meta.url))]) {
      const line = /^MOTCUA_WEBHOOKS='(.*)'$/m.exec(readFileSync(file, 'utf8'))?.[1];
      assert.ok(line, `${file} sets MOTCUA_WEBHOOKS`);
      const config = configFromEnv({ MOTCUA_WEBHOOKS: line });
      assert.deepEqual(config.webhooks, JSON.parse(line));
      assert.equal(config.unitId, 'default');
    }
    assert.throws(() => configFromEnv({ MOTCUA_WEBHOOKS: '{url:' }), /MOTCUA_WEBHOOKS must be JSON/);
    assert.throws(() => configFromEnv({ MOTCUA_WEBHOOKS: '[{"url":"ftp://x","secret":"0123456789abcdef"}]' }), /MOTCUA_WEBHOOKS\[0\]\.url/);
    assert.throws(() => configFromEnv({ MOTCUA_WEBHOOKS: '[{"url":"https://portal.example.vn/h","secret":"short"}]' }), /MOTCUA_WEBHOOKS\[0\]\.secret/);
    assert.equal(configFromEnv({ MOTCUA_UNIT_ID: 'hang-gai', MOTCUA_WEBHOOK_TIMEOUT_MS: '2500' }).webhookTimeoutMs, 2500);
  });

  it('should document the postal payment lifetime (MOTCUA_POSTAL_PAYMENT_TTL_SECONDS, 30 days by default) and read it', () => {
    const doc = readFileSync(DOC, 'utf8');
    const row = doc.split('\n').find((line) => line.startsWith('| `MOTCUA_POSTAL_PAYMENT_TTL_SECONDS`'));
    assert.ok(row, 'docs/deploying-gateway.md has a row for MOTCUA_POSTAL_PAYMENT_TTL_SECONDS');
    assert.match(row, /2592000 \(30 days\)/);
    assert.equal(configFromEnv({}).postalPaymentTtlSeconds, 2_592_000);
    assert.equal(configFromEnv({ MOTCUA_POSTAL_PAYMENT_TTL_SECONDS: '604800' }).postalPaymentTtlSeconds, 604_800);
  });

  it('should refuse half a collection account, naming what is missing', () => {
    assert.throws(() => configFromEnv({ MOTCUA_BANK_ACCOUNT: '102870012345' }), /MOTCUA_BANK_BIN, MOTCUA_BANK_ACCOUNT_NAME must be set/);
  });

  it('should refuse the demo account outside dev mode, and accept it in dev mode', async () => {
    await assert.rejects(startGateway({ port: 0, dataDir: 'memory://', logLevel: 'silent' }), /MOTCUA_BANK_ACCOUNT/);
    await assert.rejects(startGateway({ ...configFromEnv({}), port: 0, dataDir: 'memory://', logLevel: 'silent' }), /MOTCUA_DEV_BANK/);
    const dev = await startGateway({ ...configFromEnv({ MOTCUA_DEV_BANK: 'true' }), port: 0, dataDir: 'memory://', logLevel: 'silent' });
    await dev.close();
  });
});
