import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeVietQR, toMemo, VietQRError } from '../src/index.js';

describe('toMemo', () => {
  it('should strip Vietnamese diacritics, đ/Đ included', () => {
    assert.equal(toMemo('Lệ phí chứng thực bản sao', 100), 'Le phi chung thuc ban sao');
    assert.equal(toMemo('Đăng ký hộ tịch đúng hạn', 100), 'Dang ky ho tich dung han');
    assert.equal(toMemo('ĐƯỜNG ƯƠ ỄỸỵ', 100), 'DUONG UO EYy');
  });

  it('should handle precomposed and decomposed input alike', () => {
    assert.equal(toMemo('Vie\u0302\u0323t Nam'), toMemo('Việt Nam'));
  });

  it('should collapse whitespace and drop characters outside the allowed set', () => {
    assert.equal(toMemo('  MC7K2Q9XA\t\n  LE   PHI  '), 'MC7K2Q9XA LE PHI');
    assert.equal(toMemo('<script>alert("x")</script>', 100), 'scriptalert(x)/script');
    assert.equal(toMemo('A & B # C % D 😀 "E"', 100), 'A B C D E');
  });

  it('should never return more than maxLength, preferring a word boundary', () => {
    assert.equal(toMemo('MC7K2Q9XA Le phi dang ky ho tich'), 'MC7K2Q9XA Le phi dang ky');
    assert.equal(toMemo('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123'), 'ABCDEFGHIJKLMNOPQRSTUVWXY');
    for (let max = 1; max < 40; max++) assert.ok(toMemo('Trả kết quả qua bưu chính công ích tận nhà', max).length <= max);
  });

  it('should always produce text encodeVietQR accepts as a purpose', () => {
    const samples = ['Lệ phí cấp bản sao trích lục hộ tịch', '"<>&\'`', 'ễ'.repeat(40), '', '   ', 'Phí thẩm định hồ sơ đăng ký kinh doanh'];
    for (const text of samples) {
      assert.doesNotThrow(() => encodeVietQR({ bin: '970415', account: '1', purpose: toMemo(text) }), text);
    }
  });

  it('should reject a non-string text or a bad maxLength with a VietQRError', () => {
    for (const [text, max] of [
      [null, 25],
      [42, 25],
      ['x', 0],
      ['x', 2.5],
    ] as const) {
      assert.throws(
        () => toMemo(text as string, max),
        (e: unknown) => e instanceof VietQRError && e.code === 'INVALID_FIELD',
      );
    }
  });
});
