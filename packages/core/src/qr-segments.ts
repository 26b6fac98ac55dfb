/**
 * Splitting a QR Code's text into numeric, alphanumeric and byte segments (ISO/IEC 18004:2015 §7.4,
 * Annex J) so that the data bit stream is as short as possible — exactly, not by heuristics.
 *
 * The text is handled as its UTF-8 bytes: digits and the 45 alphanumeric characters are ASCII, so a
 * segment boundary never falls inside a multi-byte character (splitting a byte run gains nothing).
 */

/** A run of the text's bytes `[start, end)` in one mode: 0 numeric, 1 alphanumeric, 2 byte. */
export interface QrSegment {
  mode: number;
  start: number;
  end: number;
}

/** Segments and the length of the data bit stream they make (mode indicators and counts included). */
export interface QrSegmentation {
  segments: QrSegment[];
  bits: number;
}

/** The alphanumeric character set, in the order of its values (Table 5); digits are its first ten. */
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
/** Character count indicator widths (Table 3), by mode, then versions 1–9, 10–26, 27–40. */
const COUNT_BITS = [
  [10, 12, 14],
  [9, 11, 13],
  [8, 16, 16],
];
/**
 * What one more character costs in each mode, in sixths of a bit: 10 bits per 3 digits, 11 per 2
 * alphanumeric characters, 8 per byte. Rounding a segment's total up to whole bits gives exactly its
 * 4, 7, 10… (numeric) or 6, 11… (alphanumeric) bits, so sums of sixths compare segmentations exactly.
 */
const CHAR_COST = [20, 33, 48];

/** Versions 1–9, 10–26 and 27–40 have different count widths: 0, 1 or 2. */
export function countClass(version: number): number {
  return version < 10 ? 0 : version < 27 ? 1 : 2;
}

/** The value of a byte in the alphanumeric set (a digit's is the digit), or −1. */
export function alphanumericValue(byte: number): number {
  return ALPHANUMERIC.indexOf(String.fromCharCode(byte));
}

/** Whole bits of a cost in sixths, rounded up. */
const wholeBits = (sixths: number) => Math.ceil(sixths / 6) * 6;

/**
 * The shortest segmentation of `bytes` for versions of count class `countClass` (see {@link countClass}),
 * or, when `byteOnly`, the whole text as one byte segment (an empty text as an empty one).
 *
 * A dynamic programme over the bytes: for each mode, the cheapest encoding of the bytes so far whose
 * last segment is in that mode and still open. A byte either extends that segment or starts a new
 * one after the cheapest closed encoding; keeping only the cheapest open cost per mode is enough,
 * because rounding up at the end is monotonic.
 */
export function segmentText(bytes: ArrayLike<number>, countClass: number, byteOnly = false): QrSegmentation {
  const length = bytes.length;
  if (byteOnly) return { segments: [{ mode: 2, start: 0, end: length }], bits: 4 + COUNT_BITS[2]![countClass]! + 8 * length };
  const header = COUNT_BITS.map((widths) => (4 + widths[countClass]!) * 6);
  // from[i × 3 + mode]: the mode of byte i − 1 on the cheapest path putting byte i in `mode`.
  const from = new Uint8Array(length * 3);
  let open = [Infinity, Infinity, Infinity];
  let closed = 0;
  let closedMode = 0;
  for (let i = 0; i < length; i++) {
    const value = alphanumericValue(bytes[i]!);
    const next = [Infinity, Infinity, Infinity];
    for (let mode = value < 0 ? 2 : value < 10 ? 0 : 1; mode < 3; mode++) {
      const fresh = closed + header[mode]!;
      // Extending wins ties, so from[…] === mode means the same segment and anything else a new one.
      const extend = open[mode]! <= fresh;
      next[mode] = (extend ? open[mode]! : fresh) + CHAR_COST[mode]!;
      from[i * 3 + mode] = extend ? mode : closedMode;
    }
    open = next;
    closed = Infinity;
    for (let mode = 0; mode < 3; mode++) {
      if (wholeBits(open[mode]!) < closed) {
        closed = wholeBits(open[mode]!);
        closedMode = mode;
      }
    }
  }
  const segments: QrSegment[] = [];
  for (let i = length - 1, mode = closedMode, end = length; i >= 0; i--) {
    const previous = from[i * 3 + mode]!;
    if (previous !== mode || i === 0) {
      segments.unshift({ mode, start: i, end });
      end = i;
      mode = previous;
    }
  }
  return { segments, bits: closed / 6 };
}

/** Writes `segments` of `bytes` with `put(value, bitCount)`, most significant bit first. */
export function writeSegments(bytes: ArrayLike<number>, segments: QrSegment[], countClass: number, put: (value: number, length: number) => void): void {
  for (const { mode, start, end } of segments) {
    put(1 << mode, 4); // mode indicators (Table 2): 0001 numeric, 0010 alphanumeric, 0100 byte
    put(end - start, COUNT_BITS[mode]![countClass]!);
    if (mode === 2) {
      for (let i = start; i < end; i++) put(bytes[i]!, 8);
      continue;
    }
    // Numeric: 3 digits in 10 bits (2 in 7, 1 in 4); alphanumeric: 2 characters in 11 bits (1 in 6).
    const group = mode ? 2 : 3;
    for (let i = start; i < end; i += group) {
      const count = Math.min(group, end - i);
      let value = 0;
      for (let j = i; j < i + count; j++) value = value * (mode ? 45 : 10) + alphanumericValue(bytes[j]!);
      put(value, mode ? 5 * count + 1 : 3 * count + 1);
    }
  }
}
