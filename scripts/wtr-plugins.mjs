// Dev-server plugins shared by the browser test runner (and the demo's dev server).
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);

const NODE_TEST_SHIM = `
// node:test on top of Mocha's globals, so isomorphic tests run unchanged in the browser.
const mocha = globalThis;
function wrap(fn) {
  // Mocha treats a one-parameter function as callback-style; node:test passes a context instead.
  return fn && function () {
    const ctx = this;
    return fn.call(ctx, { name: ctx.test?.title, skip: () => ctx.skip(), diagnostic: () => {}, todo: () => {} });
  };
}
function register(kind) {
  return (name, options, fn) => {
    if (typeof options === 'function') { fn = options; options = {}; }
    options ??= {};
    if (options.skip || options.todo) return mocha[kind].skip(name, wrap(fn));
    const registered = options.only ? mocha[kind].only(name, wrap(fn)) : mocha[kind](name, wrap(fn));
    // node:test's \`timeout\` option is Mocha's timeout of that test or suite.
    if (options.timeout !== undefined) registered.timeout(options.timeout);
    return registered;
  };
}
export const describe = register('describe');
export const suite = describe;
export const it = register('it');
export const test = it;
export const before = (fn) => mocha.before(wrap(fn));
export const after = (fn) => mocha.after(wrap(fn));
export const beforeEach = (fn) => mocha.beforeEach(wrap(fn));
export const afterEach = (fn) => mocha.afterEach(wrap(fn));
export default test;
`;

const NODE_ASSERT_SHIM = `
// The subset of node:assert/strict that the isomorphic tests use, built on chai's assert.
import { assert as chai } from '@esm-bundle/chai';
export class AssertionError extends Error { name = 'AssertionError'; }
function fail(message) { throw new AssertionError(message ?? 'Failed'); }
function matches(error, expected) {
  if (expected === undefined) return true;
  if (expected instanceof RegExp) return expected.test(String(error?.message ?? error));
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected.call({}, error) === true;
  }
  if (typeof expected === 'object') {
    return Object.entries(expected).every(([key, value]) =>
      value instanceof RegExp ? value.test(String(error?.[key])) : JSON.stringify(error?.[key]) === JSON.stringify(value));
  }
  return false;
}
const assert = (value, message) => chai.ok(value, message);
assert.ok = (value, message) => chai.ok(value, message);
assert.equal = assert.strictEqual = (a, b, m) => chai.strictEqual(a, b, m);
assert.notEqual = assert.notStrictEqual = (a, b, m) => chai.notStrictEqual(a, b, m);
assert.deepEqual = assert.deepStrictEqual = (a, b, m) => chai.deepEqual(a, b, m);
assert.notDeepEqual = assert.notDeepStrictEqual = (a, b, m) => chai.notDeepEqual(a, b, m);
assert.match = (s, re, m) => chai.match(s, re, m);
assert.doesNotMatch = (s, re, m) => chai.notMatch(s, re, m);
assert.fail = fail;
assert.throws = (fn, expected, message) => {
  try { fn(); } catch (error) {
    if (!matches(error, expected)) fail(message ?? 'The error did not match: ' + (error?.stack ?? error));
    return;
  }
  fail(message ?? 'Missing expected exception.');
};
assert.doesNotThrow = (fn, message) => {
  try { fn(); } catch (error) { fail((typeof message === 'string' ? message : 'Got unwanted exception: ') + (error?.message ?? error)); }
};
assert.rejects = async (promiseOrFn, expected, message) => {
  try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (error) {
    if (!matches(error, expected)) fail(message ?? 'The rejection did not match: ' + (error?.stack ?? error));
    return;
  }
  fail(message ?? 'Missing expected rejection.');
};
assert.doesNotReject = async (promiseOrFn, message) => {
  try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (error) { fail((message ?? 'Got unwanted rejection: ') + (error?.message ?? error)); }
};
assert.strict = assert;
export const { ok, equal, strictEqual, notEqual, notStrictEqual, deepEqual, deepStrictEqual, notDeepEqual,
  notDeepStrictEqual, match, doesNotMatch, throws, doesNotThrow, rejects, doesNotReject, strict } = assert;
export { fail };
export default assert;
`;

const SHIMS = {
  'node:test': { path: '/__motcua/node-test.js', body: NODE_TEST_SHIM },
  'node:assert/strict': { path: '/__motcua/node-assert.js', body: NODE_ASSERT_SHIM },
  'node:assert': { path: '/__motcua/node-assert.js', body: NODE_ASSERT_SHIM },
};

/** Serves node:test and node:assert to the browser so core's tests run unchanged in Chromium. */
export function nodeTestShims() {
  return {
    name: 'motcua-node-test-shims',
    resolveImport({ source }) {
      return SHIMS[source]?.path;
    },
    serve(context) {
      const shim = Object.values(SHIMS).find((s) => s.path === context.path);
      if (shim) return { body: shim.body, type: 'js' };
    },
  };
}

let qrcodeBundle;
/**
 * qrcode is CommonJS. The dev server serves it as one ES module (default export plus the named
 * functions) bundled from its browser entry; the Rollup build uses @rollup/plugin-commonjs instead.
 */
export function qrcodeAsEsm() {
  const PATH = '/__motcua/qrcode.js';
  return {
    name: 'motcua-qrcode-esm',
    resolveImport({ source }) {
      if (source === 'qrcode') return PATH;
    },
    async serve(context) {
      if (context.path !== PATH) return;
      qrcodeBundle ??= esbuild
        .build({
          stdin: {
            contents: `import qrcode from ${JSON.stringify(require.resolve('qrcode/lib/browser.js'))};
export default qrcode;
export const { create, toCanvas, toDataURL, toString } = qrcode;`,
            resolveDir: path.dirname(require.resolve('qrcode/package.json')),
          },
          bundle: true,
          format: 'esm',
          target: 'es2022',
          write: false,
        })
        .then((result) => result.outputFiles[0].text);
      return { body: await qrcodeBundle, type: 'js' };
    },
  };
}

/**
 * A dev-server plugin answering every request under `prefix` with `handle(req, res)` (plain
 * node:http), for the real HTTP/SSE test servers of the widget tests. It takes the requests at the
 * HTTP server, ahead of Koa: the dev server composed its Koa middleware before `serverStart` runs
 * (koa-compose copies the list), so `app.use()` there would never be reached.
 */
export function testRoutes(name, prefix, handle) {
  return {
    name,
    serverStart({ server }) {
      const koaListeners = server.listeners('request');
      server.removeAllListeners('request');
      server.on('request', (req, res) => {
        if (!req.url?.startsWith(prefix)) {
          for (const listener of koaListeners) listener.call(server, req, res);
          return;
        }
        Promise.resolve()
          .then(() => handle(req, res))
          .catch((error) => {
            if (res.headersSent) return res.end();
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'TEST_SERVER', message: String(error?.stack ?? error) } }));
          });
      });
    },
  };
}

/** The request body parsed as JSON (`{}` when empty); rejects on malformed JSON. For testRoutes handlers. */
export function readJson(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}
