// The PNG download of <qr-payment>: a QR symbol (core's `encodeQrSymbol`) drawn on a canvas. A lazy
// chunk of the CDN build: no first paint draws on a canvas.
import { QUIET_ZONE, type QrSymbol } from '@motcua/core/qr';

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
