/**
 * `@motcua/core/qr` — a small, exact QR Code encoder (ISO/IEC 18004:2015): numeric, alphanumeric and
 * byte (UTF-8) segments chosen for the shortest bit stream, versions 1–40, error correction L/M/Q/H,
 * the eight masks scored by the standard penalty rules. Isomorphic, no DOM, no dependencies. Written
 * for VietQR payloads (mostly digits and capitals: a version or two smaller than byte mode alone)
 * and survey URLs.
 *
 * @example
 * import { encodeQr, qrPath } from '@motcua/core/qr';
 * const matrix = encodeQr(payload);                      // error correction M, lowest-penalty mask
 * svg.innerHTML = `<path d="${qrPath(matrix)}"/>`;       // viewBox 0 0 (size + 8) (size + 8)
 */
import { maskPenalty } from './qr-penalty.js';
import { countClass, segmentText, writeSegments, type QrSegment, type QrSegmentation } from './qr-segments.js';

/** Error correction level: recovers about 7 % (L), 15 % (M), 25 % (Q) or 30 % (H) of the symbol. */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** An encoded QR symbol, without its quiet zone. */
export interface QrMatrix {
  /** Modules per side: 17 + 4 × version. */
  size: number;
  /** Row-major, `size × size`, 1 = dark. */
  modules: Uint8Array;
  /** 1–40. */
  version: number;
  /** The data mask applied, 0–7. */
  mask: number;
  errorCorrection: QrErrorCorrection;
}

/** Options of {@link encodeQr}. */
export interface QrOptions {
  /** Default `'M'` (what bank apps expect of VietQR). */
  errorCorrection?: QrErrorCorrection;
  /** The smallest version to use (1–40, default 1); a larger one is chosen when the text needs it. */
  minVersion?: number;
  /** Force a data mask (0–7); by default the one with the lowest penalty score. */
  mask?: number;
  /**
   * `'auto'` (default): the shortest mix of numeric, alphanumeric and byte segments (Annex J);
   * `'byte'`: the whole text as one byte segment, as `qrcode` writes a byte segment.
   */
  mode?: 'auto' | 'byte';
}

/** Why {@link encodeQr} refused: the text does not fit version 40, or an option is out of range. */
export type QrErrorCode = 'TOO_LONG' | 'INVALID_OPTION';

/** The only error this module throws. */
export class QrError extends Error {
  override name = 'QrError';
  constructor(
    /** Machine-readable reason. */
    readonly code: QrErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const LEVELS = 'LMQH';
/** Format-information bits of L, M, Q, H (Table 12). */
const LEVEL_BITS = [1, 0, 3, 2];
// Table 9, indexed [level][version - 1]: error correction codewords per block, and blocks.
const ECC_PER_BLOCK = [
  [
    7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    30,
  ],
  [
    10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    28,
  ],
  [
    13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    30,
  ],
  [
    17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    30,
  ],
];
const BLOCKS = [
  [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

/** Codewords (data + error correction) of a version: its modules minus every function pattern, over 8. */
function totalCodewords(version: number): number {
  let modules = (16 * version + 128) * version + 64;
  if (version > 1) {
    const align = Math.floor(version / 7) + 2;
    modules -= (25 * align - 10) * align - 55;
    if (version > 6) modules -= 36;
  }
  return modules >> 3;
}

/** Data codewords of a version at a level: the codewords not taken by error correction. */
function dataCodewords(version: number, level: number): number {
  return totalCodewords(version) - ECC_PER_BLOCK[level]![version - 1]! * BLOCKS[level]![version - 1]!;
}

/** Centre coordinates of the alignment patterns (Annex E), evenly spaced from the far edge, first one at 6. */
function alignmentPositions(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const positions = [6];
  for (let position = version * 4 + 10; positions.length < count; position -= step) positions.splice(1, 0, position);
  return positions;
}

/** UTF-8, with lone surrogates as U+FFFD, as `TextEncoder` does (the encoder stays free of platform APIs). */
function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xe000) {
      const next = text.charCodeAt(i + 1);
      if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + next - 0xdc00;
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return bytes;
}

// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1, by exponent and logarithm tables.
const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++, x = x & 0x80 ? (x << 1) ^ 0x11d : x << 1) {
  EXP[i] = EXP[i + 255] = x;
  LOG[x] = i;
}

/** Generator polynomial (x − α⁰)(x − α¹)…(x − α^(degree−1)), highest power first, leading 1 included. */
function generator(degree: number): Uint8Array {
  const poly = new Uint8Array(degree + 1);
  poly[0] = 1;
  for (let i = 0; i < degree; i++) {
    // Multiply by (x + αⁱ), from the lowest coefficient up so each step reads the old value.
    for (let j = i + 1; j > 0; j--) poly[j] = poly[j]! ^ (poly[j - 1] ? EXP[LOG[poly[j - 1]!]! + i]! : 0);
  }
  return poly;
}

/** Reed–Solomon error correction codewords of `data`: the remainder of data·x^n divided by the generator. */
function errorCorrection(data: ArrayLike<number>, poly: Uint8Array): Uint8Array {
  const degree = poly.length - 1;
  const remainder = new Uint8Array(degree);
  for (let i = 0; i < data.length; i++) {
    const factor = data[i]! ^ remainder[0]!;
    remainder.copyWithin(0, 1);
    remainder[degree - 1] = 0;
    if (factor) for (let j = 0; j < degree; j++) remainder[j] = remainder[j]! ^ (poly[j + 1] ? EXP[LOG[poly[j + 1]!]! + LOG[factor]!]! : 0);
  }
  return remainder;
}

/** The final codeword sequence (§7.6): data in blocks, each with its error correction, interleaved. */
function codewords(bytes: number[], segments: QrSegment[], version: number, level: number): Uint8Array {
  const eccLength = ECC_PER_BLOCK[level]![version - 1]!;
  const blockCount = BLOCKS[level]![version - 1]!;
  const total = totalCodewords(version);
  const dataLength = dataCodewords(version, level);

  // The segments; the zeros left in the buffer are the terminator (4 bits, fewer if the data ends
  // within 4 bits of the capacity) and the bit padding, then the pad codewords 11101100 00010001.
  const data = new Uint8Array(dataLength);
  let bit = 0;
  writeSegments(bytes, segments, countClass(version), (value, length) => {
    for (let i = length - 1; i >= 0; i--, bit++) data[bit >> 3] = data[bit >> 3]! | (((value >> i) & 1) << (7 - (bit & 7)));
  });
  for (let i = (bit + 11) >> 3, pad = 0xec; i < dataLength; i++, pad ^= 0xec ^ 0x11) data[i] = pad;

  // Blocks: the short ones first, the long ones with one more data codeword.
  const shortBlocks = blockCount - (total % blockCount);
  const shortData = Math.floor(total / blockCount) - eccLength;
  const poly = generator(eccLength);
  const result = new Uint8Array(total);
  let out = 0;
  const blocks: Uint8Array[] = [];
  const eccs: Uint8Array[] = [];
  for (let b = 0, start = 0; b < blockCount; b++) {
    const block = data.subarray(start, (start += shortData + (b < shortBlocks ? 0 : 1)));
    blocks.push(block);
    eccs.push(errorCorrection(block, poly));
  }
  for (let i = 0; i <= shortData; i++) for (const block of blocks) if (i < block.length) result[out++] = block[i]!;
  for (let i = 0; i < eccLength; i++) for (const ecc of eccs) result[out++] = ecc[i]!;
  return result;
}

/** 15-bit BCH code of `data` (`dataBits` long) with `poly` of degree `degree`, data bits first. */
function bch(data: number, poly: number, degree: number): number {
  let remainder = data << degree;
  for (let i = 31 - Math.clz32(remainder); i >= degree; i--) if ((remainder >> i) & 1) remainder ^= poly << (i - degree);
  return (data << degree) | remainder;
}

/** The mask conditions of Table 10: true where the module at (row, column) is inverted. */
const MASKS: ((row: number, column: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

/** Which modules each mask inverts, per version (function patterns excluded), kept for the next symbol. */
const maskCache = new Map<number, Uint8Array>();
function maskBits(version: number, mask: number, reserved: Uint8Array): Uint8Array {
  let bits = maskCache.get(version * 8 + mask);
  if (!bits) {
    const size = version * 4 + 17;
    const inverted = MASKS[mask]!;
    bits = new Uint8Array(size * size);
    for (let i = 0; i < bits.length; i++) bits[i] = !reserved[i] && inverted(Math.floor(i / size), i % size) ? 1 : 0;
    maskCache.set(version * 8 + mask, bits);
  }
  return bits;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** A bad option's value for the error message, without calling anything on it. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value) : typeof value;
}

/**
 * Encodes `text` in the smallest QR version that holds it at the requested error correction level —
 * as the shortest mix of numeric, alphanumeric and byte (UTF-8) segments for that version, or as one
 * byte segment with `mode: 'byte'` — with the mask of lowest penalty (ISO/IEC 18004:2015 §7.8.3)
 * unless one is given.
 *
 * @throws {QrError} `TOO_LONG` when the text does not fit version 40 at that level (2331 bytes at M
 *   in byte mode; up to 4296 digits), `INVALID_OPTION` for an unknown level or mode, or a version or
 *   mask out of range.
 */
export function encodeQr(text: string, options: QrOptions = {}): QrMatrix {
  const { errorCorrection: ecLetter = 'M', minVersion = 1, mask: forcedMask, mode = 'auto' } = options ?? {};
  const level = typeof ecLetter === 'string' && ecLetter.length === 1 ? LEVELS.indexOf(ecLetter) : -1;
  if (level < 0) throw new QrError('INVALID_OPTION', `errorCorrection must be L, M, Q or H, not ${shown(ecLetter)}.`);
  if (!isIntegerIn(minVersion, 1, 40)) throw new QrError('INVALID_OPTION', `minVersion must be a whole number from 1 to 40, not ${shown(minVersion)}.`);
  if (forcedMask !== undefined && !isIntegerIn(forcedMask, 0, 7))
    throw new QrError('INVALID_OPTION', `mask must be a whole number from 0 to 7, not ${shown(forcedMask)}.`);
  if (mode !== 'auto' && mode !== 'byte') throw new QrError('INVALID_OPTION', `mode must be 'auto' or 'byte', not ${shown(mode)}.`);
  if (typeof text !== 'string') throw new QrError('INVALID_OPTION', 'The text to encode must be a string.');

  const bytes = utf8(text);
  // The segmentation depends on the count widths of the version, so one per class of versions.
  const plans: QrSegmentation[] = [];
  let version = minVersion;
  let plan: QrSegmentation;
  while ((plan = plans[countClass(version)] ??= segmentText(bytes, countClass(version), mode === 'byte')).bits > 8 * dataCodewords(version, level)) {
    if (++version > 40) throw new QrError('TOO_LONG', `${bytes.length} bytes do not fit a QR code at error correction ${ecLetter}.`);
  }

  // Function patterns first, marking their modules as reserved.
  const size = version * 4 + 17;
  const modules = new Uint8Array(size * size);
  const reserved = new Uint8Array(size * size);
  const set = (row: number, column: number, dark: boolean | number) => {
    modules[row * size + column] = dark ? 1 : 0;
    reserved[row * size + column] = 1;
  };
  // Finder patterns with their light separators.
  for (const [top, left] of [
    [0, 0],
    [0, size - 7],
    [size - 7, 0],
  ] as const) {
    for (let dr = -1; dr <= 7; dr++) {
      for (let dc = -1; dc <= 7; dc++) {
        const row = top + dr;
        const column = left + dc;
        if (row < 0 || row >= size || column < 0 || column >= size) continue;
        const ring = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
        set(row, column, ring !== 2 && ring !== 4);
      }
    }
  }
  // Timing patterns.
  for (let i = 8; i < size - 8; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  // Alignment patterns, except where they would overlap a finder pattern.
  const align = alignmentPositions(version);
  const last = align.length - 1;
  align.forEach((row, i) =>
    align.forEach((column, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) set(row + dr, column + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }),
  );
  // Version information (versions 7+): 6 data bits and a BCH(18, 6) code, two 6 × 3 copies.
  if (version > 6) {
    const bits = bch(version, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(b, a, (bits >> i) & 1);
      set(a, b, (bits >> i) & 1);
    }
  }
  // Format information: 5 data bits and a BCH(15, 5) code masked with 101010000010010, two copies
  // around the finder patterns, plus the dark module. Written for each mask tried.
  const writeFormat = (mask: number) => {
    const bits = bch((LEVEL_BITS[level]! << 3) | mask, 0x537, 10) ^ 0x5412;
    for (let i = 0; i < 15; i++) {
      const bit = (bits >> i) & 1;
      // Copy 1: up column 8 then left along row 8, skipping the timing pattern.
      if (i < 6) set(i, 8, bit);
      else if (i < 8) set(i + 1, 8, bit);
      else set(8, i === 8 ? 7 : 14 - i, bit);
      // Copy 2: row 8 from the right edge, then down column 8 to the bottom.
      if (i < 8) set(8, size - 1 - i, bit);
      else set(size - 15 + i, 8, bit);
    }
    set(size - 8, 8, 1);
  };
  writeFormat(0);

  // Data: codewords placed in two-module columns, zigzagging up and down from the bottom right,
  // skipping the vertical timing pattern and every reserved module.
  const data = codewords(bytes, plan.segments, version, level);
  const dataBits = data.length * 8;
  for (let right = size - 1, i = 0; right > 0; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (let column = right; column > right - 2; column--) {
        const index = row * size + column;
        if (reserved[index] || i >= dataBits) continue;
        modules[index] = (data[i >> 3]! >> (7 - (i & 7))) & 1;
        i++;
      }
    }
  }

  const applyMask = (mask: number) => {
    const bits = maskBits(version, mask, reserved);
    for (let i = 0; i < bits.length; i++) modules[i] = modules[i]! ^ bits[i]!;
  };
  let mask = forcedMask ?? 0;
  if (forcedMask === undefined) {
    // Try each mask with its format information; the first of the lowest penalties wins.
    let best = Infinity;
    for (let candidate = 0; candidate < 8; candidate++) {
      writeFormat(candidate);
      applyMask(candidate);
      const penalty = maskPenalty(modules, size);
      if (penalty < best) {
        best = penalty;
        mask = candidate;
      }
      applyMask(candidate);
    }
  }
  writeFormat(mask);
  applyMask(mask);
  return { size, modules, version, mask, errorCorrection: ecLetter };
}

/** Modules of light margin around a symbol, as ISO/IEC 18004 requires. */
export const QUIET_ZONE = 4;

/**
 * SVG path data of the dark modules of `matrix`, in module units offset by `quietZone`: one
 * `M x yh n v1h-n z` rectangle per horizontal stretch of dark modules, to fill in a
 * `viewBox="0 0 {size + 2 × quietZone} {size + 2 × quietZone}"` — small, and crisp at any scale.
 */
export function qrPath(matrix: QrMatrix, quietZone = QUIET_ZONE): string {
  const { size, modules } = matrix;
  let path = '';
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      if (!modules[row * size + column]) continue;
      const start = column;
      while (column + 1 < size && modules[row * size + column + 1]) column++;
      const run = column - start + 1;
      path += `M${start + quietZone} ${row + quietZone}h${run}v1h-${run}z`;
    }
  }
  return path;
}

/** A QR symbol ready to draw: what the widgets put in an `<svg>` or on a canvas. */
export interface QrSymbol {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Modules per side, with the quiet zone on both sides: the SVG's `viewBox="0 0 viewSize viewSize"`. */
  viewSize: number;
  /** SVG path data of every dark module ({@link qrPath}), in module units, offset by the quiet zone. */
  path: string;
  /** Whether the module at (row, column) is dark (0-based, without the quiet zone). */
  isDark(row: number, column: number): boolean;
}

/**
 * Encodes `text` ({@link encodeQr}: error correction M by default, what bank apps expect of VietQR)
 * as a symbol to draw with its {@link QUIET_ZONE}: the one wrapper the payment QR and the survey QR use.
 *
 * @throws {QrError} when the text does not fit a QR code, or an option is out of range.
 * @example
 * const { viewSize, path } = encodeQrSymbol(payload);
 * svg.innerHTML = `<rect width="${viewSize}" height="${viewSize}" fill="#fff"/><path d="${path}"/>`; // viewBox 0 0 viewSize viewSize
 */
export function encodeQrSymbol(text: string, options: QrOptions = {}): QrSymbol {
  const matrix = encodeQr(text, options);
  const { size, modules } = matrix;
  return {
    size,
    viewSize: size + 2 * QUIET_ZONE,
    path: qrPath(matrix, QUIET_ZONE),
    isDark: (row, column) => modules[row * size + column] === 1,
  };
}
