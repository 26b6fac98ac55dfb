// Shared by the benchmarks: one way to measure operations per second, and (below) the pieces of the
// gateway benchmarks.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

/** Milliseconds of wall-clock time, or (`cpu`) of this process's CPU time: on a shared machine the
 * CPU time leaves out the slices other processes take, which wall-clock rounds charge at random to
 * whichever side was running. */
const CLOCKS = {
  wall: () => performance.now(),
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

/** Operations per second of `fn(i)` over one round of at least `minRoundMs`, `batch` calls between clock reads. */
function roundRate(fn, minRoundMs, batch, now = CLOCKS.wall) {
  let n = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < minRoundMs) {
    for (let i = 0; i < batch; i++) fn(n++);
    elapsed = now() - start;
  }
  return (n / elapsed) * 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Median operations per second of `fn(i)` over `rounds` rounds of at least `minRoundMs` each, after
 * `warmup` calls for the JIT; `batch` calls run between clock reads.
 */
export function opsPerSecond(fn, { rounds = 7, minRoundMs = 200, warmup = 2000, batch = 500 } = {}) {
  for (let i = 0; i < warmup; i++) fn(i);
  const rates = [];
  for (let round = 0; round < rounds; round++) rates.push(roundRate(fn, minRoundMs, batch));
  return median(rates);
}

/**
 * `ours` against `theirs` in alternating rounds (ours, theirs, ours…), so that the load of a shared
 * machine falls on both alike: the median operations per second of each and the median of the
 * per-round ratios ours/theirs (steadier than the ratio of two medians taken seconds apart).
 * `clock: 'cpu'` times rounds in this process's CPU time instead of wall-clock time (see CLOCKS).
 */
export function compareOpsPerSecond(ours, theirs, { rounds = 15, minRoundMs = 100, warmup = 2000, batch = 200, clock = 'wall' } = {}) {
  const now = Object.hasOwn(CLOCKS, clock) ? CLOCKS[clock] : undefined;
  if (!now) throw new Error(`clock must be ${Object.keys(CLOCKS).join(' or ')}, not ${clock}`);
  for (let i = 0; i < warmup; i++) {
    ours(i);
    theirs(i);
  }
  const a = [];
  const b = [];
  const ratios = [];
  for (let round = 0; round < rounds; round++) {
    a.push(roundRate(ours, minRoundMs, batch, now));
    b.push(roundRate(theirs, minRoundMs, batch, now));
    ratios.push(a[round] / b[round]);
  }
  return { ours: median(a), theirs: median(b), ratio: median(ratios) };
}

// ---- Gateway benchmarks (bench/gateway, bench/province): the process under test, a throwaway
// PostgreSQL database, an HTTP client and an event-stream reader light enough to run 10,000 of.

/** The `p`th percentile of an ascending array (undefined when empty). */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;
export const ms = (value) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);

/** `X-Signature` of the generic bank-notification provider: HMAC-SHA256 of the raw body. */
export const signNotification = (secret, body) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
/**
 * An HTTP request over a keep-alive node:http agent (lighter than fetch, so the client steals less CPU
 * from the server): `{status, text}`. `retries`: how many times to send it again when the connection
 * breaks before an answer (a kept-alive socket the server closed meanwhile) — for requests that are
 * safe to repeat; `onRetry` is told each time.
 */
export async function request(url, { retries = 0, onRetry, ...options } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce(url, options);
    } catch (error) {
      if (attempt >= retries || !['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(error.code)) throw error;
      onRetry?.(error);
    }
  }
}

function requestOnce(url, { method = 'POST', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Shorthand: POST `body` with `headers`, resolving to the status. */
export const post = async (url, headers, body) => (await request(url, { headers, body })).status;

/**
 * Opens one Server-Sent Events stream and calls `onEvent({event, id, data}, arrivedAt)` for every
 * event but the heartbeat's `ping` (`arrivedAt`: performance.now() when its bytes arrived). Resolves
 * once the response headers are in; `closed` turns true if the server ends the stream.
 */
export function openEventStream(url, onEvent, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${url} answered ${res.statusCode}`));
        return;
      }
      const stream = { closed: false, close: () => req.destroy() };
      res.on('close', () => (stream.closed = true));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        const arrivedAt = performance.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = { event: 'message', id: undefined, data: undefined };
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('data: ')) event.data = (event.data === undefined ? '' : `${event.data}\n`) + line.slice(6);
          }
          buffer = buffer.slice(end + 2);
          if (event.data !== undefined && event.event !== 'ping') onEvent(event, arrivedAt);
        }
      });
      resolve(stream);
    });
    req.on('error', reject);
  });
}

const SERVER = fileURLToPath(new URL('./gateway/server.mjs', import.meta.url));
/**
 * Forks bench/gateway/server.mjs: `mode` is `gateway` (`arg`: its config as JSON), `gateway-env` (the
 * configuration from `env`, as the CLI reads it) or `peer`. Resolves once it listens, with its URL,
 * `rss()`, `cpu()` (ms of CPU time used so far), `ask(question)` (any other IPC question) and `stop()`.
 */
export function startServer(mode, arg, { execArgv = [], env } = {}) {
  const child = fork(SERVER, [mode, arg ?? ''], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, ...(env ? { env } : {}) });
  /** Sends an IPC question (`'rss'`, `'cpu'`…) to the server; resolves to its answer. */
  const ask = (question) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(question);
    });
  return new Promise((resolve, reject) => {
    child.once('message', (m) =>
      resolve({
        child,
        url: m.url,
        ask,
        rss: async () => (await ask('rss')).rss,
        cpu: async () => {
          const { cpu } = await ask('cpu');
          return (cpu.user + cpu.system) / 1000;
        },
        stop: () =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', r);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
}
