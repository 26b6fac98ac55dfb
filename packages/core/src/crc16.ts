// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), table-driven.
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLE[n] = c & 0xffff;
}

// Both runtimes (browsers, Node) have TextEncoder; core's lib has neither DOM nor Node types.
declare const TextEncoder: new () => { encode(input: string): Uint8Array };
let encoder: { encode(input: string): Uint8Array } | undefined;

/**
 * CRC-16/CCITT-FALSE over the UTF-8 bytes of `data` (of its first `end` characters or bytes).
 *
 * @example
 * crc16('123456789') === 0x29b1;
 */
export function crc16(data: string | Uint8Array, end = data.length): number {
  let crc = 0xffff;
  if (typeof data === 'string') {
    // Payloads are ASCII: one byte per character, no encoding step needed.
    for (let i = 0; i < end; i++) {
      const code = data.charCodeAt(i);
      if (code > 0x7f) return crc16((encoder ??= new TextEncoder()).encode(data.slice(0, end)));
      crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ code) & 0xff]!;
    }
    return crc;
  }
  for (let i = 0; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ data[i]!) & 0xff]!;
  return crc;
}

const HEX = '0123456789ABCDEF';

/** `crc` as field 63 carries it: 4 upper-case hex digits. */
export const hex4 = (crc: number): string => HEX[crc >>> 12]! + HEX[(crc >>> 8) & 15]! + HEX[(crc >>> 4) & 15]! + HEX[crc & 15]!;

/** The CRC as field 63 carries it: 4 upper-case hex digits. */
export function crc16Hex(data: string): string {
  return hex4(crc16(data));
}
