// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), table-driven.
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLE[n] = c & 0xffff;
}

const step = (crc: number, byte: number): number => ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ byte) & 0xff]!;

// Both runtimes (browsers, Node) have TextEncoder; core's lib has neither DOM nor Node types.
declare const TextEncoder: new () => { encode(input: string): Uint8Array };
let encoder: { encode(input: string): Uint8Array } | undefined;

/**
 * CRC-16/CCITT-FALSE over the UTF-8 bytes of `data`.
 *
 * @example
 * crc16('123456789') === 0x29b1;
 */
export function crc16(data: string | Uint8Array): number {
  let crc = 0xffff;
  if (typeof data === 'string') {
    // Payloads are ASCII: one byte per character, no encoding step needed.
    for (let i = 0; i < data.length; i++) {
      const code = data.charCodeAt(i);
      if (code > 0x7f) return crc16((encoder ??= new TextEncoder()).encode(data));
      crc = step(crc, code);
    }
    return crc;
  }
  for (let i = 0; i < data.length; i++) crc = step(crc, data[i]!);
  return crc;
}

/** The CRC as field 63 carries it: 4 upper-case hex digits. */
export function crc16Hex(data: string): string {
  return crc16(data).toString(16).toUpperCase().padStart(4, '0');
}
