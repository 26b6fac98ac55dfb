import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANKS, findBank } from '../src/banks.js';

describe('bank directory (@motcua/core/banks)', () => {
  it('should hold all 72 banks of the reference list, each with a unique 6-digit BIN', () => {
    assert.equal(BANKS.length, 72);
    assert.equal(new Set(BANKS.map((b) => b.bin)).size, 72);
    for (const bank of BANKS) {
      assert.match(bank.bin, /^\d{6}$/);
      assert.ok(bank.code && bank.shortName && bank.name, bank.bin);
    }
  });

  it('should find by BIN first', () => {
    assert.equal(findBank('970415')?.shortName, 'VietinBank');
    assert.equal(findBank('970436')?.code, 'VCB');
    assert.equal(findBank(' 970415 ')?.bin, '970415');
  });

  it('should find by code, alternative code or short name, case-insensitively', () => {
    assert.equal(findBank('icb')?.bin, '970415');
    assert.equal(findBank('CTG')?.bin, '970415'); // stock ticker, an altCode
    assert.equal(findBank('vietinbank')?.bin, '970415');
  });

  it('should not fall back to a code lookup for an unknown BIN', () => {
    assert.equal(findBank('999999'), undefined);
    assert.equal(findBank('nope'), undefined);
    assert.equal(findBank(''), undefined);
    assert.equal(findBank(null as unknown as string), undefined);
  });

  it('should resolve colliding codes deterministically to one bank', () => {
    const cimb = BANKS.filter((b) => b.code === 'CIMB');
    assert.equal(cimb.length, 2);
    assert.equal(findBank('CIMB'), cimb[0]);
  });
});
