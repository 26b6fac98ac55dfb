// Shared by the QR encoder's tests: the reference encoder (qrcode, byte mode), jsQR in Node and in
// the browser, and rasterising a matrix for it.
import QRCode, { type QRCode as QRCodeSymbol, type QRCodeMaskPattern } from 'qrcode';
import { encodeVietQR, toMemo } from '../src/index.js';
import type { QrErrorCorrection, QrMatrix } from '../src/qr.js';

export const LEVELS: QrErrorCorrection[] = ['L', 'M', 'Q', 'H'];

/**
 * qrcode's symbol for `text` as one byte-mode segment (given a plain string, qrcode splits it into
 * numeric/alphanumeric/byte segments, a different — also valid — bit stream than byte mode alone).
 */
export function reference(text: string, errorCorrectionLevel: QrErrorCorrection, maskPattern?: number, version?: number) {
  // qrcode turns a byte segment's string into UTF-8 with TextEncoder; the types want the bytes.
  const segments = [{ data: new TextEncoder().encode(text), mode: 'byte' as const }];
  return QRCode.create(segments, {
    errorCorrectionLevel,
    ...(maskPattern === undefined ? {} : { maskPattern: maskPattern as QRCodeMaskPattern }),
    ...(version === undefined ? {} : { version }),
  });
}

/** Whether `matrix` equals qrcode's symbol bit for bit, with the same version; a message if not. */
export function differs(matrix: QrMatrix, expected: ReturnType<typeof reference>): string | undefined {
  if (matrix.version !== expected.version) return `version ${matrix.version}, qrcode ${expected.version}`;
  const data = expected.modules.data;
  if (matrix.size !== expected.modules.size || matrix.modules.length !== data.length) return `size ${matrix.size}, qrcode ${expected.modules.size}`;
  for (let i = 0; i < data.length; i++) {
    if (matrix.modules[i] !== data[i]) return `module (${Math.floor(i / matrix.size)}, ${i % matrix.size}) differs`;
  }
  return undefined;
}

/** Bits of qrcode's data stream: per segment, mode indicator, character count (for its version) and data. */
export function qrcodeBits(symbol: QRCodeSymbol): number {
  const countClass = symbol.version < 10 ? 0 : symbol.version < 27 ? 1 : 2;
  return symbol.segments.reduce((bits, segment) => bits + 4 + segment.mode.ccBits[countClass]! + segment.getBitsLength(), 0);
}

/** qrcode's segments as `mode:length` (length in characters, bytes for byte mode), mode 0 numeric, 1 alphanumeric, 2 byte. */
export function qrcodeSegments(symbol: QRCodeSymbol): string {
  return symbol.segments.map((segment) => `${['Numeric', 'Alphanumeric', 'Byte'].indexOf(segment.mode.id)}:${segment.getLength()}`).join(' ');
}

/**
 * Real VietQR payloads, static and dynamic, accounts and cards, Vietnamese memos through toMemo:
 * 8 banks × 5 purposes (the same 40 as qr.test.ts), more with `count`.
 */
export function vietqrPayloads(count = 40): string[] {
  const banks = ['970415', '970436', '970418', '970422', '970407', '970405', '970423', '970432'];
  const purposes = ['', 'MC7K2Q9XA', toMemo('MC7K2Q9XA Lệ phí cấp bản sao trích lục'), 'MC3BX8PQ1 LE PHI HO TICH', toMemo('Phí chứng thực chữ ký')];
  const payloads: string[] = [];
  for (let n = 0; payloads.length < count; n++) {
    const i = n % banks.length;
    const j = Math.floor(n / banks.length) % purposes.length;
    const round = Math.floor(n / (banks.length * purposes.length));
    payloads.push(
      encodeVietQR({
        bin: banks[i]!,
        account: String(10_000_000 + i * 7919 + j * 104729 + round * 31).padEnd(6 + ((i + j + round) % 13), '8'),
        service: (i + j) % 4 === 3 ? 'card' : 'account',
        ...(j || round ? { amount: 1000 * (i * 37 + j * 11 + 1) + round * 500 } : {}),
        ...(purposes[j] ? { purpose: purposes[j] } : {}),
        ...(i % 2 ? { billNumber: `HS${i}${j}2024`, storeLabel: 'UBND PHUONG HANG BAC' } : {}),
      }),
    );
  }
  return payloads;
}

/** Deterministic printable ASCII of `length` characters (a small LCG; `seed` varies the text). */
export function asciiText(length: number, seed = length): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    text += String.fromCharCode(0x20 + ((state >>> 16) % 95));
  }
  return text;
}

type JsQR = typeof import('jsqr').default;
let jsQR: JsQR | undefined;
/** jsQR: a UMD bundle, loaded as a classic script in the browser and imported in Node. */
export async function loadJsQR(): Promise<JsQR> {
  if (jsQR) return jsQR;
  if (typeof document === 'undefined') {
    const name = 'jsqr';
    const module = (await import(name)) as { default: JsQR & { default?: JsQR } };
    return (jsQR = module.default.default ?? module.default);
  }
  const global = globalThis as unknown as { jsQR?: JsQR };
  if (!global.jsQR) {
    const script = document.createElement('script');
    script.src = '/node_modules/jsqr/dist/jsQR.js';
    document.head.append(script);
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
  }
  return (jsQR = global.jsQR!);
}

/** RGBA pixels of `matrix`, `scale` pixels per module, with a 4-module quiet zone: what a camera would see. */
export function rasterise(matrix: QrMatrix, scale = 4): { data: Uint8ClampedArray; width: number } {
  const width = (matrix.size + 8) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      const row = Math.floor(y / scale) - 4;
      const column = Math.floor(x / scale) - 4;
      if (row < 0 || column < 0 || row >= matrix.size || column >= matrix.size || !matrix.modules[row * matrix.size + column]) continue;
      const offset = (y * width + x) * 4;
      data[offset] = data[offset + 1] = data[offset + 2] = 0;
    }
  }
  return { data, width };
}
