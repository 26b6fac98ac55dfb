// Mixed-mode segmentation (mode 'auto'): the shortest bit stream, proven against an exhaustive search
// for short texts, never longer than qrcode's own segmentation nor in a larger version, read back
// through jsQR for every corpus, and bit for bit qrcode's symbol whenever the two segment alike.
// Node only (".node.test.ts"): these exhaustive sweeps take ~25 s and hit the browser runner's 15 s
// Mocha timeout on a loaded 2-core machine; the encoder's browser behaviour is covered by qr.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import QRCode, { type QRCodeMaskPattern } from 'qrcode';
import { encodeQr, QrError, type QrErrorCorrection } from '../src/qr.js';
import { countClass, segmentText, writeSegments, type QrSegment } from '../src/qr-segments.js';
import { LEVELS, asciiText, differs, loadJsQR, qrcodeBits, qrcodeSegments, rasterise, vietqrPayloads } from './qr-helpers.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** jsQR 1.4.0 misreads version 23 (its alignment table is wrong; see qr-properties.node.test.ts). */
const JSQR_BAD_VERSION = 23;
const COUNT_BITS = [
  [10, 12, 14],
  [9, 11, 13],
  [8, 16, 16],
];
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** Bits of one segment, from the standard's formulas in whole bits (no sixths). */
function segmentBits(mode: number, length: number, countClass: number): number {
  const data = mode === 0 ? 10 * Math.floor(length / 3) + [0, 4, 7][length % 3]! : mode === 1 ? 11 * Math.floor(length / 2) + 6 * (length % 2) : 8 * length;
  return 4 + COUNT_BITS[mode]![countClass]! + data;
}

/** The fewest bits of any segmentation of `bytes`, trying every mode for every byte (3^n at most). */
function bruteForceBits(bytes: Uint8Array, countClass: number): number {
  const modes: number[] = [];
  let best = Infinity;
  const visit = (i: number) => {
    if (i === bytes.length) {
      let bits = 0;
      for (let start = 0, end = 0; start < modes.length; start = end) {
        while (end < modes.length && modes[end] === modes[start]) end++;
        bits += segmentBits(modes[start]!, end - start, countClass);
      }
      best = Math.min(best, bits);
      return;
    }
    const value = ALPHANUMERIC.indexOf(String.fromCharCode(bytes[i]!));
    for (let mode = value < 0 ? 2 : value < 10 ? 0 : 1; mode < 3; mode++) {
      modes.push(mode);
      visit(i + 1);
      modes.pop();
    }
  };
  visit(0);
  return best;
}

/** What writeSegments really writes, in bits, and the segments as `mode:length`. */
function written(bytes: Uint8Array, segments: QrSegment[], countClass: number): number {
  let bits = 0;
  writeSegments(bytes, segments, countClass, (value, length) => {
    assert.ok(value >= 0 && value < 2 ** length, `${value} fits ${length} bits`);
    bits += length;
  });
  return bits;
}

/** Every string of `length` over `alphabet`. */
function strings(alphabet: string[], length: number): string[] {
  return length ? strings(alphabet, length - 1).flatMap((prefix) => alphabet.map((c) => prefix + c)) : [''];
}

/** Deterministic text of runs from `alphabets` (a small LCG): digits, capitals, lower case, Vietnamese… */
function runs(length: number, seed: number, alphabets: string[], maxRun = 12): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = (n: number) => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 16) % n;
  let text = '';
  while (text.length < length) {
    const alphabet = [...alphabets[next(alphabets.length)]!];
    for (let run = 1 + next(maxRun); run > 0 && text.length < length; run--) text += alphabet[next(alphabet.length)];
  }
  return text;
}
const DIGITS = '0123456789';
const CAPITALS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const LOWER = 'abcdefghijklmnopqrstuvwxyz?&=_';
const VIETNAMESE = 'ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ';

/**
 * `text` at `level`, auto mode: jsQR reads back exactly the text (and its UTF-8 bytes); the version is
 * never larger than qrcode's; the bit stream never longer than qrcode's segments in qrcode's version
 * (nor in ours); the bits written are the bits counted; and where both segment alike, the symbols
 * are equal bit for bit with the same mask.
 */
async function assertBetterOrEqual(text: string, level: QrErrorCorrection): Promise<void> {
  const jsQR = await loadJsQR();
  const bytes = utf8(text);
  const where = `${level} ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text)}`;
  let peer: ReturnType<typeof QRCode.create>;
  try {
    peer = QRCode.create(text, { errorCorrectionLevel: level });
  } catch {
    // Too long for qrcode: too long for us too, or it fits (only a shorter stream could).
    try {
      encodeQr(text, { errorCorrection: level, mask: 0 });
    } catch (error) {
      assert.ok(error instanceof QrError && error.code === 'TOO_LONG', where);
    }
    return;
  }
  const matrix = encodeQr(text, { errorCorrection: level });

  assert.ok(matrix.version <= peer.version, `${where}: version ${matrix.version}, qrcode ${peer.version}`);
  const ours = segmentText(bytes, countClass(peer.version));
  assert.ok(ours.bits <= qrcodeBits(peer), `${where}: ${ours.bits} bits, qrcode ${qrcodeBits(peer)} in v${peer.version}`);
  const plan = segmentText(bytes, countClass(matrix.version));
  assert.ok(plan.bits <= qrcodeBits(peer), `${where}: ${plan.bits} bits in v${matrix.version}`);
  assert.equal(written(bytes, plan.segments, countClass(matrix.version)), plan.bits, `${where}: bits written`);
  assert.equal(
    plan.segments.reduce((n, s) => n + s.end - s.start, 0),
    bytes.length,
  );

  const segments = plan.segments.map((s) => `${s.mode}:${s.end - s.start}`).join(' ');
  if (matrix.version === peer.version && segments === qrcodeSegments(peer)) {
    const same = QRCode.create(text, { errorCorrectionLevel: level, maskPattern: matrix.mask as QRCodeMaskPattern });
    assert.equal(differs(matrix, same), undefined, `${where}: same segments (${segments}), same symbol`);
  }

  if (matrix.version === JSQR_BAD_VERSION) return;
  const { data, width } = rasterise(matrix, 3);
  const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
  assert.ok(read, `${where}: jsQR read v${matrix.version}`);
  assert.equal(read.data, text, where);
  assert.deepEqual(Uint8Array.from(read.binaryData), bytes, where);
  assert.equal(read.version, matrix.version);
}

/**
 * How `text` at `level` compares with qrcode, counted (not asserted: assertBetterOrEqual asserts).
 * The reported figures come from their own sweep, so that test passes alone and in any order.
 */
function tally(
  stats: { texts: number; smallerVersion: number; fewerBits: number; sameSegments: number; fitsWhereQrcodeDoesNot: number },
  text: string,
  level: QrErrorCorrection,
): void {
  let peer: ReturnType<typeof QRCode.create>;
  try {
    peer = QRCode.create(text, { errorCorrectionLevel: level, maskPattern: 0 });
  } catch {
    try {
      encodeQr(text, { errorCorrection: level, mask: 0 });
      stats.fitsWhereQrcodeDoesNot++;
    } catch {}
    return;
  }
  const version = encodeQr(text, { errorCorrection: level, mask: 0 }).version; // the mask changes no version nor segment
  const bytes = utf8(text);
  stats.texts++;
  if (version < peer.version) stats.smallerVersion++;
  if (segmentText(bytes, countClass(peer.version)).bits < qrcodeBits(peer)) stats.fewerBits++;
  const segments = segmentText(bytes, countClass(version))
    .segments.map((s) => `${s.mode}:${s.end - s.start}`)
    .join(' ');
  if (version === peer.version && segments === qrcodeSegments(peer)) stats.sameSegments++;
}

describe('segmentText', () => {
  it('is optimal: equal to an exhaustive search over every segmentation, for every text of up to 6 characters over 1, A, a, é', () => {
    let count = 0;
    for (let length = 0; length <= 6; length++) {
      for (const text of strings(['1', 'A', 'a', 'é'], length)) {
        const bytes = utf8(text);
        for (let countClass = 0; countClass < 3; countClass++) {
          const { segments, bits } = segmentText(bytes, countClass);
          assert.equal(bits, bruteForceBits(bytes, countClass), `${JSON.stringify(text)} class ${countClass}`);
          assert.equal(written(bytes, segments, countClass), bits);
        }
        count++;
      }
    }
    assert.equal(count, (4 ** 7 - 1) / 3);
  });

  it('is optimal for longer texts of digits, capitals, lower case and Vietnamese (exhaustive search up to 11 bytes)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = runs(4 + (seed % 8), seed, [DIGITS, CAPITALS, LOWER, 'đ'], 5);
      const bytes = utf8(text);
      if (bytes.length > 11) continue;
      for (let countClass = 0; countClass < 3; countClass++)
        assert.equal(segmentText(bytes, countClass).bits, bruteForceBits(bytes, countClass), JSON.stringify(text));
    }
  });

  it('picks the modes the standard would: digits numeric, capitals alphanumeric, short runs absorbed', () => {
    const show = (text: string, countClass = 0) =>
      segmentText(utf8(text), countClass)
        .segments.map((s) => `${'NAB'[s.mode]}${s.end - s.start}`)
        .join(' ');
    assert.equal(show(''), '');
    assert.equal(show('0123456789'), 'N10');
    assert.equal(show('HELLO WORLD'), 'A11');
    assert.equal(show('hello'), 'B5');
    assert.equal(show('HELLO 0123456789012'), 'A6 N13');
    assert.equal(show('A1B2'), 'A4', 'a digit among capitals stays alphanumeric');
    assert.equal(show('a12b'), 'B4', 'two digits inside bytes are not worth a numeric segment');
    assert.equal(show('abc123456789012345xyz'), 'B3 N15 B3');
    // Longer count fields in versions 27–40 make a short numeric run not worth its header.
    assert.equal(show('ab1234567c'), 'B2 N7 B1');
    assert.equal(show('ab1234567c', 2), 'B10');
  });

  it('writes one byte segment of the whole text when byte only, even an empty one', () => {
    assert.deepEqual(segmentText(utf8('12345'), 0, true), { segments: [{ mode: 2, start: 0, end: 5 }], bits: 52 });
    assert.deepEqual(segmentText(utf8(''), 1, true), { segments: [{ mode: 2, start: 0, end: 0 }], bits: 20 });
  });
});

describe('encodeQr in auto mode', () => {
  it('holds the capacities of ISO/IEC 18004 Table 7 at versions 1 and 40 (numeric, alphanumeric, byte)', () => {
    const capacity: Record<QrErrorCorrection, [number, number, number][]> = {
      L: [
        [41, 25, 17],
        [7089, 4296, 2953],
      ],
      M: [
        [34, 20, 14],
        [5596, 3391, 2331],
      ],
      Q: [
        [27, 16, 11],
        [3993, 2420, 1663],
      ],
      H: [
        [17, 10, 7],
        [3057, 1852, 1273],
      ],
    };
    for (const level of LEVELS) {
      const [v1, v40] = capacity[level];
      ['7', 'Z', 'z'].forEach((c, mode) => {
        assert.equal(encodeQr(c.repeat(v1![mode]!), { errorCorrection: level, mask: 0 }).version, 1, `${level} ${c} v1`);
        assert.equal(encodeQr(c.repeat(v1![mode]! + 1), { errorCorrection: level, mask: 0 }).version, 2, `${level} ${c} v2`);
        assert.equal(encodeQr(c.repeat(v40![mode]!), { errorCorrection: level, mask: 0 }).version, 40, `${level} ${c} v40`);
        assert.throws(
          () => encodeQr(c.repeat(v40![mode]! + 1), { errorCorrection: level, mask: 0 }),
          (e: unknown) => e instanceof QrError && e.code === 'TOO_LONG',
        );
      });
    }
  });

  it('never needs a count larger than its field: the last version of each class holds fewer characters than the field can count', () => {
    for (const [countClass, lastVersion] of [
      [0, 9],
      [1, 26],
      [2, 40],
    ] as const) {
      ['7', 'Z', 'z'].forEach((c, mode) => {
        let low = 0;
        let high = 8000;
        while (high - low > 1) {
          const middle = (low + high) >> 1;
          const fits = (() => {
            try {
              return encodeQr(c.repeat(middle), { errorCorrection: 'L', mask: 0 }).version <= lastVersion;
            } catch {
              return false;
            }
          })();
          if (fits) low = middle;
          else high = middle;
        }
        assert.ok(low < 2 ** COUNT_BITS[mode]![countClass]!, `${c} × ${low} in v${lastVersion}-L`);
      });
    }
  });

  it('real VietQR payloads: two versions smaller than byte mode, as small as qrcode, read back through jsQR', async () => {
    const payloads = vietqrPayloads(80);
    const byByte: number[] = [];
    const byAuto: number[] = [];
    for (const payload of payloads) {
      for (const level of LEVELS) await assertBetterOrEqual(payload, level);
      byAuto.push(encodeQr(payload).version);
      byByte.push(encodeQr(payload, { mode: 'byte' }).version);
    }
    const median = (versions: number[]) => versions.sort((a, b) => a - b)[versions.length >> 1]!;
    assert.ok(median(byAuto) <= median(byByte) - 2, `median version ${median(byAuto)} (auto), ${median(byByte)} (byte)`);
    assert.ok(
      byAuto.every((v, i) => v <= byByte[i]!),
      'never larger than byte mode',
    );
  });

  it('printable ASCII of every length 1–300 at M (every third length at L, Q, H)', async () => {
    for (const level of LEVELS) {
      for (let length = 1; length <= 300; length += level === 'M' ? 1 : 3) await assertBetterOrEqual(asciiText(length), level);
    }
  });

  it('digit-heavy, capital-heavy, mixed, lower-case and Vietnamese texts of up to 1500 characters', async () => {
    const corpora: [string, string[]][] = [
      ['digits', [DIGITS]],
      ['digit-heavy', [DIGITS, DIGITS, DIGITS, CAPITALS, LOWER]],
      ['capitals', [CAPITALS]],
      ['capital-heavy', [CAPITALS, CAPITALS, DIGITS, LOWER]],
      ['mixed', [DIGITS, CAPITALS, LOWER, VIETNAMESE]],
      ['lower case', [LOWER]],
      ['Vietnamese', [VIETNAMESE, LOWER, ' ']],
    ];
    for (const [, alphabets] of corpora) {
      for (let seed = 1; seed <= 24; seed++) {
        const length = seed <= 16 ? seed * 9 : (seed - 15) * 170;
        for (const level of LEVELS) await assertBetterOrEqual(runs(length, seed, alphabets, seed % 3 ? 12 : 40), level);
      }
    }
  });

  it('URLs and UTF-8 text', async () => {
    const texts = [
      'https://dichvucong.hanoi.gov.vn/danh-gia?counter=C1&token=0f8a2c61-7f1e-4d55-9c1b-3b0f6a1d2e44',
      'HTTPS://MOTCUA.EXAMPLE.VN/S/3Q9?D=HS-2024-000123',
      'https://motcua.example.vn/s/3Q9?d=HS-2024-000123',
      'Lệ phí cấp bản sao trích lục hộ tịch — UBND phường Hàng Bạc, quận Hoàn Kiếm',
      'Đánh giá mức độ hài lòng 😀 ✓ 0912345678',
      'lone surrogate \ud800 here 1234567890',
      '\u0000\u0001\u007f\u0080\u00ff\u07ff\u0800\uffff\u{10000}\u{10ffff}',
      'TEL:+84912345678',
      '00020101021138570010A00000072701270006970415011311336666888802080QRIBFTTA53037045802VN6304',
    ];
    for (const text of texts) for (const level of LEVELS) await assertBetterOrEqual(text, level);
  });

  it('counts how often it beats qrcode (reported)', (t) => {
    const stats = { texts: 0, smallerVersion: 0, fewerBits: 0, sameSegments: 0, fitsWhereQrcodeDoesNot: 0 };
    for (const level of LEVELS) {
      for (let length = 1; length <= 300; length++) tally(stats, asciiText(length), level);
      for (const payload of vietqrPayloads(80)) tally(stats, payload, level);
    }
    assert.ok(stats.texts > 1500, `${stats.texts} texts compared`);
    assert.ok(stats.sameSegments > 100, 'many texts segment exactly as qrcode does (the sweeps above prove the symbols then equal)');
    t.diagnostic?.(
      `${stats.texts} texts: ${stats.fewerBits} in fewer bits than qrcode, ${stats.smallerVersion} in a smaller version, ${stats.sameSegments} segmented alike (same symbol); ${stats.fitsWhereQrcodeDoesNot} fit where qrcode's are too long`,
    );
  });

  it('encodes the empty text as no segment at all (as qrcode would, given no segments): jsQR reads an empty text', async () => {
    const jsQR = await loadJsQR();
    for (const level of LEVELS) {
      const matrix = encodeQr('', { errorCorrection: level });
      assert.equal(matrix.version, 1);
      assert.equal(differs(matrix, QRCode.create([], { errorCorrectionLevel: level, maskPattern: matrix.mask as QRCodeMaskPattern })), undefined, level);
      const { data, width } = rasterise(matrix, 3);
      const read = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
      assert.equal(read?.data, '', level);
      assert.equal(read?.chunks.length, 0, level);
    }
  });

  it('takes mode byte for one byte segment, a larger symbol for digits', () => {
    const digits = '0123456789'.repeat(10);
    assert.equal(encodeQr(digits).version, 3);
    assert.equal(encodeQr(digits, { mode: 'byte' }).version, 6);
    assert.equal(encodeQr(digits, { mode: 'auto' }).version, 3);
  });
});
