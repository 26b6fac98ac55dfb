// The process under test, forked by bench/lib.mjs's startServer: either the built gateway
// (packages/gateway/dist; `gateway <config JSON>`, or `gateway-env`: configured from the environment as
// the CLI is) or the named peer — a minimal node:http server doing only the same HMAC check and SSE
// broadcast, no database. Answers IPC 'rss' with its resident set size, 'memory' with its parts, 'cpu' with its CPU usage,
// 'lag' with how late its event loop ran since the last 'lag' (ms: p50, p99, max), 'statements' with
// the statements the gateway sent to PostgreSQL so far (by text: a wrapped pg.Client#query; PGlite runs
// the same ones).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';

const mode = process.argv[2];
// The bench that forked this process is gone (crashed, killed): nothing may outlive it.
process.on('disconnect', () => process.exit(1));
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const statements = {};
process.on('message', (message) => {
  if (message === 'rss') process.send({ rss: process.memoryUsage().rss });
  if (message === 'memory') {
    // Where the resident set is: V8's heap (its young generation apart), off-heap buffers, and the rest
    // (PGlite's WASM memory is an ArrayBuffer: in arrayBuffers).
    const { rss, heapTotal, arrayBuffers } = process.memoryUsage();
    const young = getHeapSpaceStatistics()
      .filter((space) => space.space_name === 'new_space')
      .reduce((sum, space) => sum + space.space_size, 0);
    process.send({ memory: { rss, heapTotal, young, arrayBuffers } });
  }
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  if (message === 'lag') {
    process.send({ lag: { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 } });
    lag.reset();
  }
  if (message === 'statements') process.send({ statements });
});

if (mode === 'gateway' || mode === 'gateway-env') {
  // The gateway's `pg` is this one (hoisted by the workspace): count what each client sends.
  const { default: pg } = await import('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) {
    const text = typeof config === 'string' ? config : config?.text;
    if (text) {
      // Literals (the NOTIFY payloads sent with COMMIT) vary: count the statement's shape.
      const key = text
        .replace(/E?'(?:[^']|'')*'/g, "'…'")
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 90);
      statements[key] = (statements[key] ?? 0) + 1;
    }
    return query.call(this, config, ...rest);
  };
  // BENCH_GATEWAY_DIST: another build of the gateway to measure (e.g. a copy of main's dist under node_modules/).
  const dist = process.env.BENCH_GATEWAY_DIST ? path.resolve(process.env.BENCH_GATEWAY_DIST, 'index.js') : '../../packages/gateway/dist/index.js';
  const resolve = (file) =>
    dist.startsWith('.') ? new URL(file, new URL(dist, import.meta.url)).href : pathToFileURL(path.join(path.dirname(dist), file)).href;
  const { configFromEnv, startGateway } = await import(resolve('index.js'));
  const config = mode === 'gateway' ? JSON.parse(process.argv[3]) : configFromEnv();
  // As the motcua-gateway CLI starts PGlite (a build without lean-wasm.js had no such step).
  if (!config.databaseUrl)
    await import(resolve('lean-wasm.js')).then(
      (m) => m.compileWasmWithoutLiftoff(),
      () => {},
    );
  const gateway = await startGateway(config);
  process.send({ url: gateway.url });
  process.on('SIGTERM', () => gateway.close().then(() => process.exit(0)));
} else {
  const secret = process.argv[3];
  const subscribers = new Set();
  let version = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(`retry: 3000\n\nevent: payment\nid: ${version}\ndata: {"version":${version}}\n\n`);
      subscribers.add(res);
      res.on('close', () => subscribers.delete(res));
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac('sha256', secret).update(raw).digest();
      const given = Buffer.from(String(req.headers['x-signature'] ?? '').replace('sha256=', ''), 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.writeHead(401).end();
      const body = JSON.parse(raw.toString());
      version++;
      const frame = `event: payment\nid: ${version}\ndata: ${JSON.stringify({ ...body, version })}\n\n`;
      for (const subscriber of subscribers) subscriber.write(frame);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
  process.on('SIGTERM', () => process.exit(0));
}
