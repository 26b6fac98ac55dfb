// Issue 13 item 1: MOTCUA_CONFIG names a JSON file of units; the sample in docs/province.md loads; a
// bad file stops start-up with a message naming the field.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { configFromEnv, unitsOf } from '../src/config.js';
import { startGateway } from '../src/index.js';
import { parseUnits } from '../src/units.js';

const DOC = fileURLToPath(new URL('../../../docs/province.md', import.meta.url));
/** The JSON block under "## The config file" in docs/province.md. */
const documentedConfig = (): Record<string, any> => {
  const block = /## The config file\s+```json\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'))?.[1];
  assert.ok(block, 'docs/province.md has a json block under "The config file"');
  return JSON.parse(block);
};
const unit = (id: string, account: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `UBND ${id}`,
  account: { bin: '970415', account, accountName: `UBND ${id.toUpperCase()}` },
  ...extra,
});

describe('the units config (MOTCUA_CONFIG)', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'motcua-units-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const at = path.join(folder, name);
    writeFileSync(at, content);
    return at;
  };

  it('should load the sample of docs/province.md as its units and province keys', () => {
    const sample = documentedConfig();
    const config = configFromEnv({ MOTCUA_CONFIG: file('sample.json', JSON.stringify(sample)) });
    assert.deepEqual(
      config.units?.map((u) => u.id),
      ['hang-gai', 'dong-tam'],
    );
    assert.deepEqual(config.provinceKeys, sample.provinceKeys);
    const [hangGai, dongTam] = config.units!;
    assert.deepEqual(hangGai!.account, sample.units[0].account);
    assert.deepEqual(hangGai!.counters, { C1: 'Quầy 1', C2: 'Quầy 2' });
    assert.deepEqual(hangGai!.screenKeys, { C1: 'hang-gai-screen-C1-0123456789' });
    assert.equal(hangGai!.webhooks[0]!.url, 'https://portal.example.gov.vn/motcua/hang-gai');
    assert.deepEqual(dongTam!.webhooks, []);
    assert.deepEqual(dongTam!.screenKeys, {});
    assert.deepEqual(unitsOf(config).units, config.units);
  });

  it('should start a gateway on the sample of docs/province.md: each unit’s key and the province key work', async () => {
    const sample = documentedConfig();
    const config = configFromEnv({
      MOTCUA_CONFIG: file('start.json', JSON.stringify(sample)),
      MOTCUA_DATA_DIR: 'memory://',
      MOTCUA_PORT: '0',
      MOTCUA_LOG_LEVEL: 'silent',
    });
    const gateway = await startGateway(config);
    try {
      const call = async (path: string, key: string, init: RequestInit = {}) => {
        const response = await fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
        return { status: response.status, body: (await response.json()) as any };
      };
      const created = await call('/api/payments', sample.units[1].apiKeys[0], {
        method: 'POST',
        body: JSON.stringify({ dossier: 'HS-SAMPLE-1', amount: 20_000, purpose: 'Le phi', counter: 'C1' }),
      });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.bank, sample.units[1].account);
      assert.equal((await call('/api/payments', sample.units[0].apiKeys[0])).body.payments.length, 0);
      const province = await call('/api/province/reports/reconciliation', sample.provinceKeys[0]);
      assert.deepEqual(
        province.body.units.map((u: { unit: string; name: string }) => [u.unit, u.name]),
        [
          ['hang-gai', 'UBND phường Hàng Gai'],
          ['dong-tam', 'UBND xã Đồng Tâm'],
        ],
      );
    } finally {
      await gateway.close();
    }
  });

  it('should keep the env-only configuration as one implicit unit', () => {
    const config = configFromEnv({
      MOTCUA_UNIT_ID: 'hang-bac',
      MOTCUA_BANK_BIN: '970415',
      MOTCUA_BANK_ACCOUNT: '222222222222',
      MOTCUA_BANK_ACCOUNT_NAME: 'UBND HANG BAC',
      MOTCUA_API_KEYS: 'k1-0123456789,k2-0123456789',
      MOTCUA_COUNTERS: 'C1=Quầy 1',
    });
    assert.equal(config.units, undefined);
    const { units, provinceKeys } = unitsOf(config);
    assert.deepEqual(provinceKeys, []);
    assert.equal(units.length, 1);
    assert.deepEqual(
      { id: units[0]!.id, account: units[0]!.account.account, keys: units[0]!.apiKeys, counters: units[0]!.counters },
      { id: 'hang-bac', account: '222222222222', keys: ['k1-0123456789', 'k2-0123456789'], counters: { C1: 'Quầy 1' } },
    );
    assert.equal(unitsOf(configFromEnv({})).units[0]!.id, 'default');
  });

  const refusals: Array<[string, unknown, RegExp]> = [
    ['no units', { units: [] }, /^MOTCUA_CONFIG\.units must be a list of at least 1 items$/],
    ['not an object', [], /^MOTCUA_CONFIG must be an object$/],
    [
      'a bad BIN',
      { units: [unit('a', '1'), unit('b', '2'), unit('c', '3'), { ...unit('d', '4'), account: { bin: '97041', account: '4', accountName: 'D' } }] },
      /^MOTCUA_CONFIG\.units\[3\]\.account\.bin must be a string matching \/\^\[0-9\]\{6\}\$\/$/,
    ],
    ['a missing name', { units: [{ id: 'a', account: unit('a', '1').account }] }, /^MOTCUA_CONFIG\.units\[0\]\.name must be a string of 1–200 characters/],
    ['an unsafe unit id', { units: [unit('Hang Gai', '1')] }, /^MOTCUA_CONFIG\.units\[0\]\.id must be a string matching/],
    ['a short API key', { units: [unit('a', '1', { apiKeys: ['short'] })] }, /^MOTCUA_CONFIG\.units\[0\]\.apiKeys\[0\] must be a string matching/],
    ['a bad counter id', { units: [unit('a', '1', { counters: { 'C 1': 'Quầy 1' } })] }, /^MOTCUA_CONFIG\.units\[0\]\.counters\.C 1 must be a string matching/],
    [
      'a bad screen key',
      { units: [unit('a', '1', { counters: { C1: 'Q' }, screenKeys: { C1: 'short' } })] },
      /^MOTCUA_CONFIG\.units\[0\]\.screenKeys\.C1 must be a string matching/,
    ],
    ['duplicate unit ids', { units: [unit('a', '1'), unit('b', '2'), unit('a', '3')] }, /^MOTCUA_CONFIG\.units\[2\]\.id: "a" is also the id of units\[0\]$/],
    [
      'a key in two units',
      { units: [unit('a', '1', { apiKeys: ['x-0123456789abcdef', 'shared-0123456789abcdef'] }), unit('b', '2', { apiKeys: ['shared-0123456789abcdef'] })] },
      /^MOTCUA_CONFIG\.units\[1\]\.apiKeys\[0\] is also units\[0\]\.apiKeys\[1\]: a key belongs to one unit$/,
    ],
    [
      'a unit key that is a province key',
      { provinceKeys: ['shared-0123456789abcdef'], units: [unit('a', '1', { apiKeys: ['shared-0123456789abcdef'] })] },
      /^MOTCUA_CONFIG\.units\[0\]\.apiKeys\[0\] is also provinceKeys\[0\]/,
    ],
    [
      'two units on one account number (even at two banks)',
      { units: [unit('a', '111111111111'), { ...unit('b', '1'), account: { bin: '970418', account: '111111111111', accountName: 'B' } }] },
      /^MOTCUA_CONFIG\.units\[1\]\.account\.account: 111111111111 is also the account of units\[0\]; each unit collects into its own$/,
    ],
    [
      'a bad webhook URL',
      { units: [unit('a', '1', { webhooks: [{ url: 'ftp://x', secret: '0123456789abcdef' }] })] },
      /^MOTCUA_CONFIG\.units\[0\]\.webhooks\[0\]\.url must be an http\(s\) URL without credentials$/,
    ],
  ];
  for (const [what, value, message] of refusals) it(`should refuse ${what}, naming the field`, () => assert.throws(() => parseUnits(value), { message }));

  it('should refuse a missing file, a file that is not JSON, and single-unit variables beside the file', () => {
    assert.throws(() => configFromEnv({ MOTCUA_CONFIG: path.join(folder, 'none.json') }), /^Error: MOTCUA_CONFIG: cannot read .*none\.json \(ENOENT\)$/);
    assert.throws(() => configFromEnv({ MOTCUA_CONFIG: file('bad.json', '{"units": [') }), /^Error: MOTCUA_CONFIG: .*bad\.json is not JSON/);
    const good = file('good.json', JSON.stringify({ units: [unit('a', '1')] }));
    assert.throws(
      () => configFromEnv({ MOTCUA_CONFIG: good, MOTCUA_API_KEYS: 'k', MOTCUA_BANK_BIN: '970415' }),
      /^Error: MOTCUA_BANK_BIN, MOTCUA_API_KEYS must not be set with MOTCUA_CONFIG/,
    );
  });

  it('should not start on a unit collecting into the demo account outside dev mode, nor on a key in two units', async () => {
    const demo = { ...unit('hang-gai', '113366668888'), account: { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG DEMO' } };
    const units = parseUnits({ units: [unit('a', '1'), demo] }).units;
    await assert.rejects(startGateway({ port: 0, dataDir: 'memory://', logLevel: 'silent', units }), /Unit hang-gai collects into the demo account/);
    const twice = [
      { ...units[0]!, apiKeys: ['same-key-0123456789'] },
      { ...units[0]!, id: 'b', account: { ...units[0]!.account, account: '2' }, apiKeys: ['same-key-0123456789'] },
    ];
    await assert.rejects(
      startGateway({ port: 0, dataDir: 'memory://', logLevel: 'silent', units: twice }),
      /config\.units\[1\]\.apiKeys\[0\] is also units\[0\]\.apiKeys\[0\]/,
    );
  });
});
