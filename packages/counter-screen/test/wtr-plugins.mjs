// A fake gateway counter channel for <qr-counter-screen>'s browser tests, mounted in the Web Test
// Runner dev server under /__test/counter/<channel>/ (each test uses its own channel, so test files
// running in parallel never share state). The element's `gateway` attribute points at the channel:
//   GET  <channel>/api/counters/<counter>/events   (or /api/units/<unit>/counters/<counter>/events, a
//        province gateway's) SSE: `retry:`, then `event: counter` with the
//        current state on connect and every change (503 while the channel is down). Once the
//        channel has a screen key, as the gateway does: `?key=<it>` gets every state, no key gets a
//        `survey` state as the paid `payment` (no token), a wrong key gets 401.
//   POST <channel>/api/surveys                     stores a rating (503 while down)
//   POST <channel>/control  JSON, one of:
//        { state: {...} }        the next CounterState (version = last + 1 unless given), pushed
//        { raw: "text" }         an arbitrary `event: counter` data line pushed as is
//        { down: true|false }    down: open streams are closed, new ones get 503
//        { pingEvery: ms }       `event: ping` (no id) to every open, non-silent stream every ms (0 stops)
//        { silent: true }        the streams open now get nothing more, but stay open (a dead link
//                                without a FIN); later connections are served normally
//        { screenKey: "…" }      the paired screen's key (see above)
//   GET  <channel>/log → { connections, ratings, open, keys, paths }  (keys: the `key` each connection sent, or null;
//        paths: the path each connection asked for, after the channel)
// And the screen's implementation chunk failing to load (offline with a cold cache), for the copy of the
// element a test imports as `qr-counter-screen.ts?load-test` only (so other test pages are not touched):
//   POST /__test/counter-chunk  { fail: n }   its next n requests for counter-screen.ts get 503
//   GET  /__test/counter-chunk  → { requests }  how many it made
import { readJson, testRoutes } from '../../../scripts/wtr-plugins.mjs';

const PREFIX = '/__test/counter/';

/** @type {Map<string, {state: any, version: number, down: boolean, clients: Map<import('node:http').ServerResponse, boolean>, connections: number, ratings: any[], keys: Array<string | null>, paths: string[], screenKey?: string, pinger?: NodeJS.Timeout}>} */
const channels = new Map();

function channelOf(name) {
  let channel = channels.get(name);
  if (!channel) {
    channel = { state: undefined, version: 0, down: false, clients: new Map(), connections: 0, ratings: [], keys: [], paths: [], screenKey: undefined };
    channels.set(name, channel);
  }
  return channel;
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const frame = (data) => `event: counter\ndata: ${data}\n\n`;

/** What a reader without the screen key gets (the gateway's publicCounterState). */
function publicState(state) {
  if (state?.state !== 'survey') return state;
  const { survey: _survey, payment, ...base } = state;
  return payment ? { ...base, state: 'payment', payment, paymentSrc: `/api/payments/${payment.id}` } : { ...base, state: 'idle' };
}

/** Sends `state` to every client, redacted for the unpaired ones. */
function push(channel, state) {
  for (const [client, paired] of channel.clients) client.write(frame(JSON.stringify(paired ? state : publicState(state))));
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://test');
  const [name = '', ...rest] = url.pathname.slice(PREFIX.length).split('/');
  const route = `/${rest.join('/')}`;
  const channel = channelOf(name);
  if (/^\/api\/(units\/[^/]+\/)?counters\/[^/]+\/events$/.test(route) && req.method === 'GET') {
    channel.connections++;
    channel.paths.push(route);
    const key = url.searchParams.get('key');
    channel.keys.push(key);
    if (channel.down) return send(res, 503, { error: { code: 'DOWN', message: 'down' } });
    if (key !== null && key !== channel.screenKey) return send(res, 401, { error: { code: 'INVALID_SCREEN_KEY', message: 'wrong key' } });
    const paired = channel.screenKey === undefined || key === channel.screenKey;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 500\n\n');
    channel.clients.set(res, paired);
    req.on('close', () => channel.clients.delete(res));
    if (channel.state) res.write(frame(JSON.stringify(paired ? channel.state : publicState(channel.state))));
    return;
  }
  if (route === '/api/surveys' && req.method === 'POST') {
    if (channel.down) return send(res, 503, { error: { code: 'DOWN', message: 'down' } });
    const body = await readJson(req);
    const key = req.headers['idempotency-key'];
    if (!channel.ratings.some((r) => r.key === key)) channel.ratings.push({ key, body });
    return send(res, 201, { id: `R${channel.ratings.length}` });
  }
  if (route === '/control' && req.method === 'POST') {
    const body = await readJson(req);
    if (typeof body.screenKey === 'string') channel.screenKey = body.screenKey;
    if (body.state) {
      channel.version = body.state.version ?? channel.version + 1;
      channel.state = { ...body.state, version: channel.version };
      push(channel, channel.state);
    }
    if (typeof body.raw === 'string') for (const client of channel.clients.keys()) client.write(frame(body.raw));
    if (typeof body.pingEvery === 'number') {
      clearInterval(channel.pinger);
      if (body.pingEvery > 0) {
        channel.pinger = setInterval(() => {
          for (const client of channel.clients.keys()) client.write(`event: ping\ndata: {"t":${Date.now()}}\n\n`);
        }, body.pingEvery);
        channel.pinger.unref();
      }
    }
    // Silenced streams leave `clients` (nothing reaches them) but are not ended.
    if (body.silent) channel.clients.clear();
    if (typeof body.down === 'boolean') {
      channel.down = body.down;
      if (body.down) {
        for (const client of channel.clients.keys()) client.destroy();
        channel.clients.clear();
      }
    }
    return send(res, 200, { version: channel.version });
  }
  if (route === '/log' && req.method === 'GET')
    return send(res, 200, { connections: channel.connections, ratings: channel.ratings, open: channel.clients.size, keys: channel.keys, paths: channel.paths });
  send(res, 404, { error: { code: 'NOT_FOUND', message: route } });
}

const CHUNK_CONTROL = '/__test/counter-chunk';
const chunk = { fail: 0, requests: 0 };

/** Fails the implementation chunk's requests made by the `?load-test` copy of the element, as told. */
function failingChunk() {
  return {
    name: 'motcua-counter-failing-chunk',
    serverStart({ server }) {
      const koaListeners = server.listeners('request');
      server.removeAllListeners('request');
      server.on('request', (req, res) => {
        if (req.url === CHUNK_CONTROL) {
          if (req.method === 'GET') return send(res, 200, { requests: chunk.requests });
          return readJson(req).then((body) => {
            chunk.fail = body.fail;
            send(res, 200, chunk);
          });
        }
        if (req.url?.startsWith('/packages/counter-screen/src/counter-screen.')) {
          if (req.headers.referer?.includes('?load-test')) {
            chunk.requests++;
            if (chunk.fail > 0) {
              chunk.fail--;
              return send(res, 503, { error: { code: 'DOWN', message: 'chunk unavailable' } });
            }
          }
          // Never from the browser's HTTP cache: another test page may have loaded it first.
          const writeHead = res.writeHead;
          res.writeHead = (...args) => {
            for (const header of ['etag', 'last-modified']) res.removeHeader(header);
            res.setHeader('cache-control', 'no-store');
            return writeHead.apply(res, args);
          };
        }
        for (const listener of koaListeners) listener.call(server, req, res);
      });
    },
  };
}

export default [testRoutes('motcua-counter-test-server', PREFIX, handle), failingChunk()];
