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

/**
 * The least contrast ratio (WCAG 2.x, relative luminance) between the light and the dark modules.
 * 3:1 is what WCAG 2.2 AA asks of graphical objects (SC 1.4.11), and in the gamma-encoded luma that
 * decoders binarise (ZXing, jsQR) it is a luma difference of about 40 % — the lowest symbol contrast
 * ISO/IEC 15415 still grades as scannable (C). #a0a0a0 on white (2.6:1, a 37 % difference) fails
 * with ZXing's JS port. See docs/theming.md.
 */
export const MIN_QR_CONTRAST = 3;

let probe: CanvasRenderingContext2D | null | undefined;

/** A CSS colour as sRGB bytes and alpha (0–255) as a canvas paints it, or undefined when not a colour. */
function resolveColour(colour: string): [number, number, number, number] | undefined {
  probe ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true });
  if (!probe) return undefined;
  probe.clearRect(0, 0, 1, 1);
  // An invalid colour leaves fillStyle unchanged: transparent, which counts as unreadable below.
  probe.fillStyle = 'rgba(0, 0, 0, 0)';
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a!];
}

/** WCAG relative luminance of sRGB bytes. */
function luminance([r, g, b]: [number, number, number, number]): number {
  const linear = (byte: number) => {
    const c = byte / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Why a QR drawn `dark` on `light` (any CSS colours) would be hard or impossible for a phone to
 * read, or undefined when it is fine: translucent or invalid colours, light modules on dark (bank
 * apps do not try inverted symbols), or a contrast ratio under {@link MIN_QR_CONTRAST}.
 */
export function qrPaletteProblem(dark: string, light: string): string | undefined {
  const darkRgba = resolveColour(dark);
  const lightRgba = resolveColour(light);
  if (!darkRgba || !lightRgba) return undefined; // No canvas to tell: draw as asked.
  if (darkRgba[3] < 255 || lightRgba[3] < 255) return `the QR colours must be opaque valid colours (dark "${dark}", light "${light}")`;
  const darkY = luminance(darkRgba);
  const lightY = luminance(lightRgba);
  if (darkY >= lightY) return `the QR palette is inverted: modules "${dark}" are not darker than the background "${light}"`;
  const ratio = (lightY + 0.05) / (darkY + 0.05);
  if (ratio < MIN_QR_CONTRAST) return `the QR contrast ${ratio.toFixed(1)}:1 ("${dark}" on "${light}") is under ${MIN_QR_CONTRAST}:1`;
  return undefined;
}

/**
 * The CSS size of a symbol of `viewSize` modules (quiet zone included) that fits `available` CSS px
 * with every module a whole number of device pixels (`ratio` = devicePixelRatio): fractional module
 * pitches make modules alternate in width (5 and 6 px at 240 px), which decoders read worse.
 */
export function snapQrSize(available: number, viewSize: number, ratio: number): number {
  const modulePixels = Math.max(1, Math.floor((available * ratio + 1e-6) / viewSize));
  return (modulePixels * viewSize) / ratio;
}
