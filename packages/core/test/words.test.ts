import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AmountWordsError, amountInWords, numberInWords } from '../src/words.js';

/** An independent reader of the Vietnamese words back to a number (not the writer run backwards). */
function readVietnamese(text: string): bigint {
  const digits: Record<string, bigint> = {
    không: 0n,
    một: 1n,
    mốt: 1n,
    hai: 2n,
    ba: 3n,
    bốn: 4n,
    tư: 4n,
    năm: 5n,
    lăm: 5n,
    sáu: 6n,
    bảy: 7n,
    tám: 8n,
    chín: 9n,
  };
  let total = 0n; // everything up to the last "tỷ"
  let below = 0n; // triệu and nghìn read since
  let group = 0n;
  let pending = 0n;
  for (const word of text.split(' ')) {
    if (word in digits) pending = digits[word]!;
    else if (word === 'trăm') [group, pending] = [group + pending * 100n, 0n];
    else if (word === 'mươi') [group, pending] = [group + pending * 10n, 0n];
    else if (word === 'mười') group += 10n;
    else if (word === 'linh') continue;
    else if (word === 'nghìn' || word === 'triệu') [below, group, pending] = [below + (group + pending) * (word === 'nghìn' ? 1000n : 1_000_000n), 0n, 0n];
    else if (word === 'tỷ') [total, below, group, pending] = [(total + below + group + pending) * 1_000_000_000n, 0n, 0n, 0n];
    else throw new Error(`unexpected word "${word}" in "${text}"`);
  }
  return total + below + group + pending;
}

/** An independent reader of the English words. */
function readEnglish(text: string): bigint {
  const small = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen'];
  const teens: Record<string, number> = { sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19 };
  const tens: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
  const scales: Record<string, bigint> = { thousand: 10n ** 3n, million: 10n ** 6n, billion: 10n ** 9n, trillion: 10n ** 12n, quadrillion: 10n ** 15n };
  let total = 0n;
  let group = 0n;
  for (const word of text.split(/[ -]/)) {
    if (small.includes(word)) group += BigInt(small.indexOf(word));
    else if (word in teens) group += BigInt(teens[word]!);
    else if (word in tens) group += BigInt(tens[word]!);
    else if (word === 'hundred') group *= 100n;
    else if (word in scales) [total, group] = [total + group * scales[word]!, 0n];
    else throw new Error(`unexpected word "${word}" in "${text}"`);
  }
  return total + group;
}

// The full counts run in Node; in Chromium, where each test shares Mocha's 15 s timeout with a loaded
// machine, a quarter of them check that the browser agrees (as properties.test.ts does).
const runs = (count: number) => (typeof document === 'undefined' ? count : Math.ceil(count / 4));

describe('amountInWords', () => {
  it('should write the tricky Vietnamese numbers as a slip reads them', () => {
    const cases: Array<[number, string]> = [
      [0, 'Không đồng'],
      [1, 'Một đồng'],
      [5, 'Năm đồng'],
      [10, 'Mười đồng'],
      [11, 'Mười một đồng'],
      [14, 'Mười bốn đồng'],
      [15, 'Mười lăm đồng'],
      [20, 'Hai mươi đồng'],
      [21, 'Hai mươi mốt đồng'],
      [24, 'Hai mươi tư đồng'],
      [25, 'Hai mươi lăm đồng'],
      [101, 'Một trăm linh một đồng'],
      [104, 'Một trăm linh bốn đồng'],
      [105, 'Một trăm linh năm đồng'],
      [110, 'Một trăm mười đồng'],
      [111, 'Một trăm mười một đồng'],
      [115, 'Một trăm mười lăm đồng'],
      [2000, 'Hai nghìn đồng'],
      [8000, 'Tám nghìn đồng'],
      [10_000, 'Mười nghìn đồng'],
      [50_000, 'Năm mươi nghìn đồng'],
      [100_000, 'Một trăm nghìn đồng'],
      [105_000, 'Một trăm linh năm nghìn đồng'],
      [200_000, 'Hai trăm nghìn đồng'],
      [1_205_000, 'Một triệu hai trăm linh năm nghìn đồng'],
      [1_000_001, 'Một triệu không trăm linh một đồng'],
      [1_005_000, 'Một triệu không trăm linh năm nghìn đồng'],
      [1_050_000, 'Một triệu không trăm năm mươi nghìn đồng'],
      [1_000_000, 'Một triệu đồng'],
      [21_500_000, 'Hai mươi mốt triệu năm trăm nghìn đồng'],
      [2_000_000_000, 'Hai tỷ đồng'],
      [2_000_000_015, 'Hai tỷ không trăm mười lăm đồng'],
      [1_000_000_000_000, 'Một nghìn tỷ đồng'],
      [1_234_567_890_123, 'Một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi nghìn một trăm hai mươi ba đồng'],
      [9_999_999_999_999, 'Chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng'],
      [2_000_000_000_000_000, 'Hai triệu tỷ đồng'],
    ];
    for (const [amount, words] of cases) assert.equal(amountInWords(amount), words, String(amount));
  });

  it('should write English on the short scale, hyphenating 21–99', () => {
    const cases: Array<[number, string]> = [
      [0, 'Zero dong'],
      [1, 'One dong'],
      [15, 'Fifteen dong'],
      [21, 'Twenty-one dong'],
      [105, 'One hundred five dong'],
      [50_000, 'Fifty thousand dong'],
      [1_205_000, 'One million two hundred five thousand dong'],
      [1_000_001, 'One million one dong'],
      [2_000_000_000, 'Two billion dong'],
      [
        1_234_567_890_123,
        'One trillion two hundred thirty-four billion five hundred sixty-seven million eight hundred ninety thousand one hundred twenty-three dong',
      ],
    ];
    for (const [amount, words] of cases) assert.equal(amountInWords(amount, 'en'), words, String(amount));
  });

  it('should read the same amount alike as a number, a bigint and a digit string (leading zeros ignored)', () => {
    assert.equal(amountInWords('050000'), 'Năm mươi nghìn đồng');
    assert.equal(amountInWords(10n ** 18n), 'Một tỷ tỷ đồng');
    assert.equal(numberInWords('000'), 'không');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.constantFrom('vi' as const, 'en' as const), (amount, locale) => {
        const words = amountInWords(amount, locale);
        assert.equal(amountInWords(String(amount), locale), words);
        if (amount <= BigInt(Number.MAX_SAFE_INTEGER)) assert.equal(amountInWords(Number(amount), locale), words);
      }),
      { numRuns: runs(100) },
    );
  });

  it('should read back to the same number (Vietnamese and English, up to 24 digits)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n - 1n }), (amount) => {
        assert.equal(readVietnamese(numberInWords(amount)), amount);
      }),
      { numRuns: runs(2000) },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }), (amount) => {
        assert.equal(readEnglish(numberInWords(amount, 'en')), amount);
      }),
      { numRuns: runs(2000) },
    );
    // Every amount a VietQR of a few digits carries, exhaustively.
    for (let amount = 0; amount < runs(20_000); amount++) assert.equal(readVietnamese(numberInWords(amount)), BigInt(amount));
  });

  it('should keep the spoken rules: mốt and tư only after mươi, lăm only after a tens word, linh only between trăm and a digit', () => {
    const digit = /^(một|hai|ba|bốn|năm|sáu|bảy|tám|chín)$/;
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), (amount) => {
        const words = numberInWords(amount).split(' ');
        words.forEach((word, i) => {
          const before = words[i - 1];
          if (word === 'mốt' || word === 'tư') assert.equal(before, 'mươi', words.join(' '));
          if (word === 'lăm') assert.ok(before === 'mươi' || before === 'mười', words.join(' '));
          if (word === 'linh') {
            assert.equal(before, 'trăm', words.join(' '));
            assert.match(words[i + 1] ?? '', digit, words.join(' '));
          }
          if (word === 'không') assert.equal(words[i + 1], 'trăm', words.join(' '));
          // "mười một", "mười bốn", never "mười mốt"/"mười tư"; a digit after mươi is never plain "một"/"năm".
          if (before === 'mươi') assert.ok(word !== 'một' && word !== 'năm', words.join(' '));
        });
      }),
      { numRuns: runs(2000) },
    );
  });

  it('should refuse what is not a whole, non-negative amount, with a typed error', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, -1n, '', '12a', '-5', '1e6', ' 5', '1'.repeat(25)]) {
      assert.throws(
        () => amountInWords(bad as number),
        (error: unknown) => error instanceof AmountWordsError && error.code === 'INVALID_AMOUNT',
        String(bad),
      );
    }
    assert.throws(() => amountInWords({} as unknown as number), AmountWordsError);
  });
});
