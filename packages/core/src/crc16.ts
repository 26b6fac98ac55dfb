// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), table-driven, two bytes a step.
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLE[n] = c & 0xffff;
}
// Two bytes a step: TABLE[n] is n·x^16 mod P, HIGH[n] is n·x^24 mod P (n shifted one byte further).
const HIGH = new Uint16Array(256);
for (let n = 0; n < 256; n++) HIGH[n] = ((TABLE[n]! << 8) & 0xffff) ^ TABLE[TABLE[n]! >>> 8]!;

// Both runtimes (browsers, Node) have TextEncoder; core's lib has neither DOM nor Node types.
declare const TextEncoder: new () => {
  encode(input: string): Uint8Array;
  encodeInto(input: string, into: Uint8Array): { read: number; written: number };
};
let encoder: InstanceType<typeof TextEncoder> | undefined;
/** UTF-8 of the last string, reused: reading bytes is faster than charCodeAt on sliced or joined strings. */
let bytes = new Uint8Array(256);

/**
 * The CRC of {@link crc16}, with bit 16 set (over 0xFFFF) when a byte is outside printable ASCII
 * (32–126). The decoder learns in the CRC's own pass that every text field is printable, so that it
 * checks only their lengths.
 */
export function printableCrc(data: string | Uint8Array, end = data.length): number {
  if (typeof data === 'string') {
    encoder ??= new TextEncoder();
    if (bytes.length < data.length * 3) bytes = new Uint8Array(data.length * 3);
    // ASCII (every payload): one byte per character, so the first `end` bytes are the first `end` characters.
    if (encoder.encodeInto(data, bytes).written !== data.length) return printableCrc(encoder.encode(data.slice(0, end)));
    data = bytes;
  }
  let crc = 0xffff;
  // Negative as soon as one byte is outside 32–126.
  let outside = 0;
  let i = 0;
  for (; i + 1 < end; i += 2) {
    const a = data[i]!;
    const b = data[i + 1]!;
    outside |= (a - 32) | (126 - a) | (b - 32) | (126 - b);
    const word = crc ^ ((a << 8) | b);
    crc = HIGH[word >>> 8]! ^ TABLE[word & 0xff]!;
  }
  if (i < end) {
    const a = data[i]!;
    outside |= (a - 32) | (126 - a);
    crc = ((crc << 8) & 0xffff) ^ TABLE[(crc >>> 8) ^ a]!;
  }
  return outside < 0 ? crc | 0x10000 : crc;
}

/**
 * CRC-16/CCITT-FALSE over the UTF-8 bytes of `data` (of its first `end` characters or bytes).
 *
 * @example
 * crc16('123456789') === 0x29b1;
 */
export const crc16 = (data: string | Uint8Array, end = data.length): number => printableCrc(data, end) & 0xffff;

const HEX = '0123456789ABCDEF';

/** `crc` as field 63 carries it: 4 upper-case hex digits. */
export const hex4 = (crc: number): string => HEX[crc >>> 12]! + HEX[(crc >>> 8) & 15]! + HEX[(crc >>> 4) & 15]! + HEX[crc & 15]!;

/** The CRC as field 63 carries it: 4 upper-case hex digits. */
export function crc16Hex(data: string): string {
  return hex4(crc16(data));
}
