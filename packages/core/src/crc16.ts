// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), table-driven.
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLE[n] = c & 0xffff;
}

const step = (crc: number, byte: number): number => ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ byte) & 0xff]!;

/**
 * CRC-16/CCITT-FALSE over the UTF-8 bytes of `data` (strings are encoded as UTF-8; lone surrogates
 * as U+FFFD, like TextEncoder).
 *
 * @example
 * crc16('123456789') === 0x29b1;
 */
export function crc16(data: string | Uint8Array): number {
  let crc = 0xffff;
  if (typeof data !== 'string') {
    for (let i = 0; i < data.length; i++) crc = step(crc, data[i]!);
    return crc;
  }
  for (let i = 0; i < data.length; i++) {
    let code = data.charCodeAt(i);
    if (code < 0x80) {
      crc = step(crc, code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = data.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    }
    if (code < 0x800) {
      crc = step(step(crc, 0xc0 | (code >> 6)), 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      crc = step(step(step(crc, 0xe0 | (code >> 12)), 0x80 | ((code >> 6) & 0x3f)), 0x80 | (code & 0x3f));
    } else {
      crc = step(crc, 0xf0 | (code >> 18));
      crc = step(step(step(crc, 0x80 | ((code >> 12) & 0x3f)), 0x80 | ((code >> 6) & 0x3f)), 0x80 | (code & 0x3f));
    }
  }
  return crc;
}

/** The CRC as field 63 carries it: 4 upper-case hex digits. */
export function crc16Hex(data: string): string {
  return crc16(data).toString(16).toUpperCase().padStart(4, '0');
}
