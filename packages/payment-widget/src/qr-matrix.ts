import { encodeQr, qrPath } from '@motcua/core/qr';

/** Modules of light margin around the symbol, as ISO/IEC 18004 requires. */
export const QUIET_ZONE = 4;

/** A QR symbol ready to draw: its module count and one SVG path of the dark modules. */
export interface QrSymbol {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Modules per side, with the quiet zone on both sides. */
  viewSize: number;
  /** SVG path data of every dark module, in module units, offset by the quiet zone. */
  path: string;
  /** Whether the module at (row, column) is dark. */
  isDark(row: number, column: number): boolean;
}

/**
 * Encodes `payload` as a QR symbol with error correction M (what bank apps expect of VietQR), its
 * dark modules as one path (`qrPath`: one rectangle per horizontal run, small and crisp at any size).
 *
 * @throws {QrError} (from `@motcua/core/qr`) when the payload does not fit a QR code.
 */
export function encodeQrSymbol(payload: string): QrSymbol {
  const matrix = encodeQr(payload, { errorCorrection: 'M' });
  const { size, modules } = matrix;
  return {
    size,
    viewSize: size + 2 * QUIET_ZONE,
    path: qrPath(matrix, QUIET_ZONE),
    isDark: (row, column) => modules[row * size + column] === 1,
  };
}

/**
 * Draws `symbol` on a new canvas, `scale` device pixels per module, dark on light with the quiet
 * zone — the PNG download. Drawn module by module (no SVG → image round trip), so it needs no
 * `img-src` for data: URLs under a strict CSP.
 */
export function drawQrSymbol(symbol: QrSymbol, scale = 10, dark = '#000000', light = '#ffffff'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = symbol.viewSize * scale;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('Canvas 2D is not available.');
  context.fillStyle = light;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = dark;
  for (let row = 0; row < symbol.size; row++) {
    for (let column = 0; column < symbol.size; column++) {
      if (symbol.isDark(row, column)) {
        context.fillRect((column + QUIET_ZONE) * scale, (row + QUIET_ZONE) * scale, scale, scale);
      }
    }
  }
  return canvas;
}
