// A real HTTP + SSE payment server for <qr-payment>'s browser tests, mounted in the Web Test Runner
// dev server under /__test/payment/. Each test uses its own payment id, so test files running in
// parallel never share state. Scenario controls (POST /__test/payment/<id>/control, JSON body):
//   { create: { amount, status, expiresInMs, purpose } }   (re)create the payment
//   { mode: 'ok' | '500' | 'hang' | 'malformed' | 'other-id' | 'invalid' }   what GET <id> answers
//   { sse: 'ok' | 'block' | 'drop' | '500' }   /events: stream; 404; send then close each time; 500
//   { update: { status, amountPaid } }   new version, pushed to open SSE streams
//   { pushStale: { status } }   push an OLDER version with this status (must be ignored)
//   { pushOtherId: true } / { pushMalformed: true }   push garbage on the open streams
//   { pingEvery: ms }   streams opened from now on send `event: ping` (no id) every ms (0: none)
//   { silent: true }   the streams open now get nothing more but stay open (a link dead without a FIN)
// GET /__test/payment/<id>/log → what the server saw (requests, max in flight, Last-Event-IDs, SSE streams open now).
// GET /__test/payment/csp.html → a page served with a strict Content-Security-Policy.
// GET /__test/payment/bundle.js?copy=N → the package bundled into one file (a "CDN copy"); each
//   distinct query is a distinct module, i.e. another copy of Lit + core + the widget.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { readJson, testRoutes } from '../../../scripts/wtr-plugins.mjs';

const PREFIX = '/__test/payment/';
const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BANK = { bin: '970415', account: '113366668888', accountName: 'UBND XA DONG TAM' };

/** @type {Map<string, any>} */
const payments = new Map();
let core;
let bundle;

async function loadCore() {
  core ??= await import(new URL('../../core/dist/index.js', import.meta.url).href);
  return core;
}

async function createPayment(id, options = {}) {
  const { encodeVietQR } = await loadCore();
  const amount = options.amount ?? 50000;
  const code =
    options.code ??
    `MC${id
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-7)
      .toUpperCase()}`;
  const purpose = options.purpose ?? 'LE PHI HO TICH';
  const previous = payments.get(id);
  const resource = {
    id,
    code,
    status: options.status ?? 'pending',
    amount,
    amountPaid: 0,
    currency: 'VND',
    qr: encodeVietQR({ ...BANK, amount, purpose: `${code} ${purpose}`.slice(0, 25), initiation: 'dynamic' }),
    bank: BANK,
    purpose,
    dossier: `HS-${id}`,
    counter: 'C1',
    expiresAt: new Date(Date.now() + (options.expiresInMs ?? 15 * 60_000)).toISOString(),
    paidAt: null,
    version: options.version ?? 1,
  };
  const state = {
    resource,
    mode: 'ok',
    sse: 'ok',
    clients: previous?.clients ?? new Set(),
    log: previous?.log ?? { gets: 0, inFlight: 0, maxInFlight: 0, eventConnections: 0, lastEventIds: [] },
  };
  payments.set(id, state);
  return state;
}

async function getState(id) {
  return payments.get(id) ?? (await createPayment(id));
}

function sendEvent(res, resource) {
  res.write(`event: payment\nid: ${resource.version}\ndata: ${JSON.stringify(resource)}\n\n`);
}

function push(state, write) {
  for (const res of state.clients) write(res);
}

async function handleControl(id, body) {
  const state = body.create ? await createPayment(id, body.create) : await getState(id);
  if (body.mode) state.mode = body.mode;
  if (body.sse) state.sse = body.sse;
  if (typeof body.pingEvery === 'number') state.pingEvery = body.pingEvery;
  if (body.silent) state.clients.clear();
  if (body.update) {
    Object.assign(state.resource, body.update, { version: state.resource.version + 1 });
    if (body.update.status === 'paid') state.resource.paidAt = new Date().toISOString();
    push(state, (res) => sendEvent(res, state.resource));
  }
  if (body.pushStale) {
    const stale = { ...state.resource, ...body.pushStale, version: Math.max(0, state.resource.version - 1) };
    push(state, (res) => sendEvent(res, stale));
  }
  if (body.pushOtherId) push(state, (res) => sendEvent(res, { ...state.resource, id: `${id}-other`, status: 'paid', version: state.resource.version + 100 }));
  if (body.pushMalformed) push(state, (res) => res.write(`event: payment\nid: 999\ndata: {"id": "${id}", "status": "paid"\n\n`));
  if (body.dropSse) {
    for (const res of state.clients) res.end();
    state.clients.clear();
  }
  return { ok: true, resource: state.resource };
}

function send(res, status, body, type = 'application/json', headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function handleEvents(req, res, state) {
  state.log.eventConnections++;
  const lastEventIdHeader = req.headers['last-event-id'];
  state.log.lastEventIds.push(typeof lastEventIdHeader === 'string' ? lastEventIdHeader : null);
  if (state.sse === 'block') return send(res, 404, 'no SSE here', 'text/plain');
  if (state.sse === '500') return send(res, 500, 'broken', 'text/plain');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write('retry: 50\n\n');
  const lastEventId = Number(lastEventIdHeader);
  // Honour Last-Event-ID: nothing is re-sent that the client already has.
  if (!(lastEventId >= state.resource.version)) sendEvent(res, state.resource);
  if (state.sse === 'drop') return res.end();
  state.clients.add(res);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000);
  // Pings stop with everything else when the stream is silenced (it leaves `clients`).
  const pinger =
    state.pingEvery > 0 ? setInterval(() => state.clients.has(res) && res.write(`event: ping\ndata: {"t":${Date.now()}}\n\n`), state.pingEvery) : undefined;
  res.on('close', () => {
    clearInterval(heartbeat);
    clearInterval(pinger);
    state.clients.delete(res);
  });
}

async function handleGet(res, state, id) {
  const log = state.log;
  log.gets++;
  log.inFlight++;
  log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
  try {
    switch (state.mode) {
      case '500':
        return send(res, 500, { error: { code: 'INTERNAL', message: 'Simulated failure' } });
      case 'hang':
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 20_000);
          res.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (!res.destroyed) send(res, 504, 'gave up', 'text/plain');
        return;
      case 'malformed':
        return send(res, 200, '{"id": "' + id + '", "status": "paid",');
      case 'other-id':
        return send(res, 200, { ...state.resource, id: `${id}-other`, status: 'paid', version: state.resource.version + 100 });
      case 'invalid':
        return send(res, 200, { ...state.resource, status: 'paid', amount: 'lots', version: state.resource.version + 100 });
      default:
        return send(res, 200, state.resource);
    }
  } finally {
    log.inFlight--;
  }
}

const CSP_PAGE = `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>qr-payment under a strict CSP</title>
<script type="module" src="${PREFIX}csp-page.js"></script></head>
<body>
<qr-payment id="static" bank="970415" account="113366668888" account-name="UBND XA DONG TAM" amount="50000" purpose="MC7K2Q9XA LE PHI HO TICH"></qr-payment>
<qr-payment id="remote" src="${PREFIX}csp-remote" poll-min-ms="50"></qr-payment>
</body>
</html>`;

const CSP_SCRIPT = `
window.__violations = [];
window.__errors = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason)));
await import('${PREFIX}bundle.js?copy=1');
// A second, independent copy of the whole bundle on the same page must not crash it.
await import('${PREFIX}bundle.js?copy=2');
window.__ready = true;
`;

async function getBundle() {
  bundle ??= esbuild
    .build({
      entryPoints: [path.join(packageDir, 'dist/index.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'silent',
    })
    .then((result) => result.outputFiles[0].text);
  return bundle;
}

let jsqrBundle;

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const rest = url.pathname.slice(PREFIX.length);
  if (rest === 'csp.html') {
    return send(res, 200, CSP_PAGE, 'text/html', {
      'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'",
    });
  }
  if (rest === 'csp-page.js') return send(res, 200, CSP_SCRIPT, 'text/javascript');
  if (rest === 'bundle.js') return send(res, 200, await getBundle(), 'text/javascript');
  if (rest === 'jsqr.js') {
    // jsqr ships UMD only: the tests get it as an ES module with a default export.
    jsqrBundle ??= esbuild
      .build({
        stdin: { contents: "import jsQR from 'jsqr'; export default jsQR;", resolveDir: packageDir },
        bundle: true,
        format: 'esm',
        write: false,
        logLevel: 'silent',
      })
      .then((result) => result.outputFiles[0].text);
    return send(res, 200, await jsqrBundle, 'text/javascript');
  }
  const [id, action] = rest.split('/');
  if (!id) return send(res, 404, 'not found', 'text/plain');
  const state = await getState(id);
  if (action === 'control' && req.method === 'POST') return send(res, 200, await handleControl(id, await readJson(req)));
  if (action === 'log') return send(res, 200, { ...state.log, openStreams: state.clients.size });
  if (action === 'events') return handleEvents(req, res, state);
  if (action === undefined) return handleGet(res, state, id);
  return send(res, 404, 'not found', 'text/plain');
}

export default [
  {
    ...testRoutes('motcua-payment-test-server', PREFIX, handle),
    resolveImport({ source }) {
      if (source === 'jsqr') return `${PREFIX}jsqr.js`;
    },
  },
];
