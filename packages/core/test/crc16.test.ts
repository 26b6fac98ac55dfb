import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc16, crc16Hex } from '../src/crc16.js';

describe('crc16 (CRC-16/CCITT-FALSE)', () => {
  it('should give the standard check value 0x29B1 for "123456789"', () => {
    assert.equal(crc16('123456789'), 0x29b1);
  });

  it('should give the init value 0xFFFF for empty input', () => {
    assert.equal(crc16(''), 0xffff);
    assert.equal(crc16(new Uint8Array()), 0xffff);
  });

  it('should agree between a string and its UTF-8 bytes, including multi-byte and astral characters', () => {
    const encoder = new TextEncoder();
    for (const text of ['ASCII only', 'Lệ phí hộ tịch đ', '€ and ✓', 'emoji 😀 here', 'lone \ud800 surrogate', 'trail \udc00']) {
      assert.equal(crc16(text), crc16(encoder.encode(text)), text);
    }
  });

  it('should match a bit-by-bit reference implementation on random data', () => {
    const reference = (bytes: Uint8Array) => {
      let crc = 0xffff;
      for (const byte of bytes) {
        crc ^= byte << 8;
        for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
      return crc;
    };
    for (let n = 0; n < 200; n++) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 131 + n * 17) & 0xff;
      assert.equal(crc16(bytes), reference(bytes));
    }
  });

  it('should format as 4 upper-case hex digits with leading zeros', () => {
    assert.equal(crc16Hex('123456789'), '29B1');
    assert.match(crc16Hex('a'), /^[0-9A-F]{4}$/);
    const lowValue = Array.from({ length: 5000 }, (_, i) => String(i)).find((s) => crc16(s) < 0x1000)!;
    assert.equal(crc16Hex(lowValue).length, 4);
    assert.ok(crc16Hex(lowValue).startsWith('0'));
  });
});
