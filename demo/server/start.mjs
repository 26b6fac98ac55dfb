// `npm start`: builds what the demo needs, then runs the reference gateway on the embedded database
// (PGlite in .data/) with the demo pages, on one port (PORT, default 8080). Ctrl-C stops it cleanly;
// the data stays for the next start.
//
// This file (demo/server/, apart from the pages it serves: demo/public/) also plays the district portal's BACKEND. The officer's page must never hold the
// gateway's server-to-server API key, so the browser calls a few `/demo/api/…` routes here, and this
// process adds the key when it forwards them to the gateway. A real portal does the same in its own
// backend. Everything else (payment status, SSE, surveys, the simulated bank, the pages) is the
// gateway's own handler. It also hands the citizen screen page its counter's screen key
// (`/demo/api/screen-key`), as a district would install it on the kiosk: only a screen with the key
// receives the rating token.
//
// The portal routes answer requests from the demo's own origin only (Origin, else
// Sec-Fetch-Site: same-origin, and a Host that is one of the demo's own addresses); the server
// listens on 127.0.0.1 unless HOST says otherwise.
//
// Exported as `startDemo()` for the end-to-end tests (e2e/), which start it on port 0.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_ROOT = path.join(root, 'demo');
/** The pages, scripts and styles the gateway serves (its `staticRoot`); this server's own code is not among them. */
export const DEMO_PUBLIC = path.join(DEMO_ROOT, 'public');

/** Demo secrets: fine on a laptop, never in production (set real ones through the gateway's env vars). */
export const DEMO_SECRETS = {
  apiKey: 'demo-portal-backend-key',
  surveyTokenSecret: 'demo-survey-token-secret',
  providers: {
    hmacSecret: 'demo-webhook-secret',
    sepayApiKey: 'demo-sepay-key',
    cassoSecureToken: 'demo-casso-token',
    payosChecksumKey: 'demo-payos-checksum',
  },
};

export const DEMO_COUNTERS = {
  C1: 'Quầy 1 — Tư pháp, hộ tịch',
  C2: 'Quầy 2 — Đăng ký kinh doanh',
};

/** The citizen screens' keys (the gateway's `screenKeys`): demo values, like the secrets above. */
export const DEMO_SCREEN_KEYS = Object.fromEntries(Object.keys(DEMO_COUNTERS).map((counter) => [counter, `demo-screen-key-${counter}-0123456789`]));

/**
 * Every response of the demo carries a strict Content-Security-Policy: the pages and the widgets
 * work without inline scripts, eval or inline styles.
 */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** `npx tsc -b` and the Rollup CDN bundles. */
export async function build() {
  await run('npx', ['tsc', '-b']);
  await run('npx', ['rollup', '-c', '--silent']);
}

/** Copies the counter-screen package's CDN files (the all-in-one `motcua.js`, its chunks) to demo/public/cdn/, which the pages load. */
export async function copyBundles() {
  const from = path.join(root, 'packages', 'counter-screen', 'dist', 'cdn');
  const to = path.join(DEMO_PUBLIC, 'cdn');
  const files = (await readdir(from).catch(() => [])).filter((name) => name.endsWith('.js'));
  if (!files.includes('motcua.js')) throw new Error('packages/counter-screen/dist/cdn/motcua.js is missing: run `npx tsc -b && npx rollup -c` first.');
  await rm(to, { recursive: true, force: true });
  await mkdir(to, { recursive: true });
  for (const name of files) await copyFile(path.join(from, name), path.join(to, name));
}

/** The procedures the officer's page offers, with their fees (see demo/procedures.json for sources). */
export async function loadProcedures() {
  return JSON.parse(await readFile(path.join(DEMO_ROOT, 'procedures.json'), 'utf8')).procedures;
}

const DOSSIER = /^[A-Za-z0-9._/-]{3,40}$/;

/**
 * Starts the gateway (listening on an internal loopback port) and the demo server in front of it.
 *
 * @param {{ port?: number, host?: string, dataDir?: string, gateway?: object, quiet?: boolean }} options
 * @returns {Promise<{ url: string, port: number, gateway: import('@motcua/gateway').Gateway, close(): Promise<void> }>}
 */
export async function startDemo(options = {}) {
  const { startGateway } = await import('@motcua/gateway');
  const procedures = await loadProcedures();
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: options.dataDir ?? path.join(root, '.data', 'pglite'),
    apiKeys: [DEMO_SECRETS.apiKey],
    surveyTokenSecret: DEMO_SECRETS.surveyTokenSecret,
    providers: DEMO_SECRETS.providers,
    devBank: true,
    counters: DEMO_COUNTERS,
    screenKeys: DEMO_SCREEN_KEYS,
    staticRoot: DEMO_PUBLIC,
    logLevel: options.quiet ? 'warn' : 'info',
    ...(process.env.MOTCUA_PUBLIC_BASE_URL ? { publicBaseUrl: process.env.MOTCUA_PUBLIC_BASE_URL } : {}),
    ...options.gateway,
  });

  /** Forwards to the gateway with the API key: what the portal backend does. */
  const callGateway = async (method, pathAndQuery, body, accept = 'application/json', extraHeaders = {}) => {
    const response = await fetch(`${gateway.url}${pathAndQuery}`, {
      method,
      headers: { authorization: `Bearer ${DEMO_SECRETS.apiKey}`, accept, ...(body ? { 'content-type': 'application/json' } : {}), ...extraHeaders },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? 'application/json',
      disposition: response.headers.get('content-disposition'),
      text: await response.text(),
    };
  };

  const send = (res, { status, type, disposition, text }) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...(disposition ? { 'content-disposition': disposition } : {}) });
    res.end(text);
  };
  const fail = (res, status, code, message) => send(res, { status, type: 'application/json', text: JSON.stringify({ error: { code, message } }) });

  const readJson = (req) =>
    new Promise((resolve, reject) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => {
        raw += chunk;
        if (raw.length > 16_384) req.destroy(new Error('too large'));
      });
      req.on('end', () => {
        try {
          resolve(raw ? JSON.parse(raw) : {});
        } catch (error) {
          reject(error);
        }
      });
      req.on('error', reject);
    });

  /** `host:port` of the demo's own addresses, and their origins (filled in once it listens). */
  const ownHosts = new Set();
  const ownOrigins = new Set();

  /**
   * Whether a request comes from one of the demo's own pages: its Host is one of our addresses (a
   * DNS-rebinding page's Host is its own name) and the browser says it is same-origin — by Origin
   * (sent on POST) or else Sec-Fetch-Site (sent on every request to 127.0.0.1/localhost and HTTPS).
   * A request with neither is refused: the API key must not be lent to curl or to another site.
   */
  const sameOrigin = (req) => {
    if (!ownHosts.has(String(req.headers.host ?? '').toLowerCase())) return false;
    const origin = req.headers.origin;
    if (origin !== undefined) return ownOrigins.has(origin.toLowerCase());
    return req.headers['sec-fetch-site'] === 'same-origin';
  };

  /** The portal backend's routes. Returns false for anything else. */
  async function portal(req, res, url) {
    const { pathname } = url;
    if (!pathname.startsWith('/demo/api/')) return false;
    if (!sameOrigin(req)) return (fail(res, 403, 'FORBIDDEN', "Only the demo's own pages may use these routes (same origin)."), true);
    if (pathname === '/demo/api/payments' && req.method === 'POST') {
      let body;
      try {
        body = await readJson(req);
      } catch {
        return (fail(res, 400, 'MALFORMED_JSON', 'The body must be JSON.'), true);
      }
      // The fee comes from the portal's own catalogue, never from the browser.
      const procedure = procedures.find((p) => p.id === body.procedure);
      if (!procedure) return (fail(res, 400, 'INVALID_FIELD', 'Unknown procedure.'), true);
      const quantity = procedure.unit ? Number(body.quantity ?? 1) : 1;
      if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 200) return (fail(res, 400, 'INVALID_FIELD', 'The quantity must be 1–200.'), true);
      const dossier = String(body.dossier ?? '').trim();
      if (!DOSSIER.test(dossier)) return (fail(res, 400, 'INVALID_FIELD', 'The dossier code must be 3–40 letters, digits or . _ / -'), true);
      const counter = String(body.counter ?? 'C1');
      if (!Object.hasOwn(DEMO_COUNTERS, counter)) return (fail(res, 400, 'INVALID_FIELD', 'Unknown counter.'), true);
      send(
        res,
        await callGateway('POST', '/api/payments', {
          dossier,
          amount: procedure.fee * quantity,
          purpose: procedure.memo,
          counter,
          procedure: procedure.name.vi,
          officer: String(body.officer ?? 'CB01').slice(0, 64),
          // Results by post: the gateway gives the payment its postal lifetime (a due date weeks away).
          ...(body.delivery === 'postal' ? { delivery: 'postal' } : {}),
        }),
      );
      return true;
    }
    let match;
    if ((match = /^\/demo\/api\/payments\/([A-Za-z0-9_-]{1,64})\/cancel$/.exec(pathname)) && req.method === 'POST') {
      send(res, await callGateway('POST', `/api/payments/${match[1]}/cancel`));
      return true;
    }
    // "Next dossier" with the payment kept open: the citizen screen goes back to idle (the payment stays payable from its slip).
    if ((match = /^\/demo\/api\/counters\/([A-Za-z0-9_-]{1,64})\/idle$/.exec(pathname)) && req.method === 'POST') {
      if (!Object.hasOwn(DEMO_COUNTERS, match[1])) return (fail(res, 400, 'INVALID_FIELD', 'Unknown counter.'), true);
      send(res, await callGateway('POST', `/api/counters/${match[1]}/idle`));
      return true;
    }
    if (pathname === '/demo/api/payments' && req.method === 'GET') {
      // The simulated bank's list: open payments (pending and underpaid).
      const [pending, underpaid] = await Promise.all([
        callGateway('GET', '/api/payments?status=pending&limit=50'),
        callGateway('GET', '/api/payments?status=underpaid&limit=50'),
      ]);
      if (pending.status !== 200 || underpaid.status !== 200) return (send(res, pending.status !== 200 ? pending : underpaid), true);
      const payments = [...JSON.parse(pending.text).payments, ...JSON.parse(underpaid.text).payments];
      send(res, { status: 200, type: 'application/json', text: JSON.stringify({ payments }) });
      return true;
    }
    if ((match = /^\/demo\/api\/reports\/(reconciliation|satisfaction)$/.exec(pathname)) && req.method === 'GET') {
      const query = new URLSearchParams();
      for (const name of ['date', 'month', 'format']) if (url.searchParams.has(name)) query.set(name, url.searchParams.get(name));
      send(res, await callGateway('GET', `/api/reports/${match[1]}?${query}`, undefined, query.get('format') === 'csv' ? 'text/csv' : 'application/json'));
      return true;
    }
    // The officer's exceptions desk (<qr-exceptions-desk gateway="/demo">): forwarded with the key and the
    // Idempotency-Key. A real portal also puts its signed-in officer's name in `officer`.
    if (
      (match =
        /^\/demo(\/api\/(?:transfers\/[0-9]{1,18}\/(?:attach|refund)|payments\/[A-Za-z0-9_-]{1,64}\/cash|adjustments\/[A-Za-z0-9_-]{1,64}\/reverse))$/.exec(
          pathname,
        )) &&
      req.method === 'POST'
    ) {
      let body;
      try {
        body = await readJson(req);
      } catch {
        return (fail(res, 400, 'MALFORMED_JSON', 'The body must be JSON.'), true);
      }
      const key = req.headers['idempotency-key'];
      send(res, await callGateway('POST', match[1], body, 'application/json', typeof key === 'string' ? { 'idempotency-key': key } : {}));
      return true;
    }
    if (pathname === '/demo/api/screen-key' && req.method === 'GET') {
      // What the district does once per kiosk (its page or configuration holds the key); here the
      // screen page asks for it, so the demo needs no set-up.
      const counter = url.searchParams.get('counter') ?? '';
      if (!Object.hasOwn(DEMO_SCREEN_KEYS, counter)) return (fail(res, 404, 'NOT_FOUND', 'No screen key for this counter.'), true);
      send(res, { status: 200, type: 'application/json', text: JSON.stringify({ counter, key: DEMO_SCREEN_KEYS[counter] }) });
      return true;
    }
    if (pathname === '/demo/api/procedures' && req.method === 'GET') {
      send(res, { status: 200, type: 'application/json', text: JSON.stringify({ procedures, counters: DEMO_COUNTERS }) });
      return true;
    }
    return (fail(res, 404, 'NOT_FOUND', 'Not found.'), true);
  }

  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 0 }, (req, res) => {
    res.setHeader('content-security-policy', DEMO_CSP);
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-content-type-options', 'nosniff');
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://demo');
    } catch {
      return fail(res, 400, 'BAD_REQUEST', 'Malformed URL.');
    }
    portal(req, res, url)
      .then((handled) => {
        if (!handled) gateway.handler(req, res);
      })
      .catch((error) => {
        if (!options.quiet) console.error('portal backend:', error);
        if (!res.headersSent) fail(res, 502, 'GATEWAY_UNAVAILABLE', 'The gateway did not answer.');
        else res.end();
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, resolve);
  });
  const port = server.address().port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  const wildcard = host === '0.0.0.0' || host === '::';
  const names = [
    '127.0.0.1',
    'localhost',
    '[::1]',
    ...(wildcard
      ? Object.values(os.networkInterfaces())
          .flat()
          .map((i) => (i.family === 'IPv6' ? `[${i.address}]` : i.address))
      : [host.includes(':') ? `[${host}]` : host]),
  ];
  for (const name of names) ownHosts.add(`${name}:${port}`.toLowerCase());
  for (const own of ownHosts) ownOrigins.add(`http://${own}`);
  if (process.env.MOTCUA_PUBLIC_BASE_URL) {
    const base = new URL(process.env.MOTCUA_PUBLIC_BASE_URL);
    ownHosts.add(base.host.toLowerCase());
    ownOrigins.add(base.origin.toLowerCase());
  }
  let closed;
  return {
    url,
    port,
    gateway,
    close() {
      closed ??= (async () => {
        const stopped = new Promise((resolve) => server.close(resolve));
        server.closeIdleConnections();
        // The gateway ends its SSE streams (which are our sockets too) and closes the database.
        await gateway.close();
        const forced = setTimeout(() => server.closeAllConnections(), 2_000);
        await stopped;
        clearTimeout(forced);
      })();
      return closed;
    },
  };
}

/** The demo's pages, for the startup banner. */
export const DEMO_PAGES = [
  ['Trang chủ demo / Demo home', '/'],
  ['Quầy cán bộ / Officer counter (C1)', '/counter.html?counter=C1'],
  ['Màn hình công dân / Citizen screen (C1)', '/screen.html?counter=C1'],
  ['Ngân hàng giả lập / Simulated bank', '/bank.html'],
  ['Báo cáo / Reports', '/reports.html'],
  ['Khảo sát trên điện thoại / Phone survey (from the survey QR)', '/survey.html'],
];

async function main() {
  const skipBuild = process.argv.includes('--no-build');
  if (!skipBuild) {
    console.log('Building (tsc -b, rollup)…');
    await build();
  }
  await copyBundles();
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  const demo = await startDemo({
    port,
    host,
    dataDir: process.env.MOTCUA_DATA_DIR ?? path.join(root, '.data', 'pglite'),
    quiet: process.env.MOTCUA_LOG_LEVEL === 'warn',
  });
  console.log(
    `\nmotcua demo running at ${demo.url} (data in ${path.relative(root, process.env.MOTCUA_DATA_DIR ?? path.join(root, '.data', 'pglite'))}/; Ctrl-C to stop)\n`,
  );
  for (const [label, page] of DEMO_PAGES) console.log(`  ${label.padEnd(62)} ${demo.url}${page}`);
  console.log('\nOpen the officer page and the citizen screen side by side, create a payment, then pay it from the simulated bank.\n');
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    const timer = setTimeout(() => {
      console.error('Did not stop within 10 s; exiting.');
      process.exit(1);
    }, 10_000);
    timer.unref();
    await demo.close();
    console.log('Stopped. Data kept for the next start.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
