// The process under test, forked by run.mjs: either the built gateway (packages/gateway/dist) or the
// named peer — a minimal node:http server doing only the same HMAC check and SSE broadcast, no database.
// Answers IPC 'rss' with its resident set size.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const mode = process.argv[2];
process.on('message', (message) => {
  if (message === 'rss') process.send({ rss: process.memoryUsage().rss });
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
});

if (mode === 'gateway') {
  const { startGateway } = await import('../../packages/gateway/dist/index.js');
  const gateway = await startGateway(JSON.parse(process.argv[3]));
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
