// `npm start` itself (demo/server/start.mjs, run as a child process like a newcomer would): it prints the
// pages' URLs, serves them, stops cleanly on Ctrl-C (SIGINT) and SIGTERM, and keeps the data.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { untilOutput } from '../packages/gateway/test/helpers.js';
import { root } from './helpers.js';

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startScript(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['demo/server/start.mjs', '--no-build'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MOTCUA_DATA_DIR: dataDir, MOTCUA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A first start creates the PGlite folder: over 20 s on a loaded 2-core machine, so no fixed deadline:
  // it fails if the script exits or stalls (no output, no CPU time), not if it is slow.
  try {
    const { match, output } = await untilOutput(child, /running at (http:\/\/\S+)[\s\S]*\/reports\.html/);
    return { child, url: match[1]!, output };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** The status of a GET with exactly these headers (Host included). */
function statusOf(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm start (demo/server/start.mjs)', () => {
  let dataDir: string;
  let running: Started | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-start-'));
  });
  after(async () => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints every page, serves them, stops on SIGINT, and keeps the data for the next start (SIGTERM)', async () => {
    running = await startScript(dataDir);
    for (const page of ['/counter.html?counter=C1', '/screen.html?counter=C1', '/bank.html', '/reports.html', '/survey.html']) {
      assert.ok(running.output().includes(`${running.url}${page}`), `prints ${page}`);
      const response: Response = await fetch(`${running.url}${page}`);
      assert.equal(response.status, 200, page);
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    }
    assert.equal((await fetch(`${running.url}/cdn/motcua.js`)).status, 200, 'the CDN bundle is copied into demo/public/cdn/');
    // The officer page's route: the portal backend adds the API key; the browser never has it. Only
    // the demo's own pages may use it: the same-origin request a browser sends (Origin on POST)…
    const order = JSON.stringify({ procedure: 'chung-thuc-ban-sao', quantity: 3, dossier: '000.20.01.H26-250115-0042', counter: 'C1' });
    const created = await fetch(`${running.url}/demo/api/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: running.url },
      body: order,
    });
    assert.equal(created.status, 201);
    assert.equal((await fetch(`${running.url}/demo/api/reports/reconciliation`, { headers: { 'sec-fetch-site': 'same-origin' } })).status, 200);
    // …and nothing else: no Origin nor Sec-Fetch-Site, another site, or another Host (DNS rebinding).
    // (node:http, not fetch: fetch does not let the caller set Host.)
    const foreign: Array<Record<string, string>> = [
      {},
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-origin', host: 'evil.example:80' },
      { origin: 'http://evil.example', host: 'evil.example' },
    ];
    for (const headers of foreign) assert.equal(await statusOf(`${running.url}/demo/api/reports/reconciliation`, headers), 403, JSON.stringify(headers));
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:/, 'npm start listens on 127.0.0.1 unless HOST says otherwise');
    const payment = (await created.json()) as { id: string; amount: number };
    assert.equal(payment.amount, 6000, '3 pages × 2.000 ₫');
    assert.equal((await fetch(`${running.url}/api/payments`, { method: 'POST', body: '{}' })).status, 401, 'the gateway API itself still needs the key');
    const stopped = exitOf(running.child);
    running.child.kill('SIGINT');
    assert.equal(await stopped, 0);
    assert.match(running.output(), /SIGINT: stopping…[\s\S]*Stopped\. Data kept/);

    running = await startScript(dataDir);
    const again = await fetch(`${running.url}/api/payments/${payment.id}`);
    assert.equal(again.status, 200, 'the payment survived the restart');
    assert.equal(((await again.json()) as { amount: number }).amount, 6000);
    const stoppedAgain = exitOf(running.child);
    running.child.kill('SIGTERM');
    assert.equal(await stoppedAgain, 0);
  });
});
