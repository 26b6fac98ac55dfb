// A real HTTP endpoint for <qr-survey>'s browser tests, under /__test/survey/ (see testRoutes).
// Each test uses its own bucket: POST /__test/survey/{bucket}/ratings is the survey endpoint (with
// Idempotency-Key de-duplication and one rating per token), POST …/control switches it
// (`up` | `down` = connection dropped | `status` = answer with `status`; `body`: `gateway` = the
// gateway's own `{error:{code,message}}` with `code` (default HTTP_<status>), `html` = a proxy's page,
// `json` = someone else's JSON, `none`; `delayMs` holds every answer), GET …/stats counts what arrived.

/** @typedef {{ mode: 'up' | 'down' | 'status', status: number, delayMs: number, body: string, code: string, requests: number,
 *   keys: Map<string, { body: string, id: string }>, tokens: Map<string, string>,
 *   log: { key: string | null, outcome: number | 'dropped' }[], inFlight: Map<string, number>, overlaps: number }} Bucket */

import { testRoutes } from '../../../scripts/wtr-plugins.mjs';

/** @type {Map<string, Bucket>} */
const buckets = new Map();

function bucketFor(name) {
  let bucket = buckets.get(name);
  if (!bucket) {
    bucket = {
      mode: 'up',
      status: 503,
      delayMs: 0,
      body: 'gateway',
      code: '',
      requests: 0,
      keys: new Map(),
      tokens: new Map(),
      log: [],
      inFlight: new Map(),
      overlaps: 0,
    };
    buckets.set(name, bucket);
  }
  return bucket;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'cache-control': 'no-store', ...(body !== undefined && { 'content-type': 'application/json' }), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};

async function handleRating(req, res, bucket) {
  bucket.requests += 1;
  const key = req.headers['idempotency-key'] || null;
  const raw = await readBody(req);
  if (bucket.mode === 'down') {
    bucket.log.push({ key, outcome: 'dropped' });
    req.socket.destroy();
    return;
  }
  if (key) {
    const now = (bucket.inFlight.get(key) ?? 0) + 1;
    bucket.inFlight.set(key, now);
    if (now > 1) bucket.overlaps += 1;
  }
  try {
    if (bucket.delayMs) await new Promise((resolve) => setTimeout(resolve, bucket.delayMs));
    if (bucket.mode === 'status') {
      bucket.log.push({ key, outcome: bucket.status });
      const headers = bucket.status === 429 ? { 'retry-after': '0' } : {};
      if (bucket.body === 'html') {
        res.writeHead(bucket.status, { 'content-type': 'text/html; charset=utf-8', ...headers });
        return res.end('<!doctype html><title>Bảo trì</title><h1>Hệ thống đang bảo trì</h1>');
      }
      if (bucket.body === 'json') return json(res, bucket.status, { message: 'Not Found', statusCode: bucket.status }, headers);
      if (bucket.body === 'none') return json(res, bucket.status, undefined, headers);
      return json(res, bucket.status, { error: { code: bucket.code || `HTTP_${bucket.status}`, message: `Test status ${bucket.status}` } }, headers);
    }
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      bucket.log.push({ key, outcome: 400 });
      return json(res, 400, { error: { code: 'INVALID_JSON', message: 'Body is not JSON' } });
    }
    if (!key) {
      bucket.log.push({ key, outcome: 400 });
      return json(res, 400, { error: { code: 'MISSING_IDEMPOTENCY_KEY', message: 'Idempotency-Key is required' } });
    }
    const canonical = JSON.stringify(body);
    const seen = bucket.keys.get(key);
    if (seen) {
      const outcome = seen.body === canonical ? 200 : 422;
      bucket.log.push({ key, outcome });
      return outcome === 200
        ? json(res, 200, { id: seen.id })
        : json(res, 422, { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'Same key, different body' } });
    }
    if (body.token && bucket.tokens.has(body.token)) {
      bucket.log.push({ key, outcome: 409 });
      return json(res, 409, { error: { code: 'TOKEN_USED', message: 'This dossier has already been rated' } });
    }
    const id = `r${bucket.keys.size + 1}`;
    bucket.keys.set(key, { body: canonical, id });
    if (body.token) bucket.tokens.set(body.token, key);
    bucket.log.push({ key, outcome: 201 });
    return json(res, 201, { id });
  } finally {
    if (key) bucket.inFlight.set(key, bucket.inFlight.get(key) - 1);
  }
}

async function handle(req, res, name, action) {
  const bucket = bucketFor(name);
  if (action === 'ratings' && req.method === 'POST') return handleRating(req, res, bucket);
  if (action === 'control' && req.method === 'POST') {
    const { mode = bucket.mode, status = bucket.status, delayMs = bucket.delayMs, body = 'gateway', code = '' } = JSON.parse((await readBody(req)) || '{}');
    Object.assign(bucket, { mode, status, delayMs, body, code });
    return json(res, 204);
  }
  if (action === 'stats' && req.method === 'GET') {
    return json(res, 200, {
      mode: bucket.mode,
      requests: bucket.requests,
      stored: bucket.keys.size,
      keys: [...bucket.keys.keys()],
      bodies: [...bucket.keys.values()].map((entry) => JSON.parse(entry.body)),
      log: bucket.log,
      overlaps: bucket.overlaps,
    });
  }
  return json(res, 405);
}

export default [
  testRoutes('survey-widget-test-endpoint', '/__test/survey/', (req, res) => {
    const match = /^\/__test\/survey\/([\w-]+)\/(ratings|control|stats)(?:\?.*)?$/.exec(req.url ?? '');
    if (!match) return json(res, 404, { error: { code: 'NOT_FOUND', message: String(req.url) } });
    return handle(req, res, match[1], match[2]);
  }),
];
